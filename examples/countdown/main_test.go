package main

import (
	"bytes"
	"flag"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goasyncio/goasyncio/internal/leakcheck"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/loop/looptest"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.txt")

// TestGolden runs the demo on virtual time: the same trace every run, at
// no wall-clock cost.
func TestGolden(t *testing.T) {
	leakcheck.Check(t)
	var out bytes.Buffer
	if err := run(&out, time.Second, loop.WithClock(looptest.NewClock())); err != nil {
		t.Fatal(err)
	}
	if *update {
		os.WriteFile("testdata/golden.txt", out.Bytes(), 0o644)
	}
	want, err := os.ReadFile("testdata/golden.txt")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), out.String()); diff != "" {
		t.Errorf("countdown output differs (-want +got):\n%s", diff)
	}
}
