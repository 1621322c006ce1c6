//go:build unix

package stream

import (
	"net"

	"github.com/goasyncio/goasyncio/task"
)

// A Writer writes to a connection (asyncio.StreamWriter). Write never
// waits: what the socket does not take at once is buffered, and Drain
// waits while the buffer is above its high-water mark (64 KiB by default)
// until it is back down to its low-water mark (16 KiB).
//
// A Writer's methods must be called on its loop's goroutine; Drain and
// WaitClosed in a task body.
type Writer struct {
	t      *Transport
	proto  *protocol
	reader *Reader
}

func newWriter(t *Transport, p *protocol, r *Reader) *Writer {
	return &Writer{t: t, proto: p, reader: r}
}

// Transport returns the connection's transport (asyncio's
// writer.transport), for what a Writer does not offer: PauseReading, the
// socket. Its protocol is the Reader's and the Writer's; writes through
// either go to the same buffer.
func (w *Writer) Transport() *Transport { return w.t }

// Write sends p, or buffers what the socket does not take at once (a copy:
// p may be reused when Write returns), and returns len(p) (asyncio's
// write). Call Drain after writing to let the buffer empty. Write never
// waits, so a Writer is an io.Writer for fmt.Fprintf and the like.
//
// It fails with ErrClosed after Close or Abort, ErrWriteAfterEOF after
// WriteEOF, and the connection's error once the connection failed (asyncio
// drops such writes with at most a logged warning).
func (w *Writer) Write(p []byte) (int, error) { return w.t.Write(p) }

// WriteEOF shuts down the sending side once the buffered data is sent (asyncio's
// write_eof): the peer reads end of stream; reading goes on.
func (w *Writer) WriteEOF() { w.t.writeEOF() }

// CanWriteEOF reports whether WriteEOF is supported: always, for sockets.
func (w *Writer) CanWriteEOF() bool { return true }

// Close closes the connection once the buffered data is sent (asyncio's
// close). It does not wait; WaitClosed does. Closing twice does nothing.
// It returns nil (it has an error result to be an io.Closer).
func (w *Writer) Close() error {
	w.t.close()
	return nil
}

// Abort closes the connection at once, dropping buffered data (asyncio's
// transport.abort()).
func (w *Writer) Abort() { w.t.abort() }

// IsClosing reports whether the connection is closed or closing (asyncio's
// is_closing).
func (w *Writer) IsClosing() bool { return w.t.closing }

// WaitClosed waits until the connection is closed (asyncio's
// wait_closed) and returns the error it was lost with, if any. Must be
// called in a task body.
func (w *Writer) WaitClosed(c *task.Coro) error {
	return c.Await(w.proto.closed)
}

// Drain waits until the write buffer is back below its low-water mark, if
// it went above its high-water mark (asyncio's drain). It returns the
// connection's error if the connection failed, and ErrConnectionLost if
// it is gone. On a closing connection it first yields one iteration so
// that the loss is seen. Must be called in a task body.
func (w *Writer) Drain(c *task.Coro) error {
	if w.reader != nil {
		if err := w.reader.Exception(); err != nil {
			return err
		}
	}
	if w.t.closing {
		// Let connection_lost run: without this, a loop of Write and
		// Drain on a closed connection would never see the error.
		if err := c.Yield(); err != nil {
			return err
		}
	}
	return w.proto.drainHelper(c)
}

// LocalAddr returns the connection's local address (asyncio's
// get_extra_info('sockname')).
func (w *Writer) LocalAddr() net.Addr { return w.t.local }

// RemoteAddr returns the peer's address (asyncio's
// get_extra_info('peername')).
func (w *Writer) RemoteAddr() net.Addr { return w.t.remote }

// WriteBufferSize returns the number of bytes buffered and not yet sent
// (asyncio's transport.get_write_buffer_size()).
func (w *Writer) WriteBufferSize() int { return w.t.bufferSize() }

// WriteBufferLimits returns the low- and high-water marks (asyncio's
// transport.get_write_buffer_limits()).
func (w *Writer) WriteBufferLimits() (low, high int) { return w.t.low, w.t.high }

// SetWriteBufferLimits sets the water marks of Drain's flow control
// (asyncio's transport.set_write_buffer_limits). A negative value stands
// for Python's None: high defaults to 4*low, or 64 KiB if low is negative
// too; low defaults to high/4. It fails unless high >= low >= 0.
func (w *Writer) SetWriteBufferLimits(high, low int) error {
	return w.t.SetWriteBufferLimits(high, low)
}
