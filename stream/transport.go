//go:build unix

package stream

import (
	"io"

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
	selectorTransport
	proto  Protocol // nil once ConnectionLost has run
	server *Server

	wbuf []byte // unsent data is wbuf[woff:]
	woff int

	eof bool // WriteEOF called
}

func newTransport(l *loop.Loop, sock *aionet.Socket, p Protocol, waiter *future.Future[struct{}], server *Server) *Transport {
	t := &Transport{proto: p, server: server}
	t.init(l, sock, t, t.readReady, t.writeReady)
	if server != nil {
		server.attach(t)
	}
	// Disable Nagle's algorithm: small writes go out without waiting for
	// the peer's acknowledgement.
	sock.SetNoDelay(true)
	t.start(func() { p.ConnectionMade(t) }, waiter)
	return t
}

func (t *Transport) bufferSize() int { return len(t.wbuf) - t.woff }

func (t *Transport) writeFlow() writeFlowProtocol { return t.proto }

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
	t.maybePauseProtocol(t.bufferSize())
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
	t.maybeResumeProtocol(t.bufferSize()) // may write more
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

// eofReceived asks the protocol whether to keep the connection open; ok
// is false if it panicked (and the transport failed with the panic).
func (t *Transport) eofReceived() (keepOpen, ok bool) {
	defer t.recoverFatal("Fatal error: protocol.eof_received() call failed.")
	keepOpen = t.proto.EOFReceived()
	return keepOpen, true
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
	t.closeSocket()
	if s := t.server; s != nil {
		t.server = nil
		s.detach(t)
	}
}
