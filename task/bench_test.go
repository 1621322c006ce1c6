package task_test

import (
	"testing"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/task"
)

// ping is what the pinging task sends: the future to answer on and the
// future the next ping comes on (nil reply: stop).
type ping struct {
	reply *future.Future[int]
	next  *future.Future[ping]
}

// BenchmarkAwaitPingPong measures one round trip between two tasks through
// futures: each sets a future the other awaits, so a round is two task
// switches through Await, each with its future's done-callback. The
// plain-Go baseline is a round trip between two goroutines over unbuffered
// channels.
func BenchmarkAwaitPingPong(b *testing.B) {
	b.Run("baseline=goroutines+chan", func(b *testing.B) {
		b.ReportAllocs()
		req, resp := make(chan int), make(chan int)
		go func() {
			for v := range req {
				resp <- v
			}
			close(resp)
		}()
		for b.Loop() {
			req <- 1
			<-resp
		}
		close(req)
		<-resp
	})
	b.Run("tasks", func(b *testing.B) {
		b.ReportAllocs()
		task.RunOn(loop.New(), func(c *task.Coro) (int, error) {
			l := c.Loop()
			first := future.New[ping](l)
			pong := task.Spawn(l, func(c *task.Coro) (int, error) {
				for cur := first; ; {
					m, err := task.Await(c, cur)
					if err != nil || m.reply == nil {
						return 0, err
					}
					cur = m.next
					m.reply.SetResult(1)
				}
			})
			cur := first
			for b.Loop() {
				m := ping{reply: future.New[int](l), next: future.New[ping](l)}
				cur.SetResult(m)
				cur = m.next
				if _, err := task.Await(c, m.reply); err != nil {
					b.Fatal(err)
				}
			}
			cur.SetResult(ping{})
			return task.Await(c, pong)
		})
	})
}

// BenchmarkSpawnToCompletion measures spawning a task whose body returns at
// once and awaiting it: lazily (the first step is a loop callback, then the
// awaiting task is woken) and with Eager (the body runs inside Spawn, and
// awaiting the done task does not suspend). The plain-Go baseline starts a
// goroutine and waits for its result on a channel.
func BenchmarkSpawnToCompletion(b *testing.B) {
	b.Run("baseline=goroutine+chan", func(b *testing.B) {
		b.ReportAllocs()
		ch := make(chan int)
		for b.Loop() {
			go func() { ch <- 1 }()
			<-ch
		}
	})
	body := func(*task.Coro) (int, error) { return 1, nil }
	for _, tc := range []struct {
		name string
		opts []task.Option
	}{{"lazy", nil}, {"eager", []task.Option{task.Eager()}}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			task.RunOn(loop.New(), func(c *task.Coro) (int, error) {
				for b.Loop() {
					if _, err := task.Await(c, task.Spawn(c.Loop(), body, tc.opts...)); err != nil {
						b.Fatal(err)
					}
				}
				return 0, nil
			})
		})
	}
}

// BenchmarkAwaitDone measures awaiting a future that is already done (no
// suspension, as in asyncio), beside receiving from a closed channel.
func BenchmarkAwaitDone(b *testing.B) {
	b.Run("baseline=closed-chan", func(b *testing.B) {
		b.ReportAllocs()
		ch := make(chan int)
		close(ch)
		for b.Loop() {
			<-ch
		}
	})
	b.Run("await", func(b *testing.B) {
		b.ReportAllocs()
		task.RunOn(loop.New(), func(c *task.Coro) (int, error) {
			f := future.New[int](c.Loop())
			f.SetResult(1)
			for b.Loop() {
				if _, err := task.Await(c, f); err != nil {
					b.Fatal(err)
				}
			}
			return 0, nil
		})
	})
}
