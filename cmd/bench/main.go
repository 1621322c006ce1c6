//go:build unix

// Command bench runs the shared asyncio performance anchors (the same ten
// workloads as CPython asyncio, uvloop, Node and plain Go in
// ../shared/bench/anchors) on goasyncio, written the way a goasyncio user
// would write them: tasks, gather, Queue, CallSoon, RunInExecutor, WaitFor,
// an Event.
//
//	bench [--peer=LABEL] [--workload=NAME[,NAME...]|all] [--n=N] [--no-warmup]
//
// It prints one line per workload in the harness's protocol:
//
//	name=<workload> peer=<peer> n=<N> ns_per_op=<x> cpu_ns_per_op=<y> peak_rss_kb=<k> [k=v ...]
//
// To run it beside the peers:
//
//	go build -o /tmp/goasyncio-bench ./cmd/bench
//	cd ../shared/bench/anchors
//	EXTRA_PEERS=$'goasyncio\t/tmp/goasyncio-bench' ./run.sh --peers py3.11.2-uvloop,go1.26,goasyncio
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/goasyncio/goasyncio/aqueue"
	"github.com/goasyncio/goasyncio/executor"
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/gather"
	"github.com/goasyncio/goasyncio/locks"
	"github.com/goasyncio/goasyncio/task"
)

// A workload runs one measured pass of size n inside a task body.
type workload struct {
	run     func(c *task.Coro, n int) (result, error)
	defN    int
	canWarm bool
}

var order = []string{"spawn_gather", "pingpong", "sleep0_many", "timers", "queue", "call_soon",
	"threadsafe", "executor", "wait_for_timeouts", "memory"}

var workloads = map[string]workload{
	"spawn_gather":      {spawnGather, 100_000, true},
	"pingpong":          {pingpong, 1_000_000, true},
	"sleep0_many":       {sleep0Many, 1_000_000, true},
	"timers":            {timers, 100_000, false},
	"queue":             {queueWorkload, 1_000_000, true},
	"call_soon":         {callSoon, 1_000_000, true},
	"threadsafe":        {threadsafe, 200_000, true},
	"executor":          {executorWorkload, 10_000, true},
	"wait_for_timeouts": {waitForTimeouts, 100_000, true},
	"memory":            {memory, 100_000, false},
}

func main() {
	peer := flag.String("peer", "goasyncio", "peer label")
	names := flag.String("workload", "all", "comma-separated workloads, or all")
	n := flag.Int("n", 0, "size (0: the workload's default)")
	noWarm := flag.Bool("no-warmup", false, "skip the n/10 warm-up pass")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the measured passes to this file")
	flag.Parse()

	list := order
	if *names != "all" {
		list = strings.Split(*names, ",")
	}
	for _, name := range list {
		if _, ok := workloads[name]; !ok {
			fmt.Fprintf(os.Stderr, "bench: unknown workload %q; known: %s\n", name, strings.Join(order, ", "))
			os.Exit(2)
		}
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		defer f.Close()
		// Profiling starts with the first measured pass (see runOne).
		profile = f
		defer pprof.StopCPUProfile()
	}
	for _, name := range list {
		if err := runOne(name, *peer, *n, !*noWarm); err != nil {
			fmt.Fprintf(os.Stderr, "bench: %s: %v\n", name, err)
			os.Exit(1)
		}
	}
}

var profile *os.File

// runOne runs a workload on a fresh loop, as asyncio.run(run_one(...))
// does in anchors.py, and prints its line.
func runOne(name, peer string, n int, warm bool) error {
	w := workloads[name]
	if n == 0 {
		n = w.defN
	}
	res, err := task.Run(func(c *task.Coro) (result, error) {
		if warm && w.canWarm {
			if _, err := w.run(c, max(n/10, 1)); err != nil {
				return result{}, err
			}
		}
		runtime.GC()
		resetPeakRSS()
		if profile != nil {
			pprof.StartCPUProfile(profile)
			profile = nil
		}
		return w.run(c, n)
	})
	if err != nil {
		return err
	}
	fields := []string{
		"name=" + name,
		"peer=" + peer,
		"n=" + strconv.Itoa(n),
		fmt.Sprintf("ns_per_op=%.1f", float64(res.clk.wall)/float64(res.ops)),
		fmt.Sprintf("cpu_ns_per_op=%.1f", float64(res.clk.cpu)/float64(res.ops)),
		fmt.Sprintf("peak_rss_kb=%d", statusKB("VmHWM")),
	}
	fields = append(fields, res.extra...)
	fmt.Println(strings.Join(fields, " "))
	return nil
}

// ---------------------------------------------------------------- measuring

type clock struct{ t0, c0, wall, cpu int64 }

func startClock() *clock { return &clock{t0: time.Now().UnixNano(), c0: cpuNow()} }

func (c *clock) stop() *clock {
	c.wall = time.Now().UnixNano() - c.t0
	c.cpu = cpuNow() - c.c0
	return c
}

type result struct {
	ops   int
	clk   *clock
	extra []string // "key=value"
}

func cpuNow() int64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func statusKB(field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, field+":") {
			v, _ := strconv.ParseInt(strings.Fields(line)[1], 10, 64)
			return v
		}
	}
	return -1
}

// resetPeakRSS resets VmHWM to the current RSS (Linux >= 4.0).
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

func check(ok bool, what string) error {
	if !ok {
		return fmt.Errorf("wrong result: %s", what)
	}
	return nil
}

// ---------------------------------------------------------------- workloads

// spawnGather: create n tasks returning their index, gather all, check the
// sum (create_task + gather).
func spawnGather(c *task.Coro, n int) (result, error) {
	l := c.Loop()
	clk := startClock()
	ts := make([]*task.Task[int], n)
	for i := range ts {
		ts[i] = task.Spawn(l, func(*task.Coro) (int, error) { return i, nil })
	}
	res, err := task.Await(c, gather.AllOf(l, ts))
	clk.stop()
	if err != nil {
		return result{}, err
	}
	s := 0
	for _, v := range res {
		s += v
	}
	return result{n, clk, nil}, check(s == n*(n-1)/2, "sum")
}

// pingpong: two tasks hand a token back and forth through a pair of
// futures, renewed each turn; one op is one hand-off.
func pingpong(c *task.Coro, n int) (result, error) {
	l := c.Loop()
	box := [2]*future.Future[int]{future.New[int](l), future.New[int](l)}
	half := n / 2
	player := func(me, other int) func(*task.Coro) (int, error) {
		return func(c *task.Coro) (int, error) {
			tok := 0
			for range half {
				v, err := task.Await(c, box[me])
				if err != nil {
					return 0, err
				}
				tok = v
				box[me] = future.New[int](l)
				box[other].SetResult(tok + 1)
			}
			return tok, nil
		}
	}
	clk := startClock()
	a := task.Spawn(l, player(0, 1))
	b := task.Spawn(l, player(1, 0))
	box[0].SetResult(0)
	res, err := task.Await(c, gather.All[int](l, a, b))
	clk.stop()
	if err != nil {
		return result{}, err
	}
	return result{2 * half, clk, nil}, check(max(res[0], res[1]) == 2*half-1, "token")
}

// sleep0Many: n/100 tasks each yield 100 times (asyncio.sleep(0)).
func sleep0Many(c *task.Coro, n int) (result, error) {
	const k = 100
	l := c.Loop()
	tasks := n / k
	clk := startClock()
	ts := make([]*task.Task[int], tasks)
	for i := range ts {
		ts[i] = task.Spawn(l, func(c *task.Coro) (int, error) {
			for range k {
				if err := c.Yield(); err != nil {
					return 0, err
				}
			}
			return 1, nil
		})
	}
	res, err := task.Await(c, gather.AllOf(l, ts))
	clk.stop()
	if err != nil {
		return result{}, err
	}
	return result{tasks * k, clk, []string{fmt.Sprintf("tasks=%d", tasks), fmt.Sprintf("yields_per_task=%d", k)}},
		check(len(res) == tasks, "count")
}

const maxDelayUS = 100_000

// delayUS is the anchors' permutation of 0..99999 µs.
func delayUS(i int) int { return (i * 48271) % maxDelayUS }

// timers: n tasks each sleep a distinct delay in [0, 100ms); ns_per_op is
// the overhead beyond the longest delay, per timer.
func timers(c *task.Coro, n int) (result, error) {
	l := c.Loop()
	maxD := 0
	for i := range n {
		maxD = max(maxD, delayUS(i))
	}
	clk := startClock()
	ts := make([]*task.Task[int], n)
	for i := range ts {
		d := time.Duration(delayUS(i)) * time.Microsecond
		ts[i] = task.Spawn(l, func(c *task.Coro) (int, error) {
			if err := c.Sleep(d); err != nil {
				return 0, err
			}
			return 1, nil
		})
	}
	_, err := task.Await(c, gather.AllOf(l, ts))
	clk.stop()
	if err != nil {
		return result{}, err
	}
	wall := clk.wall
	over := wall - int64(maxD)*1000
	clk.wall = over
	return result{n, clk, []string{
		fmt.Sprintf("wall_ms=%.2f", float64(wall)/1e6),
		fmt.Sprintf("overhead_ms=%.2f", float64(over)/1e6),
	}}, nil
}

// queueWorkload: one producer puts n items into a Queue(maxsize 100), four
// consumers get them and call TaskDone; the producer joins.
func queueWorkload(c *task.Coro, n int) (result, error) {
	const consumers, maxsize = 4, 100
	l := c.Loop()
	q := aqueue.New[int](maxsize)
	total := 0
	cs := make([]*task.Task[int], consumers)
	for i := range cs {
		cs[i] = task.Spawn(l, func(c *task.Coro) (int, error) {
			for {
				v, err := q.Get(c)
				if err != nil {
					return 0, err
				}
				total += v
				q.TaskDone()
			}
		})
	}
	clk := startClock()
	for i := range n {
		if err := q.Put(c, i); err != nil {
			return result{}, err
		}
	}
	if err := q.Join(c); err != nil {
		return result{}, err
	}
	clk.stop()
	for _, t := range cs {
		t.Cancel()
	}
	task.Await(c, gather.AllSettledOf(l, cs))
	return result{n, clk, []string{fmt.Sprintf("consumers=%d", consumers), fmt.Sprintf("maxsize=%d", maxsize)}},
		check(total == n*(n-1)/2, "sum")
}

// callSoon: schedule n callbacks from inside the loop, wait until the last
// one ran.
func callSoon(c *task.Coro, n int) (result, error) {
	l := c.Loop()
	f := future.New[struct{}](l)
	cnt := 0
	cb := func() {
		cnt++
		if cnt == n {
			f.SetResult(struct{}{})
		}
	}
	clk := startClock()
	for range n {
		l.CallSoon(cb)
	}
	err := c.Await(f)
	clk.stop()
	return result{n, clk, nil}, err
}

// threadsafe: another goroutine, locked to its OS thread, posts n
// callbacks with CallSoonThreadsafe; time until the loop ran the last one.
func threadsafe(c *task.Coro, n int) (result, error) {
	l := c.Loop()
	f := future.New[struct{}](l)
	cnt := 0
	cb := func() {
		cnt++
		if cnt == n {
			f.SetResult(struct{}{})
		}
	}
	start := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		runtime.LockOSThread()
		<-start
		for range n {
			l.CallSoonThreadsafe(cb)
		}
	}()
	clk := startClock()
	close(start)
	err := c.Await(f)
	clk.stop()
	<-done
	return result{n, clk, nil}, err
}

func trivial(x int) int { return x + 1 }

// executorWorkload: n trivial calls on a 4-worker pool with RunInExecutor,
// gathered.
func executorWorkload(c *task.Coro, n int) (result, error) {
	const workers = 4
	l := c.Loop()
	pool := executor.New(executor.WithMaxWorkers(workers))
	defer pool.Shutdown()
	submit := func(count int) ([]int, error) {
		fs := make([]*future.Future[int], count)
		for i := range fs {
			f, err := executor.RunInExecutor(l, pool, func(context.Context) (int, error) { return trivial(i), nil })
			if err != nil {
				return nil, err
			}
			fs[i] = f
		}
		return task.Await(c, gather.AllOf(l, fs))
	}
	if _, err := submit(workers * 4); err != nil { // start the workers
		return result{}, err
	}
	clk := startClock()
	res, err := submit(n)
	clk.stop()
	if err != nil {
		return result{}, err
	}
	s := 0
	for _, v := range res {
		s += v
	}
	return result{n, clk, []string{fmt.Sprintf("workers=%d", workers)}}, check(s == n*(n-1)/2+n, "sum")
}

// waitForTimeouts: per op a future that the loop completes on its next
// iteration, awaited through WaitFor(10s); bare_ns_per_op is the same loop
// with a plain await.
func waitForTimeouts(c *task.Coro, n int) (result, error) {
	l := c.Loop()
	s := 0
	t0 := time.Now()
	for i := range n {
		f := future.New[int](l)
		l.CallSoon(func() { f.SetResult(i) })
		v, err := task.Await(c, f)
		if err != nil {
			return result{}, err
		}
		s += v
	}
	bare := time.Since(t0)
	if err := check(s == n*(n-1)/2, "bare sum"); err != nil {
		return result{}, err
	}
	s = 0
	clk := startClock()
	for i := range n {
		f := future.New[int](l)
		l.CallSoon(func() { f.SetResult(i) })
		v, err := task.WaitFor(c, 10*time.Second, f)
		if err != nil {
			return result{}, err
		}
		s += v
	}
	clk.stop()
	return result{n, clk, []string{fmt.Sprintf("bare_ns_per_op=%.1f", float64(bare.Nanoseconds())/float64(n))}},
		check(s == n*(n-1)/2, "sum")
}

// memory: n tasks suspended on one Event; bytes per task from the RSS.
func memory(c *task.Coro, n int) (result, error) {
	l := c.Loop()
	var ev locks.Event
	started := 0
	runtime.GC()
	base := statusKB("VmRSS")
	resetPeakRSS()
	clk := startClock()
	ts := make([]*task.Task[int], n)
	for i := range ts {
		ts[i] = task.Spawn(l, func(c *task.Coro) (int, error) {
			started++
			if err := ev.Wait(c); err != nil {
				return 0, err
			}
			return 1, nil
		})
	}
	for started < n {
		if err := c.Yield(); err != nil {
			return result{}, err
		}
	}
	clk.stop()
	peak := statusKB("VmHWM")
	runtime.GC()
	live := statusKB("VmRSS")
	ev.Set()
	res, err := task.Await(c, gather.AllOf(l, ts))
	if err != nil {
		return result{}, err
	}
	total := time.Now().UnixNano() - clk.t0
	return result{n, clk, []string{
		fmt.Sprintf("bytes_per_task=%.1f", float64(peak-base)*1024/float64(n)),
		fmt.Sprintf("live_bytes_per_task=%.1f", float64(live-base)*1024/float64(n)),
		fmt.Sprintf("base_rss_kb=%d", base),
		fmt.Sprintf("total_ms=%.1f", float64(total)/1e6),
	}}, check(len(res) == n, "count")
}
