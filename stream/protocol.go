//go:build unix

package stream

import (
	"slices"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/task"
)

// A Handler serves one connection of a server started by StartServer: it
// runs as a task of its own (asyncio's client_connected_cb coroutine). An
// error it returns goes to the loop's exception handler and closes the
// connection. When it returns nil the connection stays as the handler left
// it, as in asyncio: close the Writer (typically with defer) when done.
type Handler func(c *task.Coro, r *Reader, w *Writer) error

// protocol is asyncio's StreamReaderProtocol together with its
// FlowControlMixin: the Protocol of the streams, it feeds the transport's
// events to the Reader, starts the Handler of a server connection, and
// implements Drain's flow control.
type protocol struct {
	l *loop.Loop

	// FlowControlMixin
	paused         bool // the transport's write buffer is above its high-water mark
	drainWaiters   []*future.Future[struct{}]
	connectionLost bool

	reader    *Reader
	writer    *Writer
	transport *Transport
	handler   Handler
	closed    *future.Future[struct{}] // done when the connection is lost
}

func newProtocol(l *loop.Loop, r *Reader, h Handler) *protocol {
	return &protocol{l: l, reader: r, handler: h, closed: future.New[struct{}](l)}
}

func (p *protocol) ConnectionMade(t *Transport) {
	p.transport = t
	if p.reader != nil {
		p.reader.setTransport(t)
	}
	if p.handler == nil {
		return
	}
	p.writer = newWriter(t, p, p.reader)
	r, w, h := p.reader, p.writer, p.handler
	tk := task.Spawn(p.l, func(c *task.Coro) (struct{}, error) {
		return struct{}{}, h(c, r, w)
	})
	tk.AddDoneCallback(func() {
		// asyncio 3.12 (3.11 reports a cancelled handler as an error of
		// this callback): a cancelled handler just closes the connection.
		if tk.Cancelled() {
			t.close()
			return
		}
		if err := tk.Err(); err != nil {
			p.l.CallExceptionHandler(loop.ExceptionContext{
				Message: "Unhandled exception in client_connected_cb",
				Err:     err,
				Task:    tk,
			})
			t.close()
		}
	})
}

func (p *protocol) ConnectionLost(err error) {
	if r := p.reader; r != nil {
		if err == nil {
			r.FeedEOF()
		} else {
			r.SetException(err)
		}
	}
	if !p.closed.Done() {
		if err == nil {
			p.closed.SetResult(struct{}{})
		} else {
			p.closed.SetException(err)
			p.closed.MarkRetrieved() // asyncio's __del__ retrieves it
		}
	}
	// FlowControlMixin.connection_lost: wake the writers if paused.
	p.connectionLost = true
	if p.paused {
		for _, w := range p.drainWaiters {
			if !w.Done() {
				if err == nil {
					w.SetResult(struct{}{})
				} else {
					w.SetException(err)
				}
			}
		}
	}
	p.reader, p.writer, p.transport = nil, nil, nil
}

func (p *protocol) DataReceived(data []byte) {
	if p.reader != nil {
		p.reader.FeedData(data)
	}
}

// EOFReceived keeps the connection open for writing (returns true).
func (p *protocol) EOFReceived() bool {
	if p.reader != nil {
		p.reader.FeedEOF()
	}
	return true
}

func (p *protocol) PauseWriting() { p.paused = true }

func (p *protocol) ResumeWriting() {
	p.paused = false
	for _, w := range p.drainWaiters {
		if !w.Done() {
			w.SetResult(struct{}{})
		}
	}
}

// drainHelper waits while writing is paused (asyncio's _drain_helper).
func (p *protocol) drainHelper(c *task.Coro) error {
	if p.connectionLost {
		return ErrConnectionLost
	}
	if !p.paused {
		return nil
	}
	w := future.New[struct{}](p.l)
	p.drainWaiters = append(p.drainWaiters, w)
	err := c.Await(w)
	if i := slices.Index(p.drainWaiters, w); i >= 0 {
		p.drainWaiters = slices.Delete(p.drainWaiters, i, i+1)
	}
	return err
}
