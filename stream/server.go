//go:build unix

package stream

import (
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/goasyncio/goasyncio/aionet"
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/task"
)

// acceptRetryDelay is how long a server stops accepting after running out
// of descriptors or memory (asyncio's ACCEPT_RETRY_DELAY).
const acceptRetryDelay = time.Second

// A Server accepts connections and runs a Handler (StartServer) or a
// Protocol (CreateServer) for each (asyncio.Server, as start_server and
// loop.create_server return it).
//
// Its methods must be called on its loop's goroutine; ServeForever,
// StartServing and WaitClosed in a task body.
type Server struct {
	l       *loop.Loop
	socks   []*aionet.Socket // nil once closed
	factory func() Protocol
	backlog int

	clients        map[*Transport]struct{}
	waiters        []*future.Future[struct{}] // WaitClosed; nil once woken
	serving        bool
	servingForever *future.Future[struct{}]

	unixPath string // removed on Close if it is still our socket
	unixIno  uint64
}

// StartServer starts a TCP server on host and port and returns it
// (asyncio's start_server). handler runs as a new task for each connection.
// An empty host listens on all interfaces (IPv4 and IPv6); a name is
// resolved, and the server listens on each of its addresses. Port 0 picks
// a free port (see Addrs). Each socket has SO_REUSEADDR set, and IPV6_V6ONLY
// for IPv6. An address in use fails with an error matching
// syscall.EADDRINUSE. Unless DeferServing is given, the server accepts at
// once (after one loop iteration, as in asyncio). Must be called in a task
// body.
func StartServer(c *task.Coro, handler Handler, host string, port int, opts ...Option) (*Server, error) {
	o, err := makeOptions(opts)
	if err != nil {
		return nil, err
	}
	socks, err := listenTCP(c, "tcp", host, port, o)
	if err != nil {
		return nil, err
	}
	return newServer(c, socks, streamProtocols(c.Loop(), handler, o.limit), o)
}

// streamProtocols is start_server's factory: a protocol with a new Reader
// that starts handler once connected.
func streamProtocols(l *loop.Loop, handler Handler, limit int) func() Protocol {
	return func() Protocol { return newProtocol(l, newReader(l, limit), handler) }
}

// listenTCP is create_server's first half for network "tcp", "tcp4" or
// "tcp6": a bound socket for each address of host (not yet listening).
func listenTCP(c *task.Coro, network, host string, port int, o options) ([]*aionet.Socket, error) {
	if port < 0 || port > 65535 {
		return nil, fmt.Errorf("stream: invalid port %d", port)
	}
	addrs, err := resolve(c, network, host, port)
	if err != nil {
		return nil, err
	}
	var socks []*aionet.Socket
	seen := map[string]bool{}
	for _, a := range addrs {
		if seen[a.String()] {
			continue // bind each address once
		}
		seen[a.String()] = true
		family := "tcp4"
		if a.Addr().Is6() {
			family = "tcp6"
		}
		s, err := aionet.NewSocket(family)
		if err != nil {
			if host == "" && family == "tcp6" {
				continue // no IPv6 here: asyncio skips such families too
			}
			closeAll(socks)
			return nil, err
		}
		socks = append(socks, s)
		fd := s.FD()
		unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1)
		if o.reusePort {
			if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEPORT, 1); err != nil {
				closeAll(socks)
				return nil, os.NewSyscallError("setsockopt SO_REUSEPORT", err)
			}
		}
		if family == "tcp6" {
			// One family per socket: no dual-stack socket.
			unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, 1)
		}
		if err := s.Bind(a.String()); err != nil {
			closeAll(socks)
			return nil, err
		}
	}
	if len(socks) == 0 {
		return nil, fmt.Errorf("stream: no address to listen on for %q", host)
	}
	return socks, nil
}

// StartUnixServer starts a server on the Unix-domain socket path (asyncio's
// start_unix_server). A stale socket file at path is removed first, and
// Close removes the file (as asyncio 3.13 does). Must be called in a task
// body.
func StartUnixServer(c *task.Coro, handler Handler, path string, opts ...Option) (*Server, error) {
	o, err := makeOptions(opts)
	if err != nil {
		return nil, err
	}
	return startUnixServer(c, path, streamProtocols(c.Loop(), handler, o.limit), o)
}

// startUnixServer is create_unix_server.
func startUnixServer(c *task.Coro, path string, factory func() Protocol, o options) (*Server, error) {
	if path != "" && path[0] != 0 { // not an abstract socket
		var st unix.Stat_t
		if unix.Stat(path, &st) == nil && st.Mode&unix.S_IFMT == unix.S_IFSOCK {
			os.Remove(path)
		}
	}
	s, err := aionet.NewSocket("unix")
	if err != nil {
		return nil, err
	}
	if err := s.Bind(path); err != nil {
		s.Close()
		return nil, err
	}
	srv, err := newServer(c, []*aionet.Socket{s}, factory, o)
	if err == nil && path != "" && path[0] != 0 {
		var st unix.Stat_t
		if unix.Stat(path, &st) == nil {
			srv.unixPath, srv.unixIno = path, uint64(st.Ino)
		}
	}
	return srv, err
}

func closeAll(socks []*aionet.Socket) {
	for _, s := range socks {
		s.Close()
	}
}

func newServer(c *task.Coro, socks []*aionet.Socket, factory func() Protocol, o options) (*Server, error) {
	for _, sock := range socks {
		track(c.Loop(), sock)
	}
	s := &Server{
		l:       c.Loop(),
		socks:   socks,
		factory: factory,
		backlog: o.backlog,
		clients: map[*Transport]struct{}{},
		waiters: []*future.Future[struct{}]{},
	}
	if !o.deferred {
		if err := s.StartServing(c); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// Addrs returns the addresses the server listens on (asyncio's
// server.sockets' names); none once closed.
func (s *Server) Addrs() []net.Addr {
	var addrs []net.Addr
	for _, sock := range s.socks {
		addrs = append(addrs, sock.LocalAddr())
	}
	return addrs
}

// IsServing reports whether the server accepts connections (asyncio's
// is_serving).
func (s *Server) IsServing() bool { return s.serving }

func (s *Server) attach(t *Transport) { s.clients[t] = struct{}{} }

func (s *Server) detach(t *Transport) {
	delete(s.clients, t)
	if len(s.clients) == 0 && s.socks == nil {
		s.wakeup()
	}
}

func (s *Server) wakeup() {
	waiters := s.waiters
	s.waiters = nil
	for _, w := range waiters {
		if !w.Done() {
			w.SetResult(struct{}{})
		}
	}
}

// startServing is asyncio's Server._start_serving: listen and watch each
// socket for connections.
func (s *Server) startServing() error {
	if s.serving {
		return nil
	}
	s.serving = true
	for _, sock := range s.socks {
		if err := sock.Listen(s.backlog); err != nil {
			return err
		}
		if err := s.watch(sock); err != nil {
			return err
		}
	}
	return nil
}

func (s *Server) watch(sock *aionet.Socket) error {
	_, err := s.l.AddReader(sock.FD(), func() { s.acceptConnections(sock) })
	return err
}

// StartServing starts accepting connections, if the server does not yet,
// and gives the loop one iteration (asyncio's start_serving).
func (s *Server) StartServing(c *task.Coro) error {
	if s.socks == nil {
		return ErrServerClosed
	}
	if err := s.startServing(); err != nil {
		return err
	}
	return c.Yield()
}

// acceptConnections is _accept_connection: accept what is waiting, up to
// the backlog, starting a task for each connection.
func (s *Server) acceptConnections(ln *aionet.Socket) {
	for range max(s.backlog, 1) {
		conn, _, err := ln.TryAccept()
		switch {
		case err == aionet.ErrWouldBlock:
			return
		case errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) ||
			errors.Is(err, syscall.ENOBUFS) || errors.Is(err, syscall.ENOMEM):
			// The socket stays readable: stop watching it for a while.
			s.l.CallExceptionHandler(loop.ExceptionContext{Message: "socket.accept() out of system resource", Err: err})
			s.l.RemoveReader(ln.FD())
			s.l.CallLater(acceptRetryDelay, func() {
				if s.socks != nil && ln.FD() >= 0 {
					s.watch(ln)
				}
			})
			return
		case err != nil:
			s.l.CallExceptionHandler(loop.ExceptionContext{Message: "stream: accepting a connection failed", Err: err})
			return
		}
		track(s.l, conn) // closed with the loop if the task never runs
		task.Spawn(s.l, func(c *task.Coro) (struct{}, error) {
			s.acceptConnection2(c, conn)
			return struct{}{}, nil
		})
	}
}

// acceptConnection2 is _accept_connection2: make the protocol and the
// transport and wait until the protocol knows of it. A factory that panics
// or returns nil is reported to the exception handler and the connection
// closed; asyncio reports a failing factory in debug mode only.
func (s *Server) acceptConnection2(c *task.Coro, conn *aionet.Socket) {
	const msg = "Error on transport creation for incoming connection"
	p, err := s.makeProtocol(conn)
	if err != nil {
		s.l.CallExceptionHandler(loop.ExceptionContext{Message: msg, Err: err})
		return
	}
	if _, err := startTransport(c, conn, p, s); err != nil && s.l.Debug() {
		s.l.CallExceptionHandler(loop.ExceptionContext{Message: msg, Err: err})
	}
}

// makeProtocol calls the factory for a connection on conn, closing conn
// if the factory fails; a panic becomes a *loop.PanicError.
func (s *Server) makeProtocol(conn *aionet.Socket) (p Protocol, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, loop.NewPanicError(r)
		}
	}()
	return callFactory(s.l, conn, s.factory)
}

// Close stops accepting connections and closes the listening sockets
// (asyncio's close). Connections already accepted stay open; see
// CloseClients and AbortClients. A ServeForever in progress returns a
// CancelledError.
func (s *Server) Close() {
	socks := s.socks
	if socks == nil {
		return
	}
	s.socks = nil
	for _, sock := range socks {
		s.l.RemoveReader(sock.FD())
		untrack(s.l, sock)
		sock.Close()
	}
	s.serving = false
	if f := s.servingForever; f != nil && !f.Done() {
		f.Cancel()
		s.servingForever = nil
	}
	if s.unixPath != "" {
		var st unix.Stat_t
		if unix.Stat(s.unixPath, &st) == nil && uint64(st.Ino) == s.unixIno {
			os.Remove(s.unixPath)
		}
	}
	if len(s.clients) == 0 {
		s.wakeup()
	}
}

// CloseClients closes every connection the server accepted, once its
// buffered data is sent (asyncio 3.13's close_clients).
func (s *Server) CloseClients() {
	for t := range s.clients {
		t.close()
	}
}

// AbortClients closes every connection the server accepted at once
// (asyncio 3.13's abort_clients).
func (s *Server) AbortClients() {
	for t := range s.clients {
		t.abort()
	}
}

// WaitClosed waits until the server is closed and all its connections are
// gone (asyncio's wait_closed as fixed in 3.12.1; 3.11's returned at once
// after close, gh-79033). Must be called in a task body.
func (s *Server) WaitClosed(c *task.Coro) error {
	if s.waiters == nil {
		return nil
	}
	w := future.New[struct{}](s.l)
	s.waiters = append(s.waiters, w)
	return c.Await(w)
}

// ServeForever accepts connections until the server is closed or the task
// is cancelled (asyncio's serve_forever); either way it closes the server,
// waits for its connections to go, and returns the CancelledError. Must be
// called in a task body.
func (s *Server) ServeForever(c *task.Coro) error {
	if s.servingForever != nil {
		return ErrServing
	}
	if s.socks == nil {
		return ErrServerClosed
	}
	if err := s.startServing(); err != nil {
		return err
	}
	f := future.New[struct{}](s.l)
	s.servingForever = f
	err := c.Await(f)
	if future.IsCancelled(err) {
		s.Close()
		if werr := s.WaitClosed(c); werr != nil && !future.IsCancelled(werr) {
			err = werr
		}
	}
	s.servingForever = nil
	return err
}
