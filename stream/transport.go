//go:build unix

package stream

import (
	"fmt"
	"io"

	"github.com/goasyncio/goasyncio/aionet"
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
)

// maxRead is the most one read takes from the socket (asyncio's
// _SelectorTransport.max_size).
const maxRead = 256 << 10

// readBufKey is each loop's receive buffer: one callback runs at a time, so
// all connections of a loop share it, and the Reader copies what it keeps.
var readBufKey = loop.NewKey[[]byte]("stream receive buffer")

// transport is asyncio's _SelectorSocketTransport with its bases
// (_SelectorTransport, _FlowControlMixin): it reads from the socket when
// the loop reports it readable and hands the data to the protocol, sends
// what it can at once and buffers the rest until the socket is writable,
// and tells the protocol to pause or resume writing around its water marks.
type transport struct {
	l      *loop.Loop
	sock   *aionet.Socket
	fd     int
	proto  *protocol
	server *Server

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

func newTransport(l *loop.Loop, sock *aionet.Socket, p *protocol, waiter *future.Future[struct{}], server *Server) *transport {
	t := &transport{l: l, sock: sock, fd: sock.FD(), proto: p, server: server}
	t.setWriteBufferLimits(-1, -1)
	t.readFn, t.writeFn = t.readReady, t.writeReady
	track(l, sock)
	if server != nil {
		server.attach(t)
	}
	// Disable Nagle's algorithm: small writes go out without waiting for
	// the peer's acknowledgement.
	sock.SetNoDelay(true)
	l.CallSoon(func() { p.connectionMade(t) })
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

func (t *transport) bufferSize() int { return len(t.wbuf) - t.woff }

func (t *transport) isReading() bool { return !t.closing && !t.paused }

func (t *transport) addReader() {
	if !t.isReading() {
		return
	}
	if _, err := t.l.AddReader(t.fd, t.readFn); err != nil {
		t.fatalError(err)
	}
}

func (t *transport) pauseReading() {
	if !t.isReading() {
		return
	}
	t.paused = true
	t.l.RemoveReader(t.fd)
}

func (t *transport) resumeReading() {
	if t.closing || !t.paused {
		return
	}
	t.paused = false
	t.addReader()
}

// readReady is _read_ready__data_received.
func (t *transport) readReady() {
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
	t.proto.dataReceived((*buf)[:n])
}

func (t *transport) readReadyOnEOF() {
	if t.proto.eofReceived() {
		// Keep the connection open for writing, but stop reading.
		t.l.RemoveReader(t.fd)
	} else {
		t.close()
	}
}

// write is _SelectorSocketTransport.write: send at once if nothing is
// buffered, buffer the rest and wait for writability. It returns the error
// if the connection failed on this write.
func (t *transport) write(p []byte) error {
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
func (t *transport) writeReady() {
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

func (t *transport) clearBuffer() { t.wbuf, t.woff = t.wbuf[:0], 0 }

func (t *transport) writeEOF() {
	if t.closing || t.eof {
		return
	}
	t.eof = true
	if t.bufferSize() == 0 {
		t.sock.CloseWrite()
	}
}

// close stops reading and closes the connection once the buffer is sent.
func (t *transport) close() {
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
func (t *transport) abort() { t.forceClose(nil) }

// fatalError is _fatal_error for the socket errors it sees (OSError):
// asyncio logs them only in debug mode and closes the connection.
func (t *transport) fatalError(err error) {
	if t.l.Debug() {
		t.l.CallExceptionHandler(loop.ExceptionContext{Message: "Fatal error on transport", Err: err})
	}
	t.forceClose(err)
}

func (t *transport) forceClose(err error) {
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

func (t *transport) callConnectionLost(err error) {
	if t.proto != nil {
		t.proto.connectionLostCalled(err)
		t.proto = nil
	}
	untrack(t.l, t.sock)
	t.sock.Close()
	if s := t.server; s != nil {
		t.server = nil
		s.detach(t)
	}
}

// setWriteBufferLimits is _set_write_buffer_limits; a negative value is
// Python's None.
func (t *transport) setWriteBufferLimits(high, low int) error {
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

func (t *transport) maybePauseProtocol() {
	if t.bufferSize() <= t.high {
		return
	}
	if !t.protocolPaused {
		t.protocolPaused = true
		t.proto.pauseWriting()
	}
}

func (t *transport) maybeResumeProtocol() {
	if t.protocolPaused && t.bufferSize() <= t.low {
		t.protocolPaused = false
		t.proto.resumeWriting()
	}
}
