// Package aionet is asyncio's low-level socket API: non-blocking stream
// sockets (TCP over IPv4 and IPv6, and Unix-domain) and datagram sockets
// (UDP over IPv4 and IPv6, and Unix-domain) whose blocking operations are
// coroutines on an event loop, ported from the loop.sock_* methods of
// CPython 3.11's selector_events.py. Package stream builds asyncio's
// high-level streams on it.
//
// Each coroutine first tries its system call; only if that would block
// does it register the socket with the loop (loop.AddReader/AddWriter),
// complete a future from the readiness callback, and await the future. So
// callbacks run at the iterations where asyncio runs them, and cancelling
// a waiting Recv consumes nothing.
//
// # Concurrency
//
// The coroutines (Recv, RecvInto, RecvFrom, RecvFromInto, SendAll,
// SendTo, Accept, Connect, Resolve) must be called in a task body on the
// loop's goroutine; the Try methods and the plain socket methods (Bind,
// Listen, Close, addresses) may be called from any goroutine while no
// coroutine waits on the socket, and from the loop's goroutine at any
// time. A socket accepts one waiting reader (Recv, RecvInto, RecvFrom,
// RecvFromInto or Accept) and one waiting writer (SendAll, SendTo or
// Connect) at a time; a second one fails with ErrBusy instead of silently
// replacing the first as in asyncio.
//
// # Datagrams
//
// A datagram socket ("udp", "udp4", "udp6", "unixgram"; ListenPacket
// binds one) sends and receives whole datagrams: RecvFrom returns one
// datagram and its sender's address, SendTo sends one to an address. The
// address is a net.Addr, as in net.PacketConn: RecvFrom reports a
// *net.UDPAddr or *net.UnixAddr and SendTo takes one, so that a reply goes
// to the address a datagram came from without formatting and parsing it
// (the strings of Bind, Connect and ListenPacket are for setting up). A
// datagram longer than the buffer is truncated to it and the rest
// discarded, without an error, as recvfrom(2) and Python do; an empty
// datagram is no end of file. A datagram socket connected with Connect
// also works with Recv and SendAll, each call one datagram.
//
// # Errors
//
// Errors are *net.OpError values wrapping *os.SyscallError, as package net
// returns them: errors.Is(err, syscall.ECONNREFUSED), syscall.ECONNRESET,
// syscall.EADDRINUSE, syscall.EMSGSIZE (a datagram too large to send) and
// net.ErrClosed work. End of stream is io.EOF.
//
// # asyncio mapping
//
//	socket.socket(AF_INET, SOCK_STREAM); setblocking(False) → aionet.NewSocket("tcp")
//	socket.socket(AF_INET, SOCK_DGRAM); setblocking(False)  → aionet.NewSocket("udp")
//	socket.create_server(addr) (non-blocking)               → aionet.Listen("tcp", "127.0.0.1:0")
//	socket.socket(AF_INET, SOCK_DGRAM) … bind(addr)         → aionet.ListenPacket("udp", "127.0.0.1:0")
//	await loop.sock_recv(sock, n)                           → s.Recv(c, n)
//	await loop.sock_recv_into(sock, buf)                    → s.RecvInto(c, buf)
//	await loop.sock_recvfrom(sock, n)                       → data, addr, err := s.RecvFrom(c, n)
//	await loop.sock_recvfrom_into(sock, buf, nbytes)        → n, addr, err := s.RecvFromInto(c, buf[:nbytes])
//	await loop.sock_sendall(sock, data)                     → s.SendAll(c, data)
//	await loop.sock_sendto(sock, data, addr)                → s.SendTo(c, data, addr) (addr a net.Addr)
//	await loop.sock_accept(sock)                            → s.Accept(c)
//	await loop.sock_connect(sock, addr)                     → s.Connect(c, "host:port")
//	await loop.getaddrinfo(host, port)                      → aionet.Resolve(c, "tcp", host, port)
//	sock.recv_into / sock.send / sock.accept (non-blocking) → s.TryRecvInto / s.TrySend / s.TryAccept
//	sock.recvfrom_into / sock.sendto (non-blocking)         → s.TryRecvFromInto / s.TrySendTo
//	sock.shutdown(SHUT_WR) / sock.close()                   → s.CloseWrite() / s.Close()
//	sock.getsockname() / sock.getpeername()                 → s.LocalAddr() / s.RemoteAddr()
//
// The package is available on Unix systems (epoll on Linux, poll(2)
// elsewhere).
package aionet
