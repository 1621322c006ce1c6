package executor

import (
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/task"
)

// defaults is a loop's default pool (BaseEventLoop._default_executor) and
// whether its shutdown was called (_executor_shutdown_called).
type defaults struct {
	pool           *Pool
	shutdownCalled bool
	hooked         bool
}

var defaultKey = loop.NewKey[defaults]("executor: default pool")

// SetDefault makes p the default pool of l (loop.set_default_executor):
// RunInExecutor with a nil pool and ToThread use it, and task.Run or
// l.Close shut it down. A previous default pool is left running. Must be
// called on l's goroutine (or before it runs).
func SetDefault(l *loop.Loop, p *Pool) {
	defaultKey.Get(l).set(l, p)
}

func (d *defaults) check() error {
	if d.shutdownCalled {
		return ErrDefaultShutdown
	}
	return nil
}

// set installs p, registering the shutdown hooks the first time.
func (d *defaults) set(l *loop.Loop, p *Pool) {
	d.pool = p
	if d.hooked {
		return
	}
	d.hooked = true
	task.AtShutdown(l, d.shutdownAsync)
	l.AtClose(d.close)
}

// shutdownAsync is loop.shutdown_default_executor, which asyncio.run awaits
// before closing the loop: the pool is shut down (waiting for its work) on
// a goroutine of its own, so that the loop runs on meanwhile, and the
// result comes back through CallSoonThreadsafe.
func (d *defaults) shutdownAsync(c *task.Coro) error {
	d.shutdownCalled = true
	p := d.pool
	if p == nil {
		return nil
	}
	l := c.Loop()
	f := future.New[struct{}](l)
	release := l.Hold()
	exited := make(chan struct{})
	go func() { // _do_shutdown
		defer close(exited)
		defer release()
		p.Shutdown()
		l.CallSoonThreadsafe(func() { f.SetResult(struct{}{}) }) // dropped if l closed
	}()
	_, err := task.Await(c, f)
	<-exited // thread.join()
	return err
}

// close is the executor part of loop.close: shut the pool down without
// waiting.
func (d *defaults) close() {
	d.shutdownCalled = true
	if p := d.pool; p != nil {
		d.pool = nil
		p.Shutdown(NoWait())
	}
}
