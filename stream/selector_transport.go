//go:build unix

package stream

import (
	"fmt"
	"net"

	"github.com/goasyncio/goasyncio/aionet"
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
)

// selectorTransport is what Transport and DatagramTransport share: CPython
// 3.11's _SelectorTransport with _FlowControlMixin. It holds the socket and
// its registration with the loop, reading's pause state, the close, abort
// and connection-lost bookkeeping, and the write water marks with the
// protocol's pause/resume notifications. Each transport embeds one and
// supplies, through impl, what differs: its buffer, its protocol and its
// _call_connection_lost. The hot paths (reading, writing) stay in the
// transports and call into the base statically; impl is used only on the
// slow paths (closing, crossing a water mark).
type selectorTransport struct {
	l    *loop.Loop
	sock *aionet.Socket
	fd   int
	impl transportImpl // the embedding transport

	// The socket's addresses, kept from the start (asyncio's extra
	// sockname and peername) so that they outlive the connection.
	local, remote net.Addr

	connLost int   // set when the call to connectionLost is scheduled
	lostErr  error // the error the connection was lost with, for writes
	closing  bool  // close called (or the connection failed)
	paused   bool  // reading paused

	protocolPaused bool
	high, low      int

	readFn, writeFn func() // bound once, registered many times
}

// transportImpl is what a transport supplies to its selectorTransport.
type transportImpl interface {
	// bufferSize is the number of bytes buffered and not yet sent.
	bufferSize() int
	// clearBuffer drops the buffered data.
	clearBuffer()
	// writeFlow is the protocol, for PauseWriting and ResumeWriting.
	writeFlow() writeFlowProtocol
	// callConnectionLost is _call_connection_lost.
	callConnectionLost(err error)
}

// writeFlowProtocol is the part of Protocol and DatagramProtocol that write
// flow control calls.
type writeFlowProtocol interface {
	PauseWriting()
	ResumeWriting()
}

// init is _SelectorTransport.__init__ (less the server, which only
// Transport has): it keeps the socket and its addresses, sets the default
// water marks and tracks the socket for the loop's shutdown.
func (t *selectorTransport) init(l *loop.Loop, sock *aionet.Socket, impl transportImpl, readFn, writeFn func()) {
	t.l, t.sock, t.fd, t.impl = l, sock, sock.FD(), impl
	t.local, t.remote = sock.LocalAddr(), sock.RemoteAddr()
	t.setWriteBufferLimits(-1, -1)
	t.readFn, t.writeFn = readFn, writeFn
	track(l, sock)
}

// start is the end of both transports' __init__: it schedules the
// protocol's ConnectionMade, then the start of reading, then the waking of
// waiter, each with CallSoon.
func (t *selectorTransport) start(connectionMade func(), waiter *future.Future[struct{}]) {
	t.l.CallSoon(connectionMade)
	// Start reading only once connectionMade has run.
	t.l.CallSoon(t.addReader)
	if waiter != nil {
		// Wake the waiter once connectionMade has run.
		t.l.CallSoon(func() {
			if !waiter.Cancelled() {
				waiter.SetResult(struct{}{})
			}
		})
	}
}

func (t *selectorTransport) isReading() bool { return !t.closing && !t.paused }

func (t *selectorTransport) addReader() {
	if !t.isReading() {
		return
	}
	if _, err := t.l.AddReader(t.fd, t.readFn); err != nil {
		t.fatalError(err)
	}
}

func (t *selectorTransport) pauseReading() {
	if !t.isReading() {
		return
	}
	t.paused = true
	t.l.RemoveReader(t.fd)
}

func (t *selectorTransport) resumeReading() {
	if t.closing || !t.paused {
		return
	}
	t.paused = false
	t.addReader()
}

// close stops reading and closes the connection once the buffer is sent.
func (t *selectorTransport) close() {
	if t.closing {
		return
	}
	t.closing = true
	t.l.RemoveReader(t.fd)
	if t.impl.bufferSize() == 0 {
		t.connLost++
		t.l.RemoveWriter(t.fd)
		t.l.CallSoon(func() { t.impl.callConnectionLost(nil) })
	}
}

// abort closes the connection at once, dropping unsent data.
func (t *selectorTransport) abort() { t.forceClose(nil) }

// fatalError is _fatal_error for the socket errors it sees (OSError):
// asyncio logs them only in debug mode and closes the connection.
func (t *selectorTransport) fatalError(err error) {
	if t.l.Debug() {
		t.l.CallExceptionHandler(loop.ExceptionContext{Message: "Fatal error on transport", Err: err})
	}
	t.forceClose(err)
}

// forceClose is _force_close: drop the buffer, stop reading, and schedule
// ConnectionLost.
func (t *selectorTransport) forceClose(err error) {
	if t.connLost > 0 {
		return
	}
	if t.impl.bufferSize() > 0 {
		t.impl.clearBuffer()
		t.l.RemoveWriter(t.fd)
	}
	if !t.closing {
		t.closing = true
		t.l.RemoveReader(t.fd)
	}
	t.connLost++
	t.lostErr = err
	t.l.CallSoon(func() { t.impl.callConnectionLost(err) })
}

// closeSocket is the socket's part of _call_connection_lost: the loop's
// shutdown no longer needs to close it.
func (t *selectorTransport) closeSocket() {
	untrack(t.l, t.sock)
	t.sock.Close()
}

// recoverReport, deferred around PauseWriting and ResumeWriting, reports a
// panic to the exception handler and leaves the connection alone, as
// _FlowControlMixin does.
func (t *selectorTransport) recoverReport(msg string) {
	if r := recover(); r != nil {
		t.l.CallExceptionHandler(loop.ExceptionContext{Message: msg, Err: loop.NewPanicError(r)})
	}
}

// setWriteBufferLimits is _set_write_buffer_limits; a negative value is
// Python's None.
func (t *selectorTransport) setWriteBufferLimits(high, low int) error {
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

// setWriteBufferLimitsAndPause is set_write_buffer_limits: a buffer
// already above the new high pauses the protocol at once.
func (t *selectorTransport) setWriteBufferLimitsAndPause(high, low int) error {
	if err := t.setWriteBufferLimits(high, low); err != nil {
		return err
	}
	if t.impl.writeFlow() != nil {
		t.maybePauseProtocol(t.impl.bufferSize())
	}
	return nil
}

// maybePauseProtocol is _maybe_pause_protocol; size is the buffer's size,
// which the caller has at hand.
func (t *selectorTransport) maybePauseProtocol(size int) {
	if size <= t.high {
		return
	}
	if !t.protocolPaused {
		t.protocolPaused = true
		t.pauseWriting()
	}
}

// maybeResumeProtocol is _maybe_resume_protocol; size is the buffer's size.
func (t *selectorTransport) maybeResumeProtocol(size int) {
	if t.protocolPaused && size <= t.low {
		t.protocolPaused = false
		t.resumeWriting()
	}
}

func (t *selectorTransport) pauseWriting() {
	defer t.recoverReport("protocol.pause_writing() failed")
	t.impl.writeFlow().PauseWriting()
}

func (t *selectorTransport) resumeWriting() {
	defer t.recoverReport("protocol.resume_writing() failed")
	t.impl.writeFlow().ResumeWriting()
}
