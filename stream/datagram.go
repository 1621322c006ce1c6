//go:build unix

package stream

import (
	"bytes"
	"net"

	"github.com/goasyncio/goasyncio/aionet"
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
)

// A DatagramTransport is a datagram endpoint as a DatagramProtocol sees it
// (asyncio.DatagramTransport, as loop.create_datagram_endpoint makes it):
// it receives one datagram each time the loop reports the socket
// readable and hands it to the protocol with its sender's address, sends
// a datagram at once when nothing is buffered and buffers it otherwise
// until the socket is writable, and tells the protocol to pause or resume
// writing around its water marks. It ports CPython 3.11's
// _SelectorDatagramTransport with its bases (_SelectorTransport,
// _FlowControlMixin).
//
// DatagramTransports come from CreateDatagramEndpoint; the zero
// DatagramTransport is not usable. A DatagramTransport's methods must be
// called on its loop's goroutine.
type DatagramTransport struct {
	l     *loop.Loop
	sock  *aionet.Socket
	fd    int
	proto DatagramProtocol // nil once ConnectionLost has run

	// The socket's addresses, kept from the start (asyncio's extra
	// sockname and peername) so that they outlive the endpoint.
	local, remote net.Addr
	// address is the remote address the endpoint was made with, the only
	// one SendTo accepts (asyncio's _address); nil if none was given.
	address net.Addr

	buf     []datagram // unsent datagrams are buf[head:] (asyncio's deque)
	head    int
	bufSize int // bytes in buf[head:] (asyncio's _buffer_size)

	connLost int  // set when the call to connectionLost is scheduled
	closing  bool // close called (or the endpoint failed)
	paused   bool // reading paused

	protocolPaused bool
	high, low      int

	readFn, writeFn func() // bound once, registered many times
}

// A datagram waiting to be sent, with its destination.
type datagram struct {
	data []byte
	addr net.Addr
}

// newDatagramTransport is _SelectorDatagramTransport.__init__: it
// schedules the protocol's ConnectionMade, then the start of reading, then
// the waking of waiter, each with CallSoon.
func newDatagramTransport(l *loop.Loop, sock *aionet.Socket, p DatagramProtocol, address net.Addr, waiter *future.Future[struct{}]) *DatagramTransport {
	t := &DatagramTransport{l: l, sock: sock, fd: sock.FD(), proto: p,
		local: sock.LocalAddr(), remote: sock.RemoteAddr(), address: address}
	t.high, t.low, _ = waterMarks(-1, -1)
	t.readFn, t.writeFn = t.readReady, t.sendToReady
	track(l, sock)
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

func (t *DatagramTransport) bufferLen() int { return len(t.buf) - t.head }

func (t *DatagramTransport) isReading() bool { return !t.closing && !t.paused }

func (t *DatagramTransport) addReader() {
	if !t.isReading() {
		return
	}
	if _, err := t.l.AddReader(t.fd, t.readFn); err != nil {
		t.fatalError(err)
	}
}

func (t *DatagramTransport) pauseReading() {
	if !t.isReading() {
		return
	}
	t.paused = true
	t.l.RemoveReader(t.fd)
}

func (t *DatagramTransport) resumeReading() {
	if t.closing || !t.paused {
		return
	}
	t.paused = false
	t.addReader()
}

// readReady is _read_ready: one datagram per readiness. A panic in the
// protocol goes on to the loop, which reports it as a panic in a callback
// (asyncio does not catch what datagram_received raises).
func (t *DatagramTransport) readReady() {
	if t.connLost > 0 || t.proto == nil {
		return
	}
	buf := readBufKey.Get(t.l)
	if *buf == nil {
		*buf = make([]byte, maxRead)
	}
	n, addr, err := t.sock.TryRecvFromInto(*buf)
	switch {
	case err == aionet.ErrWouldBlock:
	case err != nil:
		t.proto.ErrorReceived(err)
	default:
		t.proto.DatagramReceived((*buf)[:n], addr)
	}
}

// send sends one datagram: with send(2) on a connected socket (asyncio
// looks at its peername), with sendto(2) to addr otherwise.
func (t *DatagramTransport) send(data []byte, addr net.Addr) error {
	if t.remote != nil {
		_, err := t.sock.TrySend(data)
		return err
	}
	return t.sock.TrySendTo(data, addr)
}

// sendTo is sendto once its arguments are checked: send at once if
// nothing is buffered, buffer a copy otherwise (or if the socket would
// block) and wait for writability. A socket error goes to ErrorReceived.
func (t *DatagramTransport) sendTo(data []byte, addr net.Addr) error {
	if t.bufferLen() == 0 {
		// Attempt to send it right away first.
		err := t.send(data, addr)
		switch {
		case err == nil:
			return nil
		case err == aionet.ErrWouldBlock:
			if _, err := t.l.AddWriter(t.fd, t.writeFn); err != nil {
				t.fatalError(err)
				return err
			}
		default:
			t.proto.ErrorReceived(err)
			return nil
		}
	}
	if t.head > 0 && t.head >= len(t.buf)/2 {
		n := copy(t.buf, t.buf[t.head:])
		clear(t.buf[n:])
		t.buf, t.head = t.buf[:n], 0
	}
	t.buf = append(t.buf, datagram{bytes.Clone(data), addr})
	t.bufSize += len(data)
	t.maybePauseProtocol()
	return nil
}

// sendToReady is _sendto_ready: send the buffered datagrams in order until
// the socket would block.
func (t *DatagramTransport) sendToReady() {
	for t.bufferLen() > 0 {
		d := t.buf[t.head]
		t.buf[t.head] = datagram{}
		t.head++
		t.bufSize -= len(d.data)
		err := t.send(d.data, d.addr)
		if err == aionet.ErrWouldBlock {
			t.head-- // try again later
			t.buf[t.head] = d
			t.bufSize += len(d.data)
			break
		}
		if err != nil {
			t.proto.ErrorReceived(err)
			return
		}
	}
	t.maybeResumeProtocol() // may append to the buffer
	if t.bufferLen() == 0 {
		t.clearBuffer()
		t.l.RemoveWriter(t.fd)
		if t.closing {
			t.callConnectionLost(nil)
		}
	}
}

func (t *DatagramTransport) clearBuffer() {
	clear(t.buf)
	t.buf, t.head, t.bufSize = t.buf[:0], 0, 0
}

// close stops reading and closes the endpoint once the buffer is sent.
func (t *DatagramTransport) close() {
	if t.closing {
		return
	}
	t.closing = true
	t.l.RemoveReader(t.fd)
	if t.bufferLen() == 0 {
		t.connLost++
		t.l.RemoveWriter(t.fd)
		t.l.CallSoon(func() { t.callConnectionLost(nil) })
	}
}

// fatalError is _fatal_error for the errors it can see (OSError from
// registering the socket with the loop): asyncio logs them only in debug
// mode and closes the endpoint.
func (t *DatagramTransport) fatalError(err error) {
	if t.l.Debug() {
		t.l.CallExceptionHandler(loop.ExceptionContext{Message: "Fatal error on transport", Err: err})
	}
	t.forceClose(err)
}

// forceClose is _force_close: drop the buffer, stop reading, and schedule
// ConnectionLost.
func (t *DatagramTransport) forceClose(err error) {
	if t.connLost > 0 {
		return
	}
	if t.bufferLen() > 0 {
		t.clearBuffer()
		t.l.RemoveWriter(t.fd)
	}
	if !t.closing {
		t.closing = true
		t.l.RemoveReader(t.fd)
	}
	t.connLost++
	t.l.CallSoon(func() { t.callConnectionLost(err) })
}

// callConnectionLost is _call_connection_lost: tell the protocol, then
// close the socket, even if ConnectionLost panics (the panic goes on to
// the loop's exception handler).
func (t *DatagramTransport) callConnectionLost(err error) {
	defer t.release()
	if p := t.proto; p != nil {
		p.ConnectionLost(err)
	}
}

func (t *DatagramTransport) release() {
	t.proto = nil
	untrack(t.l, t.sock)
	t.sock.Close()
}

func (t *DatagramTransport) maybePauseProtocol() {
	if t.bufSize <= t.high {
		return
	}
	if !t.protocolPaused {
		t.protocolPaused = true
		t.pauseWriting()
	}
}

func (t *DatagramTransport) maybeResumeProtocol() {
	if t.protocolPaused && t.bufSize <= t.low {
		t.protocolPaused = false
		t.resumeWriting()
	}
}

// pauseWriting and resumeWriting report a panic to the exception handler
// and leave the endpoint alone, as _FlowControlMixin does.
func (t *DatagramTransport) pauseWriting() {
	defer t.recoverReport("protocol.pause_writing() failed")
	t.proto.PauseWriting()
}

func (t *DatagramTransport) resumeWriting() {
	defer t.recoverReport("protocol.resume_writing() failed")
	t.proto.ResumeWriting()
}

func (t *DatagramTransport) recoverReport(msg string) {
	if r := recover(); r != nil {
		t.l.CallExceptionHandler(loop.ExceptionContext{Message: msg, Err: loop.NewPanicError(r)})
	}
}
