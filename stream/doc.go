// Package stream is asyncio's high-level network I/O: connections as a
// Reader and a Writer, and servers that run a Handler task per connection,
// over TCP (IPv4, IPv6) and Unix-domain sockets. It ports CPython 3.11's
// streams.py with the selector transport under it (selector_events.py's
// _SelectorSocketTransport, transports.py's flow control) and base_events'
// Server, so that reads, writes, connection_made and connection_lost happen
// at the loop iterations where asyncio has them.
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
// # Concurrency
//
// Everything runs on the loop's goroutine: the functions and methods that
// wait (OpenConnection, StartServer, the Reader's reads, Drain,
// WaitClosed, ServeForever) in a task body, the others on the loop's
// goroutine (a task body or a callback). One task at a time may wait in a
// Reader's read.
//
// # Errors
//
// Connection errors are *net.OpError values from package aionet
// (errors.Is(err, syscall.ECONNRESET), syscall.ECONNREFUSED,
// syscall.EADDRINUSE). End of stream is io.EOF for Read and ReadLine,
// *IncompleteReadError (matching io.ErrUnexpectedEOF) for ReadExactly and
// ReadUntil. Writes on a closed Writer fail with ErrClosed.
//
// # Differences from asyncio
//
//   - Read and ReadLine return io.EOF at end of stream, where asyncio
//     returns b"".
//   - Write on a closed or failed connection returns an error; asyncio
//     drops the data (logging a warning after a few writes).
//   - Server.WaitClosed waits for the connections to go, as in asyncio
//     3.12.1 and later; 3.11's returned at once once the server was closed.
//   - A Handler task that is cancelled closes its connection without
//     reporting an error (as in 3.12; 3.11 reports the CancelledError).
//   - Sockets still open when their loop closes are closed with it.
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
//
// The package is available on Unix systems.
package stream
