//go:build unix

package main

import (
	"testing"

	"github.com/goasyncio/goasyncio/task"
)

// TestWorkloadsSmoke runs every workload at a small size, so that CI checks
// that they run and compute the right results without timing anything.
func TestWorkloadsSmoke(t *testing.T) {
	for _, name := range order {
		t.Run(name, func(t *testing.T) {
			w := workloads[name]
			res, err := task.Run(func(c *task.Coro) (result, error) { return w.run(c, 2000) })
			if err != nil {
				t.Fatal(err)
			}
			if res.ops <= 0 || res.clk == nil {
				t.Fatalf("result %+v has no operations or clock", res)
			}
		})
	}
}
