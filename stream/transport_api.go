//go:build unix

package stream

import (
	"net"

	"github.com/goasyncio/goasyncio/aionet"
	"github.com/goasyncio/goasyncio/loop"
)

// Write sends p, or buffers what the socket does not take at once (a copy:
// p may be reused when Write returns), and returns len(p) (asyncio's
// transport.write). It never waits; above the high-water mark the protocol
// is told to PauseWriting. A Transport is an io.Writer for fmt.Fprintf and
// the like.
//
// It fails with ErrClosed after Close or Abort, ErrWriteAfterEOF after
// WriteEOF, and the connection's error once the connection failed (asyncio
// drops such writes with at most a logged warning).
func (t *Transport) Write(p []byte) (int, error) {
	switch {
	case t.eof:
		return 0, ErrWriteAfterEOF
	case t.lostErr != nil:
		return 0, t.lostErr
	case t.closing:
		return 0, ErrClosed
	}
	if err := t.write(p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// WriteEOF shuts down the sending side once the buffered data is sent
// (asyncio's write_eof): the peer's protocol gets EOFReceived; reading goes
// on. It does nothing on a closing transport.
func (t *Transport) WriteEOF() { t.writeEOF() }

// CanWriteEOF reports whether WriteEOF is supported: always, for sockets
// (asyncio's can_write_eof).
func (t *Transport) CanWriteEOF() bool { return true }

// Close closes the connection once the buffered data is sent (asyncio's
// close): reading stops at once, and the protocol's ConnectionLost(nil)
// runs at a later loop iteration. Closing twice does nothing. It returns
// nil (it has an error result to be an io.Closer).
func (t *Transport) Close() error {
	t.close()
	return nil
}

// Abort closes the connection at once, dropping buffered data (asyncio's
// abort); the protocol's ConnectionLost(nil) runs at the next iteration.
func (t *Transport) Abort() { t.abort() }

// IsClosing reports whether the transport is closed or closing (asyncio's
// is_closing).
func (t *Transport) IsClosing() bool { return t.closing }

// PauseReading stops reading from the socket, so that the protocol gets no
// DataReceived until ResumeReading (asyncio's pause_reading). It does
// nothing if reading is paused already or the transport is closing.
func (t *Transport) PauseReading() { t.pauseReading() }

// ResumeReading resumes reading after PauseReading (asyncio's
// resume_reading). It does nothing if reading is not paused or the
// transport is closing.
func (t *Transport) ResumeReading() { t.resumeReading() }

// IsReading reports whether the transport reads from the socket: neither
// paused nor closing (asyncio's is_reading).
func (t *Transport) IsReading() bool { return t.isReading() }

// SetWriteBufferLimits sets the water marks of write flow control (asyncio's
// set_write_buffer_limits): the protocol gets PauseWriting when the buffer
// goes above high, ResumeWriting when it is back down to low. A negative
// value stands for Python's None: high defaults to 4*low, or 64 KiB if low
// is negative too; low defaults to high/4. It fails unless high >= low >=
// 0. A buffer already above the new high pauses the protocol at once.
func (t *Transport) SetWriteBufferLimits(high, low int) error {
	return t.setWriteBufferLimitsAndPause(high, low)
}

// WriteBufferSize returns the number of bytes buffered and not yet sent
// (asyncio's get_write_buffer_size).
func (t *Transport) WriteBufferSize() int { return t.bufferSize() }

// WriteBufferLimits returns the low- and high-water marks (asyncio's
// get_write_buffer_limits).
func (t *Transport) WriteBufferLimits() (low, high int) { return t.low, t.high }

// LocalAddr returns the connection's local address (asyncio's
// get_extra_info('sockname')), a *net.TCPAddr or *net.UnixAddr. It stays
// valid after the connection is closed.
func (t *Transport) LocalAddr() net.Addr { return t.local }

// RemoteAddr returns the peer's address (asyncio's
// get_extra_info('peername')). It stays valid after the connection is
// closed.
func (t *Transport) RemoteAddr() net.Addr { return t.remote }

// Socket returns the connection's socket (asyncio's
// get_extra_info('socket')), for socket options such as SO_LINGER through
// its FD. Reading, writing or closing it behind the transport's back
// breaks the transport, as it does in asyncio; the transport closes it
// when the connection is lost.
func (t *Transport) Socket() *aionet.Socket { return t.sock }

// Loop returns the loop the transport runs on (asyncio's transport._loop,
// which protocols reach through asyncio.get_running_loop()).
func (t *Transport) Loop() *loop.Loop { return t.l }

// Protocol returns the transport's protocol (asyncio's get_protocol); nil
// once ConnectionLost has run.
func (t *Transport) Protocol() Protocol { return t.proto }

// SetProtocol makes p receive the transport's events from now on, in place
// of the current protocol (asyncio's set_protocol); p's ConnectionMade is
// not called. It panics if p is nil, and does nothing once ConnectionLost
// has run.
func (t *Transport) SetProtocol(p Protocol) {
	if p == nil {
		panic("stream: SetProtocol(nil)")
	}
	if t.proto != nil {
		t.proto = p
	}
}
