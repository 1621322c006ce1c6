package conformance

import (
	"fmt"

	"github.com/goasyncio/goasyncio/aqueue"
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func init() { register("069_producer_consumer", case069) }

func case069(p *P) {
	producer := func(c *task.Coro, q *aqueue.Queue[string], n int) error {
		for i := range n {
			if err := q.Put(c, fmt.Sprintf("item%d", i)); err != nil {
				return err
			}
			p.Printf("producer: put item%d (qsize=%d)\n", i, q.Len())
		}
		p.Print("producer: done")
		return nil
	}
	consumer := func(q *aqueue.Queue[string], name string, cost int) func(*task.Coro) (any, error) {
		return func(c *task.Coro) (any, error) {
			for {
				item, err := q.Get(c)
				if err != nil {
					if future.IsCancelled(err) {
						p.Printf("%s: cancelled while idle (qsize=%d)\n", name, q.Len())
					}
					return nil, err
				}
				p.Printf("%s: took %s\n", name, item)
				for range cost {
					if err := c.Yield(); err != nil {
						return nil, err
					}
				}
				p.Printf("%s: finished %s\n", name, item)
				if err := q.TaskDone(); err != nil {
					return nil, err
				}
			}
		}
	}
	task.RunOn(looptest.New(), func(c *task.Coro) (any, error) {
		l := c.Loop()
		q := aqueue.New[string](2)
		consumers := []future.Awaitable{
			task.Spawn(l, consumer(q, "fast", 1)),
			task.Spawn(l, consumer(q, "slow", 3)),
		}
		if err := producer(c, q, 6); err != nil {
			return nil, err
		}
		if err := q.Join(c); err != nil {
			return nil, err
		}
		p.Print("main: join() returned, all items processed")
		for _, t := range consumers {
			t.Cancel()
		}
		if err := gatherAll(c, true, consumers...); err != nil {
			return nil, err
		}
		p.Print("main: done")
		return nil, nil
	})
}
