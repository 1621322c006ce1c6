//go:build unix

package stream

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/task"
)

// A Reader reads from a connection (asyncio.StreamReader): the protocol
// feeds it what arrives, and its read methods wait for data. It stops
// reading from the socket while it buffers more than twice its limit, and
// resumes when a read brings it down to the limit.
//
// A Reader's methods must be called on its loop's goroutine, the read
// methods in a task body; one task at a time may wait in a read
// (ErrConcurrentRead otherwise). Returned slices are the caller's.
type Reader struct {
	l     *loop.Loop
	limit int

	buf []byte // buffered data is buf[off:]
	off int

	eof       bool
	waiter    *future.Future[struct{}] // set while a read waits for data
	exception error
	transport *Transport // nil for a Reader fed by hand
	paused    bool       // reading from the transport is paused
}

// NewReader returns a Reader not attached to any connection, fed with
// FeedData and FeedEOF (asyncio's StreamReader(limit, loop)), for parsers
// and tests. Only WithLimit applies; it panics on a limit <= 0, as asyncio
// raises ValueError.
func NewReader(l *loop.Loop, opts ...Option) *Reader {
	o, err := makeOptions(opts)
	if err != nil {
		panic(err)
	}
	return newReader(l, o.limit)
}

func newReader(l *loop.Loop, limit int) *Reader {
	return &Reader{l: l, limit: limit}
}

// Limit returns the Reader's limit.
func (r *Reader) Limit() int { return r.limit }

// Buffered returns the number of bytes buffered and not yet read.
func (r *Reader) Buffered() int { return len(r.buf) - r.off }

// Exception returns the error the connection failed with, if any
// (asyncio's exception()).
func (r *Reader) Exception() error { return r.exception }

// SetException makes reads fail with err (asyncio's set_exception): the
// waiting one at once, later ones before looking at the buffer.
func (r *Reader) SetException(err error) {
	r.exception = err
	if w := r.waiter; w != nil {
		r.waiter = nil
		if !w.Cancelled() {
			w.SetException(err)
		}
	}
}

// wakeupWaiter wakes the read waiting for data or EOF.
func (r *Reader) wakeupWaiter() {
	if w := r.waiter; w != nil {
		r.waiter = nil
		if !w.Cancelled() {
			w.SetResult(struct{}{})
		}
	}
}

func (r *Reader) setTransport(t *Transport) { r.transport = t }

func (r *Reader) maybeResumeTransport() {
	if r.paused && r.Buffered() <= r.limit {
		r.paused = false
		r.transport.resumeReading()
	}
}

// FeedEOF marks the end of the stream (asyncio's feed_eof).
func (r *Reader) FeedEOF() {
	r.eof = true
	r.wakeupWaiter()
}

// AtEOF reports whether the stream ended and everything was read
// (asyncio's at_eof()).
func (r *Reader) AtEOF() bool { return r.eof && r.Buffered() == 0 }

// FeedData appends p (copied) to the buffer (asyncio's feed_data). It
// panics after FeedEOF, as asyncio's assertion does.
func (r *Reader) FeedData(p []byte) {
	if r.eof {
		panic("stream: FeedData after FeedEOF")
	}
	if len(p) == 0 {
		return
	}
	if r.off > 0 && (r.off == len(r.buf) || r.off >= len(r.buf)/2) {
		r.buf = r.buf[:copy(r.buf, r.buf[r.off:])] // compact before growing
		r.off = 0
	}
	r.buf = append(r.buf, p...)
	r.wakeupWaiter()
	if r.transport != nil && !r.paused && r.Buffered() > 2*r.limit {
		r.transport.pauseReading()
		r.paused = true
	}
}

// consume removes and returns a copy of the first n buffered bytes.
func (r *Reader) consume(n int) []byte {
	data := bytes.Clone(r.buf[r.off : r.off+n])
	r.off += n
	if r.off == len(r.buf) {
		r.buf, r.off = r.buf[:0], 0
	}
	return data
}

func (r *Reader) clearBuffer() { r.buf, r.off = r.buf[:0], 0 }

// waitForData waits until FeedData or FeedEOF is called, resuming a
// paused transport first (asyncio's _wait_for_data).
func (r *Reader) waitForData(c *task.Coro, fn string) error {
	if r.waiter != nil {
		return fmt.Errorf("%w (in %s)", ErrConcurrentRead, fn)
	}
	if r.eof {
		panic("stream: waiting for data after EOF") // asyncio asserts
	}
	// Waiting for data while paused would deadlock (ReadExactly of more
	// than the limit, say): resume.
	if r.paused {
		r.paused = false
		r.transport.resumeReading()
	}
	w := future.New[struct{}](r.l)
	r.waiter = w
	err := c.Await(w)
	if r.waiter == w {
		r.waiter = nil
	}
	return err
}

// Read reads up to n bytes (asyncio's read(n)): as soon as at least one is
// buffered, it returns what is there, up to n. At end of stream it returns
// io.EOF (Python returns b""). Read(c, 0) returns an empty slice at once;
// a negative n reads until end of stream and returns everything, with a
// nil error. If the connection failed, it returns the connection's error.
// Must be called in a task body.
func (r *Reader) Read(c *task.Coro, n int) ([]byte, error) {
	if r.exception != nil {
		return nil, r.exception
	}
	if n == 0 {
		return []byte{}, nil
	}
	if n < 0 {
		// Read the limit at a time: waiting for all of it at once would
		// deadlock once the transport pauses.
		var all []byte
		for {
			block, err := r.Read(c, r.limit)
			if err == io.EOF {
				return all, nil
			}
			if err != nil {
				return all, err
			}
			all = append(all, block...)
		}
	}
	if r.Buffered() == 0 && !r.eof {
		if err := r.waitForData(c, "Read"); err != nil {
			return nil, err
		}
	}
	if r.Buffered() == 0 {
		return nil, io.EOF
	}
	data := r.consume(min(n, r.Buffered()))
	r.maybeResumeTransport()
	return data, nil
}

// ReadExactly reads exactly n bytes (asyncio's readexactly). At end of
// stream before n bytes it returns an *IncompleteReadError holding what
// was read. Must be called in a task body.
func (r *Reader) ReadExactly(c *task.Coro, n int) ([]byte, error) {
	if n < 0 {
		return nil, errors.New("stream: ReadExactly size can not be less than zero")
	}
	if r.exception != nil {
		return nil, r.exception
	}
	if n == 0 {
		return []byte{}, nil
	}
	for r.Buffered() < n {
		if r.eof {
			partial := r.consume(r.Buffered())
			return nil, &IncompleteReadError{Partial: partial, Expected: n}
		}
		if err := r.waitForData(c, "ReadExactly"); err != nil {
			return nil, err
		}
	}
	data := r.consume(n)
	r.maybeResumeTransport()
	return data, nil
}

// ReadUntil reads up to and including the first occurrence of sep
// (asyncio's readuntil). At end of stream without sep it returns an
// *IncompleteReadError holding (and consuming) the rest. If sep is not
// within the limit, it returns a *LimitOverrunError and leaves the data
// buffered. Must be called in a task body.
func (r *Reader) ReadUntil(c *task.Coro, sep []byte) ([]byte, error) {
	seplen := len(sep)
	if seplen == 0 {
		return nil, errors.New("stream: separator should be at least one byte")
	}
	if r.exception != nil {
		return nil, r.exception
	}
	// offset is how far into the buffer sep is known not to start; the
	// last seplen-1 bytes may hold the start of a separator.
	offset := 0
	isep := -1
	for {
		buflen := r.Buffered()
		if buflen-offset >= seplen {
			if i := bytes.Index(r.buf[r.off+offset:], sep); i >= 0 {
				isep = offset + i
				break
			}
			offset = buflen + 1 - seplen
			if offset > r.limit {
				return nil, &LimitOverrunError{Msg: "Separator is not found, and chunk exceed the limit", Consumed: offset}
			}
		}
		// A complete separator may have arrived with the EOF: check the
		// buffer before the EOF flag.
		if r.eof {
			chunk := r.consume(r.Buffered())
			return nil, &IncompleteReadError{Partial: chunk, Expected: -1}
		}
		if err := r.waitForData(c, "ReadUntil"); err != nil {
			return nil, err
		}
	}
	if isep > r.limit {
		return nil, &LimitOverrunError{Msg: "Separator is found, but chunk is longer than limit", Consumed: isep}
	}
	chunk := r.consume(isep + seplen)
	r.maybeResumeTransport()
	return chunk, nil
}

// ReadLine reads a line ending in '\n' (asyncio's readline). At end of
// stream it returns the incomplete last line without error, then io.EOF
// (Python returns b""). A line longer than the limit is discarded and a
// *LimitOverrunError returned (asyncio raises ValueError). Must be called
// in a task body.
func (r *Reader) ReadLine(c *task.Coro) ([]byte, error) {
	line, err := r.ReadUntil(c, []byte{'\n'})
	var incomplete *IncompleteReadError
	var overrun *LimitOverrunError
	switch {
	case errors.As(err, &incomplete):
		if len(incomplete.Partial) == 0 {
			return nil, io.EOF
		}
		return incomplete.Partial, nil
	case errors.As(err, &overrun):
		if r.Buffered() > overrun.Consumed && r.buf[r.off+overrun.Consumed] == '\n' {
			r.consume(overrun.Consumed + 1)
		} else {
			r.clearBuffer()
		}
		r.maybeResumeTransport()
		return nil, err
	}
	return line, err
}

// Lines iterates over the lines of the stream until its end (asyncio's
// `async for line in reader`); a read error is yielded once, last. Must be
// used in a task body.
func (r *Reader) Lines(c *task.Coro) iter.Seq2[[]byte, error] {
	return func(yield func([]byte, error) bool) {
		for {
			line, err := r.ReadLine(c)
			if err == io.EOF {
				return
			}
			if !yield(line, err) || err != nil {
				return
			}
		}
	}
}
