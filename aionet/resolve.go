//go:build unix

package aionet

import (
	"context"
	"fmt"
	"net"
	"net/netip"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/task"
)

// Resolve returns the addresses of host with the given port for network
// ("tcp", "tcp4", "tcp6", "udp", "udp4", "udp6"), in the resolver's order
// (asyncio's loop.getaddrinfo). An IP literal is returned as is;
// an empty host is the unspecified addresses (0.0.0.0 and ::, as with
// AI_PASSIVE). A name is looked up on another goroutine with Go's resolver
// (asyncio uses the default executor), so the loop keeps running; if the
// task is cancelled, the lookup's context is cancelled too. Must be called
// in a task body on the loop's goroutine.
func Resolve(c *task.Coro, network, host string, port uint16) ([]netip.AddrPort, error) {
	if ip, err := netip.ParseAddr(host); err == nil {
		return []netip.AddrPort{netip.AddrPortFrom(ip, port)}, nil
	}
	if host == "" {
		switch network {
		case "tcp4", "udp4":
			return []netip.AddrPort{netip.AddrPortFrom(netip.IPv4Unspecified(), port)}, nil
		case "tcp6", "udp6":
			return []netip.AddrPort{netip.AddrPortFrom(netip.IPv6Unspecified(), port)}, nil
		}
		return []netip.AddrPort{
			netip.AddrPortFrom(netip.IPv4Unspecified(), port),
			netip.AddrPortFrom(netip.IPv6Unspecified(), port),
		}, nil
	}
	ipNet := "ip"
	switch network {
	case "tcp4", "udp4":
		ipNet = "ip4"
	case "tcp6", "udp6":
		ipNet = "ip6"
	}
	l := c.Loop()
	fut := future.New[[]netip.Addr](l)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	release := l.Hold() // virtual time waits for the answer
	go func() {
		defer release()
		ips, err := net.DefaultResolver.LookupNetIP(ctx, ipNet, host)
		l.CallSoonThreadsafe(func() {
			if fut.Done() {
				return
			}
			if err != nil {
				fut.SetException(&net.OpError{Op: "resolve", Net: network, Err: err})
			} else {
				fut.SetResult(ips)
			}
		})
	}()
	ips, err := task.Await(c, fut)
	if err != nil {
		return nil, err
	}
	if len(ips) == 0 {
		return nil, fmt.Errorf("aionet: no addresses for %q", host)
	}
	out := make([]netip.AddrPort, len(ips))
	for i, ip := range ips {
		out[i] = netip.AddrPortFrom(ip.Unmap(), port)
	}
	return out, nil
}
