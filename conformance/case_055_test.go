package conformance

import (
	"fmt"
	"strings"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/locks"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("055_semaphore", case055) }

func case055(p *P) {
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		sem := locks.NewSemaphore(1)
		var order []int
		once := func(n int) func(*task.Coro) (any, error) {
			return func(c *task.Coro) (any, error) {
				if err := sem.Acquire(c); err != nil {
					return nil, err
				}
				order = append(order, n)
				return nil, nil
			}
		}
		twice := func(c *task.Coro) (any, error) {
			if err := sem.Acquire(c); err != nil {
				return nil, err
			}
			order = append(order, 2)
			sem.Release()
			p.Print("  twice: released; locked() =", sem.Locked())
			if err := sem.Acquire(c); err != nil {
				return nil, err
			}
			order = append(order, 4)
			return nil, nil
		}
		var ts []future.Awaitable
		for _, body := range []func(*task.Coro) (any, error){once(1), twice, once(3)} {
			ts = append(ts, task.Spawn(l, body))
		}
		if err := c.Yield(); err != nil { // once(1) takes the only unit, the others wait
			return nil, err
		}
		sem.Release()
		sem.Release()
		if err := gatherAll(c, false, ts...); err != nil {
			return nil, err
		}
		p.Print("acquire order:", order)

		plain := locks.NewSemaphore(2)
		plain.Release()
		p.Print("Semaphore(2) after extra release: locked =", plain.Locked())
		bounded := locks.NewBoundedSemaphore(2)
		err := bounded.With(c, func() error {
			p.Print("BoundedSemaphore(2) inside one acquire: locked =", bounded.Locked())
			return nil
		})
		if err != nil {
			return nil, err
		}
		if err := bounded.Release(); err != nil {
			p.Print("BoundedSemaphore over-release:", ExcName(err), err)
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					// NewSemaphore panics where asyncio raises ValueError:
					// "locks: NewSemaphore(-1): initial value must be >= 0".
					msg := fmt.Sprint(r)
					p.Print("Semaphore(-1): ValueError", "Semaphore"+msg[strings.LastIndex(msg, ":")+1:])
				}
			}()
			locks.NewSemaphore(-1)
		}()
		return nil, nil
	})
}
