// Command producer_consumer is the classic bounded-buffer demo on one event
// loop: three producers make items at their own pace, three consumers of
// different speeds process them through a small aqueue.Queue, Join waits
// until every item has been processed, and the consumers, idle in Get by
// then, are cancelled.
//
//	go run ./examples/producer_consumer            # one-second ticks
//	go run ./examples/producer_consumer -tick 100ms
//
// A full queue holds producers back (back-pressure); consumers take items
// first come, first served.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/goasyncio/goasyncio/aqueue"
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/task"
)

// A producer makes Count items, one every Every ticks, the first at Start.
type producer struct {
	Name         string
	Count        int
	Start, Every float64 // in ticks
}

// A consumer needs Cost ticks to process one item.
type consumer struct {
	Name string
	Cost float64 // in ticks
}

var (
	producers = []producer{
		{"alpha", 4, 0.1, 0.5},
		{"beta", 3, 0.2, 0.7},
		{"gamma", 3, 0.35, 0.9},
	}
	consumers = []consumer{
		{"fast", 0.55},
		{"medium", 1.3},
		{"slow", 2.15},
	}
	queueSize = 2
)

func main() {
	tick := flag.Duration("tick", time.Second, "the time unit of the demo")
	flag.Parse()
	if *tick <= 0 {
		fmt.Fprintln(os.Stderr, "producer_consumer: -tick must be positive")
		os.Exit(2)
	}
	if err := run(os.Stdout, loop.New(), *tick); err != nil {
		fmt.Fprintln(os.Stderr, "producer_consumer:", err)
		os.Exit(1)
	}
}

// run runs the demo on l (which it closes) and writes the trace to w.
func run(w io.Writer, l *loop.Loop, tick time.Duration) error {
	ticks := func(t float64) time.Duration { return time.Duration(t * float64(tick)) }
	_, err := task.RunOn(l, func(c *task.Coro) (struct{}, error) {
		t0 := l.Time()
		say := func(format string, args ...any) {
			elapsed := float64(l.Time().Sub(t0)) / float64(tick)
			fmt.Fprintf(w, "T+%5.2f  %s\n", elapsed, fmt.Sprintf(format, args...))
		}
		q := aqueue.New[string](queueSize)

		produce := func(p producer) func(*task.Coro) (int, error) {
			return func(c *task.Coro) (int, error) {
				for i := range p.Count {
					at := t0.Add(ticks(p.Start + float64(i)*p.Every))
					if err := c.Sleep(at.Sub(l.Time())); err != nil {
						return i, err
					}
					item := fmt.Sprintf("%s-%d", p.Name, i+1)
					if q.Full() {
						say("%-6s has %s, waits for room", p.Name, item)
					}
					if err := q.Put(c, item); err != nil {
						return i, err
					}
					say("%-6s put %s (queue %d/%d)", p.Name, item, q.Len(), q.MaxSize())
				}
				return p.Count, nil
			}
		}
		consume := func(k consumer) func(*task.Coro) (int, error) {
			return func(c *task.Coro) (int, error) {
				done := 0
				for {
					item, err := q.Get(c)
					if err != nil {
						if future.IsCancelled(err) {
							say("%-6s cancelled while idle, after %d items", k.Name, done)
						}
						return done, err
					}
					say("%-6s took %s", k.Name, item)
					if err := c.Sleep(ticks(k.Cost)); err != nil {
						return done, err
					}
					done++
					say("%-6s finished %s", k.Name, item)
					if err := q.TaskDone(); err != nil {
						return done, err
					}
				}
			}
		}

		var workers []*task.Task[int]
		for _, k := range consumers {
			workers = append(workers, task.Spawn(l, consume(k), task.WithName(k.Name)))
		}
		made := 0
		var makers []*task.Task[int]
		for _, p := range producers {
			makers = append(makers, task.Spawn(l, produce(p), task.WithName(p.Name)))
		}
		for _, m := range makers {
			n, err := task.Await(c, m)
			if err != nil {
				return struct{}{}, err
			}
			made += n
		}
		say("main   all %d items made; Join waits for the last ones", made)
		if err := q.Join(c); err != nil {
			return struct{}{}, err
		}
		say("main   Join returned: every item is processed")
		for _, t := range workers {
			t.Cancel()
		}
		for _, t := range workers {
			c.Await(t) // each returns its cancellation
		}
		say("main   done")
		return struct{}{}, nil
	})
	return err
}
