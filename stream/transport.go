//go:build unix

package stream

import (
	"fmt"
	"io"
	"net"

	"github.com/goasyncio/goasyncio/aionet"
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
)

// maxRead is the most one read takes from the socket (asyncio's
// _SelectorTransport.max_size).
const maxRead = 256 << 10

// readBufKey is each loop's receive buffer: one callback runs at a time, so
// all connections of a loop share it. DataReceived gets a slice of it that
// is valid during the call only; the Reader copies what it keeps. (asyncio
// hands each data_received a new bytes object: one allocation and copy per
// read, which the streams path does not need.)
var readBufKey = loop.NewKey[[]byte]("stream receive buffer")

// A Transport is a connection as a Protocol sees it (asyncio.Transport, as
// loop.create_connection and loop.create_server make it): it reads from
// the socket when the loop reports it readable and hands the data to the
// protocol, sends what it can at once and buffers the rest until the
// socket is writable, and tells the protocol to pause or resume writing
// around its water marks. It ports CPython 3.11's _SelectorSocketTransport
// with its bases (_SelectorTransport, _FlowControlMixin).
//
// Transports come from CreateConnection, CreateServer (each protocol
// gets its own in ConnectionMade) and Writer.Transport; the zero
// Transport is not usable. A Transport's methods must be called on its
// loop's goroutine.
type Transport struct {
	l      *loop.Loop
	sock   *aionet.Socket
	fd     int
	proto  Protocol // nil once ConnectionLost has run
	server *Server

	// The socket's addresses, kept from the start (asyncio's extra
	// sockname and peername) so that they outlive the connection.
	local, remote net.Addr

	wbuf []byte // unsent data is wbuf[woff:]
	woff int

	connLost int   // set when the call to connectionLost is scheduled
	lostErr  error // the error the connection was lost with, for writes
	closing  bool  // close called (or the connection failed)
	paused   bool  // reading paused
	eof      bool  // WriteEOF called

	protocolPaused bool
	high, low      int

	readFn, writeFn func() // bound once, registered many times
}

func newTransport(l *loop.Loop, sock *aionet.Socket, p Protocol, waiter *future.Future[struct{}], server *Server) *Transport {
	t := &Transport{l: l, sock: sock, fd: sock.FD(), proto: p, server: server,
		local: sock.LocalAddr(), remote: sock.RemoteAddr()}
	t.setWriteBufferLimits(-1, -1)
	t.readFn, t.writeFn = t.readReady, t.writeReady
	track(l, sock)
	if server != nil {
		server.attach(t)
	}
	// Disable Nagle's algorithm: small writes go out without waiting for
	// the peer's acknowledgement.
	sock.SetNoDelay(true)
	l.CallSoon(func() { p.ConnectionMade(t) })
	// Start reading only once connectionMade has run.
	l.CallSoon(t.addReader)
	if waiter != nil {
		// Wake the waiter once connectionMade has run.
		l.CallSoon(func() {
			if !waiter.Cancelled() {
				waiter.SetResult(struct{}{})
			}
		})
	}
	return t
}

func (t *Transport) bufferSize() int { return len(t.wbuf) - t.woff }

func (t *Transport) isReading() bool { return !t.closing && !t.paused }

func (t *Transport) addReader() {
	if !t.isReading() {
		return
	}
	if _, err := t.l.AddReader(t.fd, t.readFn); err != nil {
		t.fatalError(err)
	}
}

func (t *Transport) pauseReading() {
	if !t.isReading() {
		return
	}
	t.paused = true
	t.l.RemoveReader(t.fd)
}

func (t *Transport) resumeReading() {
	if t.closing || !t.paused {
		return
	}
	t.paused = false
	t.addReader()
}

// readReady is _read_ready__data_received.
func (t *Transport) readReady() {
	if t.connLost > 0 {
		return
	}
	buf := readBufKey.Get(t.l)
	if *buf == nil {
		*buf = make([]byte, maxRead)
	}
	n, err := t.sock.TryRecvInto(*buf)
	switch {
	case err == aionet.ErrWouldBlock:
		return
	case err == io.EOF:
		t.readReadyOnEOF()
		return
	case err != nil:
		t.fatalError(err)
		return
	}
	t.dataReceived((*buf)[:n])
}

// dataReceived hands data to the protocol; if the protocol panics, the
// transport fails with the panic (asyncio's _fatal_error).
func (t *Transport) dataReceived(data []byte) {
	defer t.recoverFatal("Fatal error: protocol.data_received() call failed.")
	t.proto.DataReceived(data)
}

func (t *Transport) readReadyOnEOF() {
	keepOpen, ok := t.eofReceived()
	if !ok {
		return // the protocol panicked: the transport is closing
	}
	if keepOpen {
		// Keep the connection open for writing, but stop reading.
		t.l.RemoveReader(t.fd)
	} else {
		t.close()
	}
}

// write is _SelectorSocketTransport.write: send at once if nothing is
// buffered, buffer the rest and wait for writability. It returns the error
// if the connection failed on this write.
func (t *Transport) write(p []byte) error {
	if len(p) == 0 {
		return nil
	}
	if t.bufferSize() == 0 {
		n, err := t.sock.TrySend(p)
		switch {
		case err == aionet.ErrWouldBlock:
		case err != nil:
			t.fatalError(err)
			return err
		default:
			p = p[n:]
			if len(p) == 0 {
				return nil
			}
		}
		if _, err := t.l.AddWriter(t.fd, t.writeFn); err != nil {
			t.fatalError(err)
			return err
		}
	}
	if t.woff > 0 && t.woff >= len(t.wbuf)/2 {
		t.wbuf = t.wbuf[:copy(t.wbuf, t.wbuf[t.woff:])]
		t.woff = 0
	}
	t.wbuf = append(t.wbuf, p...)
	t.maybePauseProtocol()
	return nil
}

// writeReady is _SelectorSocketTransport._write_ready.
func (t *Transport) writeReady() {
	if t.connLost > 0 || t.bufferSize() == 0 {
		return
	}
	n, err := t.sock.TrySend(t.wbuf[t.woff:])
	switch {
	case err == aionet.ErrWouldBlock:
		return
	case err != nil:
		t.l.RemoveWriter(t.fd)
		t.clearBuffer()
		t.fatalError(err)
		return
	}
	t.woff += n
	if t.woff == len(t.wbuf) {
		t.clearBuffer()
	}
	t.maybeResumeProtocol() // may write more
	if t.bufferSize() == 0 {
		t.l.RemoveWriter(t.fd)
		if t.closing {
			t.callConnectionLost(nil)
		} else if t.eof {
			t.sock.CloseWrite()
		}
	}
}

func (t *Transport) clearBuffer() { t.wbuf, t.woff = t.wbuf[:0], 0 }

func (t *Transport) writeEOF() {
	if t.closing || t.eof {
		return
	}
	t.eof = true
	if t.bufferSize() == 0 {
		t.sock.CloseWrite()
	}
}

// close stops reading and closes the connection once the buffer is sent.
func (t *Transport) close() {
	if t.closing {
		return
	}
	t.closing = true
	t.l.RemoveReader(t.fd)
	if t.bufferSize() == 0 {
		t.connLost++
		t.l.RemoveWriter(t.fd)
		t.l.CallSoon(func() { t.callConnectionLost(nil) })
	}
}

// abort closes the connection at once, dropping unsent data.
func (t *Transport) abort() { t.forceClose(nil) }

// eofReceived asks the protocol whether to keep the connection open; ok
// is false if it panicked (and the transport failed with the panic).
func (t *Transport) eofReceived() (keepOpen, ok bool) {
	defer t.recoverFatal("Fatal error: protocol.eof_received() call failed.")
	keepOpen = t.proto.EOFReceived()
	return keepOpen, true
}

// fatalError is _fatal_error for the socket errors it sees (OSError):
// asyncio logs them only in debug mode and closes the connection.
func (t *Transport) fatalError(err error) {
	if t.l.Debug() {
		t.l.CallExceptionHandler(loop.ExceptionContext{Message: "Fatal error on transport", Err: err})
	}
	t.forceClose(err)
}

func (t *Transport) forceClose(err error) {
	if t.connLost > 0 {
		return
	}
	if t.bufferSize() > 0 {
		t.clearBuffer()
		t.l.RemoveWriter(t.fd)
	}
	if !t.closing {
		t.closing = true
		t.l.RemoveReader(t.fd)
	}
	t.connLost++
	t.lostErr = err
	t.l.CallSoon(func() { t.callConnectionLost(err) })
}

// recoverFatal, deferred around a call into the protocol, is _fatal_error
// for an exception the protocol raised: a panic goes to the exception
// handler (always, as asyncio reports any error but an OSError) and closes
// the connection with a *loop.PanicError, which ConnectionLost receives.
func (t *Transport) recoverFatal(msg string) {
	if r := recover(); r != nil {
		err := loop.NewPanicError(r)
		t.l.CallExceptionHandler(loop.ExceptionContext{Message: msg, Err: err})
		t.forceClose(err)
	}
}

// recoverReport, deferred around PauseWriting and ResumeWriting, reports a
// panic to the exception handler and leaves the connection alone, as
// _FlowControlMixin does.
func (t *Transport) recoverReport(msg string) {
	if r := recover(); r != nil {
		t.l.CallExceptionHandler(loop.ExceptionContext{Message: msg, Err: loop.NewPanicError(r)})
	}
}

// callConnectionLost is _call_connection_lost: tell the protocol, then
// close the socket and leave the server, even if ConnectionLost panics
// (the panic goes on to the loop's exception handler).
func (t *Transport) callConnectionLost(err error) {
	defer t.release()
	if p := t.proto; p != nil {
		p.ConnectionLost(err)
	}
}

func (t *Transport) release() {
	t.proto = nil
	untrack(t.l, t.sock)
	t.sock.Close()
	if s := t.server; s != nil {
		t.server = nil
		s.detach(t)
	}
}

// setWriteBufferLimits is _set_write_buffer_limits; a negative value is
// Python's None.
func (t *Transport) setWriteBufferLimits(high, low int) error {
	if high < 0 {
		if low < 0 {
			high = 64 << 10
		} else {
			high = 4 * low
		}
	}
	if low < 0 {
		low = high / 4
	}
	if high < low {
		return fmt.Errorf("stream: high (%d) must be >= low (%d) must be >= 0", high, low)
	}
	t.high, t.low = high, low
	return nil
}

func (t *Transport) maybePauseProtocol() {
	if t.bufferSize() <= t.high {
		return
	}
	if !t.protocolPaused {
		t.protocolPaused = true
		t.pauseWriting()
	}
}

func (t *Transport) maybeResumeProtocol() {
	if t.protocolPaused && t.bufferSize() <= t.low {
		t.protocolPaused = false
		t.resumeWriting()
	}
}

func (t *Transport) pauseWriting() {
	defer t.recoverReport("protocol.pause_writing() failed")
	t.proto.PauseWriting()
}

func (t *Transport) resumeWriting() {
	defer t.recoverReport("protocol.resume_writing() failed")
	t.proto.ResumeWriting()
}
