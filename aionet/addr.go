//go:build unix

package aionet

import (
	"fmt"
	"net"
	"net/netip"

	"golang.org/x/sys/unix"
)

// family returns the address family and socket type of network, taking
// the family of a "tcp" socket from addr when it is an IPv6 literal.
func family(network string, addr netip.Addr) (int, error) {
	switch network {
	case "tcp":
		if addr.Is6() && !addr.Is4In6() {
			return unix.AF_INET6, nil
		}
		return unix.AF_INET, nil
	case "tcp4":
		return unix.AF_INET, nil
	case "tcp6":
		return unix.AF_INET6, nil
	case "unix":
		return unix.AF_UNIX, nil
	}
	return 0, fmt.Errorf("aionet: unsupported network %q (want tcp, tcp4, tcp6 or unix)", network)
}

// parseAddrPort parses a "host:port" whose host is an IP literal or empty
// (the unspecified address of the family).
func parseAddrPort(network, address string) (netip.AddrPort, error) {
	host, port, err := splitHostPort(address)
	if err != nil {
		return netip.AddrPort{}, err
	}
	if host == "" {
		if network == "tcp6" {
			return netip.AddrPortFrom(netip.IPv6Unspecified(), port), nil
		}
		return netip.AddrPortFrom(netip.IPv4Unspecified(), port), nil
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("aionet: %q is not an IP address (resolve names with Resolve)", host)
	}
	return netip.AddrPortFrom(ip, port), nil
}

func splitHostPort(address string) (string, uint16, error) {
	host, portStr, err := net.SplitHostPort(address)
	if err != nil {
		return "", 0, fmt.Errorf("aionet: %w", err)
	}
	port, err := net.LookupPort("tcp", portStr) // numeric ports never block
	if err != nil || port < 0 || port > 65535 {
		return "", 0, fmt.Errorf("aionet: invalid port in %q", address)
	}
	return host, uint16(port), nil
}

// sockaddr converts an address to the form the system calls take, for a
// socket of the given family.
func sockaddr(fam int, ap netip.AddrPort) (unix.Sockaddr, error) {
	ip := ap.Addr()
	switch fam {
	case unix.AF_INET:
		if !ip.Is4() && !ip.Is4In6() {
			return nil, fmt.Errorf("aionet: %v is not an IPv4 address", ip)
		}
		return &unix.SockaddrInet4{Port: int(ap.Port()), Addr: ip.Unmap().As4()}, nil
	case unix.AF_INET6:
		sa := &unix.SockaddrInet6{Port: int(ap.Port()), Addr: ip.As16()}
		if z := ip.Zone(); z != "" {
			if ifi, err := net.InterfaceByName(z); err == nil {
				sa.ZoneId = uint32(ifi.Index)
			}
		}
		return sa, nil
	}
	return nil, fmt.Errorf("aionet: no IP address for a socket of family %d", fam)
}

// netAddr converts a system call address to a net.Addr (nil if unknown).
func netAddr(sa unix.Sockaddr) net.Addr {
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return net.TCPAddrFromAddrPort(netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port)))
	case *unix.SockaddrInet6:
		ip := netip.AddrFrom16(sa.Addr)
		if sa.ZoneId != 0 {
			if ifi, err := net.InterfaceByIndex(int(sa.ZoneId)); err == nil {
				ip = ip.WithZone(ifi.Name)
			}
		}
		return net.TCPAddrFromAddrPort(netip.AddrPortFrom(ip, uint16(sa.Port)))
	case *unix.SockaddrUnix:
		return &net.UnixAddr{Name: sa.Name, Net: "unix"}
	}
	return nil
}
