// Package stream is asyncio's network I/O over TCP (IPv4, IPv6) and
// Unix-domain sockets, at both of asyncio's levels: connections as a
// Reader and a Writer, with servers that run a Handler task per connection
// (streams: OpenConnection, StartServer), and connections as a Transport
// that calls a Protocol's methods (loop.create_connection and
// loop.create_server: CreateConnection, CreateServer). It ports CPython
// 3.11's streams.py with the selector transport under it
// (selector_events.py's _SelectorSocketTransport, transports.py's flow
// control) and base_events' Server, so that reads, writes,
// connection_made and connection_lost happen at the loop iterations where
// asyncio has them. The streams are a Protocol of their own
// (StreamReaderProtocol) over the same Transport.
//
// A read waits only when the Reader's buffer does not hold what it asks
// for; a Write never waits: what the socket does not take at once is
// buffered, and Drain applies back-pressure above the high-water mark. The
// Reader stops reading from the socket while it holds more than twice its
// limit.
//
//	srv, err := stream.StartServer(c, func(c *task.Coro, r *stream.Reader, w *stream.Writer) error {
//		defer w.Close()
//		for line, err := range r.Lines(c) {
//			if err != nil {
//				return err
//			}
//			w.Write(line)
//			if err := w.Drain(c); err != nil {
//				return err
//			}
//		}
//		return nil
//	}, "127.0.0.1", 0)
//
// A Protocol does the same with callbacks: the transport calls
// DataReceived with what it reads, and Write never waits; PauseWriting and
// ResumeWriting say when to stop and start writing again. The slice
// DataReceived gets is only valid during the call (the transport reads
// every connection of a loop into one buffer, so reading allocates
// nothing): copy what you keep. Embed BaseProtocol for the methods you do
// not need.
//
//	type echo struct {
//		stream.BaseProtocol
//		t *stream.Transport
//	}
//
//	func (e *echo) ConnectionMade(t *stream.Transport) { e.t = t }
//	func (e *echo) DataReceived(data []byte)        { e.t.Write(data) }
//
//	srv, err := stream.CreateServer(c, "tcp", "127.0.0.1:8888", func() stream.Protocol { return &echo{} })
//
// Datagram sockets (UDP over IPv4 and IPv6, and Unix-domain) have the same
// callback level (loop.create_datagram_endpoint): CreateDatagramEndpoint
// makes a DatagramTransport that calls a DatagramProtocol's
// DatagramReceived with each datagram and its sender's address (a view of
// the loop's receive buffer too), and ErrorReceived with a send or
// receive error, such as ECONNREFUSED on a connected endpoint whose peer
// is not listening; the endpoint stays open. SendTo never waits: what the
// socket does not take at once is buffered, with the same flow control.
//
// # Concurrency
//
// Everything runs on the loop's goroutine: the functions and methods that
// wait (OpenConnection, StartServer, CreateConnection, CreateServer,
// CreateDatagramEndpoint, the Reader's reads, Drain, WaitClosed,
// ServeForever) in a task body, the others on the loop's goroutine (a task
// body or a callback). A Protocol's and a DatagramProtocol's methods are
// called on the loop's goroutine, as callbacks. One task at a time may
// wait in a Reader's read.
//
// # Errors
//
// Connection errors are *net.OpError values from package aionet
// (errors.Is(err, syscall.ECONNRESET), syscall.ECONNREFUSED,
// syscall.EADDRINUSE). End of stream is io.EOF for Read and ReadLine,
// *IncompleteReadError (matching io.ErrUnexpectedEOF) for ReadExactly and
// ReadUntil. Writes on a closed Writer or Transport fail with ErrClosed.
// A Protocol's ConnectionLost gets nil for a close, the connection's error
// for a failure, and a *loop.PanicError when one of its methods panicked
// (which also goes to the loop's exception handler).
//
// # Differences from asyncio
//
//   - Read and ReadLine return io.EOF at end of stream, where asyncio
//     returns b"".
//   - Write on a closed or failed connection returns an error; asyncio
//     drops the data (logging a warning after a few writes), or, on a
//     transport closed with data still buffered, buffers it.
//   - DataReceived's data is a view of the loop's receive buffer, valid
//     during the call; asyncio passes a new bytes object each time.
//   - get_extra_info's keys are methods: LocalAddr, RemoteAddr, Socket.
//   - A CreateServer factory that panics or returns nil is reported to the
//     exception handler and its connection closed; asyncio reports a
//     failing factory only in debug mode. BufferedProtocol (get_buffer)
//     and start_tls are not ported.
//   - Server.WaitClosed waits for the connections to go, as in asyncio
//     3.12.1 and later; 3.11's returned at once once the server was closed.
//   - A Handler task that is cancelled closes its connection without
//     reporting an error (as in 3.12; 3.11 reports the CancelledError).
//   - Sockets still open when their loop closes are closed with it.
//   - DatagramTransport.SendTo returns ErrInvalidAddress for an address of
//     the wrong type or none on an unconnected endpoint (asyncio fails the
//     transport with the TypeError), and ErrClosed once the endpoint is
//     closing (asyncio drops the datagram, or sends it on an unconnected
//     endpoint). Abort empties the buffer, so WriteBufferSize is 0 after
//     it (asyncio 3.11 leaves the old size).
//
// # asyncio mapping
//
//	reader, writer = await asyncio.open_connection(host, port) → r, w, err := stream.OpenConnection(c, host, port)
//	await asyncio.open_unix_connection(path)                    → stream.OpenUnixConnection(c, path)
//	server = await asyncio.start_server(cb, host, port)         → srv, err := stream.StartServer(c, handler, host, port)
//	await asyncio.start_unix_server(cb, path)                   → stream.StartUnixServer(c, handler, path)
//	limit=, backlog=, reuse_port=, start_serving=False          → stream.WithLimit(n), WithBacklog(n), WithReusePort(), DeferServing()
//	await reader.read(n) / read() / read(0)                     → r.Read(c, n) / r.Read(c, -1) / r.Read(c, 0)
//	await reader.readline() / readexactly(n) / readuntil(sep)   → r.ReadLine(c) / r.ReadExactly(c, n) / r.ReadUntil(c, sep)
//	async for line in reader                                    → for line, err := range r.Lines(c)
//	reader.at_eof() / exception() / feed_data / feed_eof        → r.AtEOF() / r.Exception() / r.FeedData / r.FeedEOF
//	StreamReader(limit=n)                                       → stream.NewReader(l, stream.WithLimit(n))
//	writer.write(data) / writelines / write_eof()               → w.Write(data) / repeated Write / w.WriteEOF()
//	await writer.drain()                                        → w.Drain(c)
//	writer.close(); await writer.wait_closed()                  → w.Close(); w.WaitClosed(c)
//	writer.is_closing() / transport.abort()                     → w.IsClosing() / w.Abort()
//	get_extra_info('sockname') / ('peername')                   → w.LocalAddr() / w.RemoteAddr()
//	transport.set_write_buffer_limits(high, low)                → w.SetWriteBufferLimits(high, low) (-1 for None)
//	transport.get_write_buffer_size() / _limits()               → w.WriteBufferSize() / w.WriteBufferLimits()
//	server.close() / await server.wait_closed()                 → srv.Close() / srv.WaitClosed(c)
//	await server.serve_forever() / start_serving()              → srv.ServeForever(c) / srv.StartServing(c)
//	server.is_serving() / server.sockets                        → srv.IsServing() / srv.Addrs()
//	server.close_clients() / abort_clients() (3.13)             → srv.CloseClients() / srv.AbortClients()
//	IncompleteReadError / LimitOverrunError                     → *stream.IncompleteReadError / *stream.LimitOverrunError
//	writer.transport                                            → w.Transport()
//
// Transports and protocols:
//
//	await loop.create_connection(factory, host, port)           → t, p, err := stream.CreateConnection(c, "tcp", "host:port", factory)
//	await loop.create_unix_connection(factory, path)            → stream.CreateConnection(c, "unix", path, factory)
//	await loop.create_server(factory, host, port)               → srv, err := stream.CreateServer(c, "tcp", "host:port", factory)
//	await loop.create_unix_server(factory, path)                → stream.CreateServer(c, "unix", path, factory)
//	family=AF_INET / AF_INET6                                   → network "tcp4" / "tcp6"
//	class P(asyncio.Protocol)                                   → a type implementing stream.Protocol (embed stream.BaseProtocol)
//	connection_made(transport) / connection_lost(exc)           → ConnectionMade(t *stream.Transport) / ConnectionLost(err error)
//	data_received(data) / eof_received()                        → DataReceived(data []byte) / EOFReceived() bool
//	pause_writing() / resume_writing()                          → PauseWriting() / ResumeWriting()
//	transport.write(data) / writelines / write_eof()            → t.Write(data) / repeated Write / t.WriteEOF()
//	transport.can_write_eof() / close() / abort()               → t.CanWriteEOF() / t.Close() / t.Abort()
//	transport.is_closing()                                      → t.IsClosing()
//	transport.pause_reading() / resume_reading() / is_reading() → t.PauseReading() / t.ResumeReading() / t.IsReading()
//	transport.set_write_buffer_limits(high, low)                → t.SetWriteBufferLimits(high, low) (-1 for None)
//	transport.get_write_buffer_size() / _limits()               → t.WriteBufferSize() / t.WriteBufferLimits()
//	get_extra_info('sockname') / ('peername') / ('socket')      → t.LocalAddr() / t.RemoteAddr() / t.Socket()
//	transport.get_protocol() / set_protocol(p)                  → t.Protocol() / t.SetProtocol(p)
//	asyncio.get_running_loop() in a protocol                    → t.Loop()
//
// Datagram endpoints:
//
//	await loop.create_datagram_endpoint(factory, local_addr=a)  → t, p, err := stream.CreateDatagramEndpoint(c, "udp", factory, stream.WithLocalAddr("host:port"))
//	remote_addr= / allow_broadcast=True / reuse_port=True       → stream.WithRemoteAddr(addr) / WithAllowBroadcast() / WithDatagramReusePort()
//	family=AF_INET / AF_INET6 / AF_UNIX                         → network "udp4" / "udp6" / "unixgram" (paths for addresses)
//	class P(asyncio.DatagramProtocol)                           → a type implementing stream.DatagramProtocol (embed stream.BaseDatagramProtocol)
//	datagram_received(data, addr) / error_received(exc)         → DatagramReceived(data []byte, addr net.Addr) / ErrorReceived(err error)
//	transport.sendto(data, addr) / sendto(data)                 → t.SendTo(data, addr) / t.SendTo(data, nil) (with a remote address)
//	ValueError from sendto to another address                   → errors.Is(err, stream.ErrInvalidAddress)
//	close() / abort() / is_closing() / get_write_buffer_size()  → t.Close() / t.Abort() / t.IsClosing() / t.WriteBufferSize()
//	get_extra_info('sockname') / ('peername') / ('socket')      → t.LocalAddr() / t.RemoteAddr() / t.Socket()
//
// The package is available on Unix systems.
package stream
