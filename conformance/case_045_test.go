package conformance

import (
	"github.com/goasyncio/goasyncio/aqueue"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("045_queue_maxsize", case045) }

func case045(p *P) {
	producer := func(q *aqueue.Queue[any]) func(*task.Coro) (any, error) {
		return func(c *task.Coro) (any, error) {
			for i := range 4 {
				p.Printf("producer: put(%d) ...\n", i)
				if err := q.Put(c, i); err != nil {
					return nil, err
				}
				p.Printf("producer: put(%d) done, qsize=%d\n", i, q.Len())
			}
			return nil, nil
		}
	}
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		q := aqueue.New[any](2)
		pt := task.Spawn(c.Loop(), producer(q))
		if err := c.Yield(); err != nil {
			return nil, err
		}
		p.Print("main: full =", q.Full())
		if err := q.TryPut("extra"); err != nil {
			p.Print("main: put_nowait ->", ExcName(err))
		}
		v, _ := q.TryGet()
		p.Print("main: get_nowait ->", v, "qsize =", q.Len())
		v, _ = q.TryGet()
		p.Print("main: get_nowait ->", v, "qsize =", q.Len())
		if _, err := q.TryGet(); err != nil {
			p.Print("main: get_nowait ->", ExcName(err), "(woken putter has not run yet)")
		}
		if err := c.Yield(); err != nil {
			return nil, err
		}
		p.Print("main: qsize after putter ran =", q.Len())
		for !pt.Done() || !q.Empty() {
			v, err := q.Get(c)
			if err != nil {
				return nil, err
			}
			p.Print("main: get ->", v)
		}
		p.Print("main: producer done =", pt.Done())
		return nil, nil
	})
}
