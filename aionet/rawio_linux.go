//go:build linux

package aionet

import (
	"bytes"
	"net/netip"
	"unsafe"

	"golang.org/x/sys/unix"
)

// readNB and writeNB are read(2) and write(2) on a non-blocking socket,
// made without telling the Go scheduler (a raw system call): they never
// block, and announcing each one costs more than it does here, where the
// loop's goroutine makes them back to back. (An announced call that the
// scheduler's monitor sees in progress twice hands the loop's processor to
// another thread.)
func readNB(fd int, p []byte) (int, error) {
	var ptr unsafe.Pointer
	if len(p) > 0 {
		ptr = unsafe.Pointer(&p[0])
	}
	n, _, e := unix.RawSyscall(unix.SYS_READ, uintptr(fd), uintptr(ptr), uintptr(len(p)))
	if e != 0 {
		return 0, e
	}
	return int(n), nil
}

func writeNB(fd int, p []byte) (int, error) {
	var ptr unsafe.Pointer
	if len(p) > 0 {
		ptr = unsafe.Pointer(&p[0])
	}
	n, _, e := unix.RawSyscall(unix.SYS_WRITE, uintptr(fd), uintptr(ptr), uintptr(len(p)))
	if e != 0 {
		return 0, e
	}
	return int(n), nil
}

// recvfromNB is recvfrom(2) on a non-blocking socket, raw as readNB is.
// It decodes the sender's address itself rather than through x/sys's
// Recvfrom, which allocates a Sockaddr per datagram and, not being told
// the address's length, reports an unnamed Unix-domain sender as "@".
func recvfromNB(fd int, p []byte) (int, peer, error) {
	var ptr unsafe.Pointer
	if len(p) > 0 {
		ptr = unsafe.Pointer(&p[0])
	}
	var rsa unix.RawSockaddrAny
	alen := uint32(unsafe.Sizeof(rsa))
	n, _, e := unix.RawSyscall6(unix.SYS_RECVFROM, uintptr(fd), uintptr(ptr), uintptr(len(p)), 0,
		uintptr(unsafe.Pointer(&rsa)), uintptr(unsafe.Pointer(&alen)))
	if e != 0 {
		return 0, peer{}, e
	}
	return int(n), rawPeer(&rsa, alen), nil
}

// rawPeer decodes the alen bytes of a sockaddr that recvfrom wrote.
func rawPeer(rsa *unix.RawSockaddrAny, alen uint32) peer {
	if alen < uint32(unsafe.Sizeof(rsa.Addr.Family)) {
		return peer{} // a stream socket or an unnamed Unix-domain sender
	}
	switch rsa.Addr.Family {
	case unix.AF_INET:
		pp := (*unix.RawSockaddrInet4)(unsafe.Pointer(rsa))
		return peer{fam: unix.AF_INET, ap: netip.AddrPortFrom(netip.AddrFrom4(pp.Addr), ntohs(pp.Port))}
	case unix.AF_INET6:
		pp := (*unix.RawSockaddrInet6)(unsafe.Pointer(rsa))
		ip := netip.AddrFrom16(pp.Addr).WithZone(zoneName(pp.Scope_id))
		return peer{fam: unix.AF_INET6, ap: netip.AddrPortFrom(ip, ntohs(pp.Port))}
	case unix.AF_UNIX:
		pp := (*unix.RawSockaddrUnix)(unsafe.Pointer(rsa))
		n := int(alen) - int(unsafe.Offsetof(pp.Path))
		if n <= 0 {
			return peer{}
		}
		path := unsafe.Slice((*byte)(unsafe.Pointer(&pp.Path[0])), min(n, len(pp.Path)))
		if path[0] == 0 { // the abstract namespace: the length is exact
			return peer{fam: unix.AF_UNIX, path: "@" + string(path[1:])}
		}
		if i := bytes.IndexByte(path, 0); i >= 0 {
			path = path[:i]
		}
		return peer{fam: unix.AF_UNIX, path: string(path)}
	}
	return peer{}
}

// ntohs reads a port stored in network byte order.
func ntohs(port uint16) uint16 {
	b := (*[2]byte)(unsafe.Pointer(&port))
	return uint16(b[0])<<8 | uint16(b[1])
}

// htons stores a port in network byte order.
func htons(port uint16) uint16 {
	var v uint16
	b := (*[2]byte)(unsafe.Pointer(&v))
	b[0], b[1] = byte(port>>8), byte(port)
	return v
}

// sendtoNB is sendto(2) on a non-blocking socket, raw for IP addresses
// (encoded on the stack, where x/sys's Sendto would allocate a Sockaddr);
// Unix-domain paths go through x/sys, which knows their encoding.
func sendtoNB(fd int, p []byte, to peer) error {
	switch to.fam {
	case unix.AF_INET:
		sa := unix.RawSockaddrInet4{Family: unix.AF_INET, Port: htons(to.ap.Port()), Addr: to.ap.Addr().As4()}
		return sendtoRaw(fd, p, unsafe.Pointer(&sa), unsafe.Sizeof(sa))
	case unix.AF_INET6:
		ip := to.ap.Addr()
		sa := unix.RawSockaddrInet6{Family: unix.AF_INET6, Port: htons(to.ap.Port()), Addr: ip.As16(), Scope_id: zoneIndex(ip.Zone())}
		return sendtoRaw(fd, p, unsafe.Pointer(&sa), unsafe.Sizeof(sa))
	}
	sa, err := to.sockaddr()
	if err != nil {
		return err
	}
	return unix.Sendto(fd, p, 0, sa)
}

func sendtoRaw(fd int, p []byte, sa unsafe.Pointer, salen uintptr) error {
	var ptr unsafe.Pointer
	if len(p) > 0 {
		ptr = unsafe.Pointer(&p[0])
	}
	_, _, e := unix.RawSyscall6(unix.SYS_SENDTO, uintptr(fd), uintptr(ptr), uintptr(len(p)), 0, uintptr(sa), salen)
	if e != 0 {
		return e
	}
	return nil
}
