//go:build unix

package aionet

import (
	"fmt"
	"net"
	"net/netip"

	"golang.org/x/sys/unix"
)

// family returns the address family and socket type of network, taking
// the family of a "tcp" or "udp" socket from addr when it is an IPv6
// literal.
func family(network string, addr netip.Addr) (fam, sotype int, err error) {
	v6 := addr.Is6() && !addr.Is4In6()
	switch network {
	case "tcp", "udp":
		fam = unix.AF_INET
		if v6 {
			fam = unix.AF_INET6
		}
	case "tcp4", "udp4":
		fam = unix.AF_INET
	case "tcp6", "udp6":
		fam = unix.AF_INET6
	case "unix", "unixgram":
		fam = unix.AF_UNIX
	default:
		return 0, 0, fmt.Errorf("aionet: unsupported network %q (want tcp, tcp4, tcp6, unix, udp, udp4, udp6 or unixgram)", network)
	}
	sotype = unix.SOCK_STREAM
	if isDatagram(network) {
		sotype = unix.SOCK_DGRAM
	}
	return fam, sotype, nil
}

func isDatagram(network string) bool {
	switch network {
	case "udp", "udp4", "udp6", "unixgram":
		return true
	}
	return false
}

func isUnix(network string) bool { return network == "unix" || network == "unixgram" }

// networkName is the name of a socket's network, as Network reports it.
func networkName(fam, sotype int) string {
	switch {
	case fam == unix.AF_UNIX && sotype == unix.SOCK_DGRAM:
		return "unixgram"
	case fam == unix.AF_UNIX:
		return "unix"
	case fam == unix.AF_INET6 && sotype == unix.SOCK_DGRAM:
		return "udp6"
	case fam == unix.AF_INET6:
		return "tcp6"
	case sotype == unix.SOCK_DGRAM:
		return "udp"
	}
	return "tcp"
}

// parseAddrPort parses a "host:port" whose host is an IP literal or empty
// (the unspecified address of the family).
func parseAddrPort(network, address string) (netip.AddrPort, error) {
	host, port, err := splitHostPort(address)
	if err != nil {
		return netip.AddrPort{}, err
	}
	if host == "" {
		if network == "tcp6" || network == "udp6" {
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
		return &unix.SockaddrInet6{Port: int(ap.Port()), Addr: ip.As16(), ZoneId: zoneIndex(ip.Zone())}, nil
	}
	return nil, fmt.Errorf("aionet: no IP address for a socket of family %d", fam)
}

// zoneIndex and zoneName convert an IPv6 zone between its interface name
// (netip's form) and its index (the sockaddr's scope id).
func zoneIndex(zone string) uint32 {
	if zone == "" {
		return 0
	}
	if ifi, err := net.InterfaceByName(zone); err == nil {
		return uint32(ifi.Index)
	}
	return 0
}

func zoneName(index uint32) string {
	if index == 0 {
		return ""
	}
	if ifi, err := net.InterfaceByIndex(int(index)); err == nil {
		return ifi.Name
	}
	return fmt.Sprint(index)
}

// A peer is a socket address in a form that costs no allocation for IP
// addresses: what recvfromNB decodes and sendtoNB encodes, and what
// becomes a net.Addr only when a caller asks for one.
type peer struct {
	fam  int            // 0: no address (a stream socket's recvfrom, an unnamed Unix socket)
	ap   netip.AddrPort // AF_INET, AF_INET6
	path string         // AF_UNIX; "@name" for Linux's abstract namespace, as package net writes it
}

// peerOf converts a system call address. An unnamed Unix-domain socket
// (x/sys writes its empty name as "@") has no address.
func peerOf(sa unix.Sockaddr) peer {
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return peer{fam: unix.AF_INET, ap: netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port))}
	case *unix.SockaddrInet6:
		ip := netip.AddrFrom16(sa.Addr).WithZone(zoneName(sa.ZoneId))
		return peer{fam: unix.AF_INET6, ap: netip.AddrPortFrom(ip, uint16(sa.Port))}
	case *unix.SockaddrUnix:
		if sa.Name == "" || sa.Name == "@" {
			return peer{}
		}
		return peer{fam: unix.AF_UNIX, path: sa.Name}
	}
	return peer{}
}

// sockaddr converts p back to a system call address.
func (p peer) sockaddr() (unix.Sockaddr, error) {
	if p.fam == unix.AF_UNIX {
		return &unix.SockaddrUnix{Name: p.path}, nil
	}
	return sockaddr(p.fam, p.ap)
}

// netAddr converts a system call address to a net.Addr of s's kind (nil
// if there is none).
func (s *Socket) netAddr(sa unix.Sockaddr) net.Addr { return s.addrOf(peerOf(sa)) }

// addrOf converts p to a net.Addr of s's kind: a *net.TCPAddr or
// *net.UDPAddr for an IP socket, a *net.UnixAddr for a Unix-domain one,
// nil for no address.
func (s *Socket) addrOf(p peer) net.Addr {
	switch p.fam {
	case unix.AF_INET, unix.AF_INET6:
		if s.sotype == unix.SOCK_DGRAM {
			return udpAddr(p.ap)
		}
		return net.TCPAddrFromAddrPort(p.ap)
	case unix.AF_UNIX:
		return &net.UnixAddr{Name: p.path, Net: s.network}
	}
	return nil
}

// udpAddr is net.UDPAddrFromAddrPort in one allocation instead of two:
// the address's IP slice points into the same object. RecvFrom makes one
// per datagram.
func udpAddr(ap netip.AddrPort) *net.UDPAddr {
	a := new(struct {
		addr net.UDPAddr
		ip   [16]byte
	})
	ip := ap.Addr()
	if ip.Is4() {
		*(*[4]byte)(a.ip[:4]) = ip.As4()
		a.addr.IP = a.ip[:4]
	} else {
		a.ip = ip.As16()
		a.addr.IP = a.ip[:]
	}
	a.addr.Port = int(ap.Port())
	a.addr.Zone = ip.Zone()
	return &a.addr
}

// destination converts the address SendTo was given to a peer of s's
// family: a *net.UDPAddr for a UDP socket (an IPv4 address on an IPv6
// socket becomes IPv4-mapped), a *net.UnixAddr for a Unix-domain one.
func (s *Socket) destination(addr net.Addr) (peer, error) {
	switch a := addr.(type) {
	case *net.UDPAddr:
		if a == nil || s.family == unix.AF_UNIX {
			break
		}
		ap := a.AddrPort()
		ip := ap.Addr()
		switch {
		case !ip.IsValid():
		case s.family == unix.AF_INET && (ip.Is4() || ip.Is4In6()):
			return peer{fam: unix.AF_INET, ap: netip.AddrPortFrom(ip.Unmap(), ap.Port())}, nil
		case s.family == unix.AF_INET6:
			return peer{fam: unix.AF_INET6, ap: ap}, nil
		}
	case *net.UnixAddr:
		if a != nil && s.family == unix.AF_UNIX {
			return peer{fam: unix.AF_UNIX, path: a.Name}, nil
		}
	}
	return peer{}, &net.OpError{Op: "write", Net: s.network, Addr: addr,
		Err: &net.AddrError{Err: fmt.Sprintf("%T is not an address for a %s socket", addr, s.network), Addr: fmt.Sprint(addr)}}
}
