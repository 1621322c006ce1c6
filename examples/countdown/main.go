// Command countdown is the classic sleeping-loop demo: several rocket
// countdowns of different lengths and start delays run concurrently on one
// event loop, each a task that prints "T-minus N" once per tick and then
// "lift-off!", followed by the total elapsed time.
//
//	go run ./examples/countdown            # one-second ticks
//	go run ./examples/countdown -tick 100ms
//
// Every tick is scheduled against the shared start time, so delays do not
// accumulate however busy the machine is. Ctrl-C cancels the main task, as
// in asyncio.run: each countdown still running reports its abort.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/task"
)

// A rocket counts down from Count, one tick apart, starting Start ticks
// after the demo. The starts are staggered by fractions of a tick so that
// no two events are simultaneous: their order is the same on any machine.
type rocket struct {
	Name  string
	Count int
	Start float64 // in ticks
}

var rockets = []rocket{
	{"Apollo", 5, 0},
	{"Gemini", 3, 0.5},
	{"Mercury", 4, 2.25},
}

func main() {
	tick := flag.Duration("tick", time.Second, "time between two steps of a countdown")
	flag.Parse()
	if *tick <= 0 {
		fmt.Fprintln(os.Stderr, "countdown: -tick must be positive")
		os.Exit(2)
	}
	if err := run(os.Stdout, *tick); err != nil {
		fmt.Fprintln(os.Stderr, "countdown:", err)
		os.Exit(1)
	}
}

// run runs the countdowns on a new loop made with opts and writes the
// trace to w.
func run(w io.Writer, tick time.Duration, opts ...loop.Option) error {
	_, err := task.Run(func(c *task.Coro) (struct{}, error) {
		l := c.Loop()
		t0 := l.Time()
		stamp := func() string {
			return fmt.Sprintf("T+%5.2f ticks", float64(l.Time().Sub(t0))/float64(tick))
		}
		countdown := func(r rocket) func(*task.Coro) (string, error) {
			return func(c *task.Coro) (string, error) {
				at := func(step int) time.Time {
					return t0.Add(time.Duration((r.Start + float64(step)) * float64(tick)))
				}
				wait := func(step int) error {
					err := sleepUntil(c, at(step))
					if err != nil { // cancelled: Ctrl-C
						fmt.Fprintf(w, "%s  %-8s countdown aborted\n", stamp(), r.Name+":")
					}
					return err
				}
				for step := 0; step < r.Count; step++ {
					if err := wait(step); err != nil {
						return "", err
					}
					fmt.Fprintf(w, "%s  %-8s T-minus %d\n", stamp(), r.Name+":", r.Count-step)
				}
				if err := wait(r.Count); err != nil {
					return "", err
				}
				fmt.Fprintf(w, "%s  %-8s lift-off!\n", stamp(), r.Name+":")
				return r.Name, nil
			}
		}
		var flights []*task.Task[string]
		for _, r := range rockets {
			flights = append(flights, task.Spawn(l, countdown(r), task.WithName(r.Name)))
		}
		for _, f := range flights {
			if _, err := task.Await(c, f); err != nil {
				return struct{}{}, err
			}
		}
		elapsed := l.Time().Sub(t0)
		fmt.Fprintf(w, "all %d rockets lifted off after %.2f ticks (%v)\n",
			len(flights), float64(elapsed)/float64(tick), elapsed.Round(tick/100))
		return struct{}{}, nil
	}, opts...)
	return err
}

// sleepUntil sleeps until t on the loop's clock.
func sleepUntil(c *task.Coro, t time.Time) error {
	return c.Sleep(t.Sub(c.Loop().Time()))
}
