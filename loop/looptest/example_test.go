package looptest_test

import (
	"fmt"
	"time"

	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

// A task sleeps for an hour of loop time: on virtual time the program
// finishes at once.
func Example() {
	l := looptest.New()
	start := l.Time()
	task.RunOn(l, func(c *task.Coro) (struct{}, error) {
		return struct{}{}, c.Sleep(time.Hour)
	})
	fmt.Println("slept", l.Time().Sub(start), "of loop time")
	// Output: slept 1h0m0s of loop time
}

// A Recorder lists what the loop ran, one line per event, for a test to
// compare with a golden list (see CheckTrace). The last four lines are
// task.RunOn's shutdown, which runs two small tasks as asyncio.run does.
func Example_recorder() {
	r := loop.NewRecorder(loop.TaskEvents)
	task.RunOn(looptest.New(loop.WithRecorder(r)), func(c *task.Coro) (int, error) {
		w := task.Spawn(c.Loop(), func(c *task.Coro) (int, error) {
			return 42, c.Sleep(time.Second)
		}, task.WithName("worker"))
		return task.Await(c, w)
	})
	for _, line := range r.Lines() {
		fmt.Println(line)
	}
	// Output:
	// 0s Task-1 start
	// 0s Task-1 await task worker
	// 0s worker start
	// 0s worker await sleep 1s
	// 1s worker resume
	// 1s worker done ok
	// 1s Task-1 resume
	// 1s Task-1 done ok
	// 1s Task-2 start
	// 1s Task-2 done ok
	// 1s Task-3 start
	// 1s Task-3 done ok
}

// Timers due at the same instant run in CPython's heapq order by default;
// with loop.WithPerturbation the seed decides, and the same seed always
// decides the same way.
func Example_perturbation() {
	order := func(opts ...loop.Option) []string {
		var ran []string
		task.RunOn(looptest.New(opts...), func(c *task.Coro) (int, error) {
			for _, name := range []string{"a", "b", "c", "d"} {
				c.Loop().CallLater(time.Second, func() { ran = append(ran, name) })
			}
			return 0, c.Sleep(2 * time.Second)
		})
		return ran
	}
	fmt.Println("default:", order())
	for _, seed := range []uint64{1, 2, 1} {
		fmt.Printf("seed %d:  %v\n", seed, order(loop.WithPerturbation(seed)))
	}
	// Output:
	// default: [a c b d]
	// seed 1:  [b c d a]
	// seed 2:  [b a d c]
	// seed 1:  [b c d a]
}
