package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/goasyncio/goasyncio/internal/leakcheck"
	"github.com/goasyncio/goasyncio/task"
)

// envAsCommand, set to 1 in the environment of the test binary, makes it
// the countdown command itself: TestMain runs main (with the command-line
// flags the binary was given) instead of the tests; set to ignore-sigint,
// the command ignores SIGINT first. TestInterrupt re-runs
// the binary this way, so that it needs no toolchain to build the demo.
const envAsCommand = "COUNTDOWN_TEST_AS_COMMAND"

func TestMain(m *testing.M) {
	switch os.Getenv(envAsCommand) {
	case "ignore-sigint": // as if started in the background by a script
		signal.Ignore(os.Interrupt)
		fallthrough
	case "1":
		main() // exits 1 itself when run fails
		os.Exit(0)
	}
	os.Exit(leakcheck.Main(m))
}

// An event is one line of the countdown trace, without its time stamp, and
// the time in ticks at which it is due.
type event struct {
	at   float64
	line string // "Apollo: T-minus 5"
}

// schedule is the trace the rockets table makes, in time order.
func schedule() []event {
	var evs []event
	for _, r := range rockets {
		for step := 0; step < r.Count; step++ {
			evs = append(evs, event{r.Start + float64(step), fmt.Sprintf("%s: T-minus %d", r.Name, r.Count-step)})
		}
		evs = append(evs, event{r.Start + float64(r.Count), r.Name + ": lift-off!"})
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].at < evs[j].at })
	return evs
}

// traceLine is a line of run's output: a time stamp, a rocket, a message.
var traceLine = regexp.MustCompile(`^T\+ *(\d+\.\d\d) ticks  (\w+): +(\S.*)$`)

// TestInterrupt runs the demo as a real process, sends it a real SIGINT
// (what Ctrl-C does) once a given line has appeared, and checks what a user
// sees: the lines so far, then "countdown aborted" for each rocket still
// counting down (the one main awaits first, as cancelling main cancels
// what it awaits; then, in any order, those task.Run cancels at shutdown),
// no lift-off for them, main's error on stderr and exit status 1.
//
// Real time, on purpose: a real process gets a real SIGINT, which is what
// this test is for; the order it checks comes from the child's own timers.
func TestInterrupt(t *testing.T) {
	switch runtime.GOOS {
	case "windows", "plan9", "js", "wasip1":
		t.Skipf("no SIGINT to send on %s", runtime.GOOS)
	}
	if signal.Ignored(os.Interrupt) {
		t.Skip("SIGINT is ignored in this process, so in the child too (go test started in the background?)")
	}
	leakcheck.Check(t)
	leakcheck.CheckFDs(t)

	// Why this is not racy in practice: the signal goes out when the
	// trigger line appears, and the child must handle it before its next
	// event is due. That margin (the gap after the trigger, in real time)
	// fixes the tick. Between the two lie a pipe read, a kill(2) and a
	// wake-up of the child's loop: 0-2ms on an idle 2-core machine with
	// the race detector, 70ms at worst in 30 runs beside 8 CPU-bound
	// processes, against 150ms of margin. The child's timers are set
	// against its start time, so a late line does not shrink the margin
	// after it. The trigger is chosen so that one rocket has lifted off
	// (and must not abort) and two are still counting down.
	const (
		trigger = "Mercury: T-minus 2"
		margin  = 150 * time.Millisecond
		timeout = 10 * time.Second // safety net: the test takes about a second
	)
	evs := schedule()
	i := 0
	for i < len(evs) && evs[i].line != trigger {
		i++
	}
	if i+1 >= len(evs) {
		t.Fatalf("%q is not a line of the countdown, or its last: pick another trigger", trigger)
	}
	at, gap := evs[i].at, evs[i+1].at-evs[i].at
	if gap < 0.5 {
		t.Fatalf("%q is only %.2f ticks before the next event: pick a trigger followed by a longer gap", trigger, gap)
	}
	tick := time.Duration(float64(margin) / gap)

	// Main awaits the rockets in table order, so it is awaiting the first
	// one still counting down: that one aborts first.
	var want, aborted []string
	for _, e := range evs[:i+1] {
		want = append(want, e.line)
	}
	for _, r := range rockets {
		if r.Start+float64(r.Count) > at {
			aborted = append(aborted, r.Name+": countdown aborted")
		}
	}
	if len(aborted) == 0 || len(aborted) == len(rockets) {
		t.Fatalf("at %q, %d of %d rockets count down: pick a trigger where some but not all have lifted off",
			trigger, len(aborted), len(rockets))
	}
	want = append(want, aborted...)

	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	cmd, stdout, stderr := startCountdown(ctx, t, "1", tick)

	var (
		got        []string
		sentStamp  float64   // of the trigger line
		stamps     []float64 // of the lines after the signal
		signalled  time.Time
		prevStamp  float64
		outOfOrder []string
	)
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		m := traceLine.FindStringSubmatch(sc.Text())
		if m == nil {
			got = append(got, sc.Text()) // shows up in the diff
			continue
		}
		line := m[2] + ": " + m[3]
		got = append(got, line)
		stamp, _ := strconv.ParseFloat(m[1], 64)
		if stamp < prevStamp {
			outOfOrder = append(outOfOrder, sc.Text())
		}
		prevStamp = stamp
		if !signalled.IsZero() {
			stamps = append(stamps, stamp)
		}
		if line == trigger && signalled.IsZero() {
			if err := cmd.Process.Signal(os.Interrupt); err != nil {
				t.Errorf("sending SIGINT: %v", err) // the countdown then runs to its end
			}
			signalled, sentStamp = time.Now(), stamp
		}
	}
	err := cmd.Wait()
	switch {
	case signalled.IsZero():
		t.Fatalf("countdown never printed %q; exit: %v; stdout:\n%q\nstderr:\n%s", trigger, err, got, stderr.String())
	case ctx.Err() != nil:
		t.Fatalf("countdown hangs: killed %v after SIGINT; stdout:\n%q\nstderr:\n%s",
			time.Since(signalled).Round(time.Millisecond), got, stderr.String())
	}
	exited := time.Since(signalled)
	if len(stamps) > 0 {
		t.Logf("tick %v; first line after SIGINT %.0fms after the trigger line (margin %v); exit %v after SIGINT",
			tick, (stamps[0]-sentStamp)*float64(tick/time.Millisecond), margin, exited.Round(time.Millisecond))
	}

	for _, s := range stamps {
		if s >= evs[i+1].at {
			t.Errorf("a line after SIGINT is stamped T+%.2f ticks, past the next event (%.2f): "+
				"the signal took longer than the %v margin to land (machine overloaded?)", s, evs[i+1].at, margin)
			break
		}
	}
	if len(outOfOrder) > 0 {
		t.Errorf("time stamps go backwards at:\n%q", outOfOrder)
	}
	// The tasks task.Run cancels at shutdown come from a set: any order.
	for _, s := range [][]string{want, got} {
		if n := i + 2; n < len(s) {
			sort.Strings(s[n:])
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stdout differs (-want +got):\n%s", diff)
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Errorf("countdown ended with %v, want exit status 1", err)
	}
	if got, want := stderr.String(), "countdown: "+task.ErrInterrupted.Error()+"\n"; got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
}

// TestInterruptIgnored runs the demo with SIGINT ignored, as a background
// job of a non-interactive shell starts, and sends it SIGINT: task.Run
// leaves an ignored SIGINT alone (as asyncio.run leaves a non-default
// handler), so every rocket still lifts off and the program exits 0.
//
// Real time, on purpose: a real process gets a real SIGINT; the trace it
// checks comes from the child's own timers.
func TestInterruptIgnored(t *testing.T) {
	switch runtime.GOOS {
	case "windows", "plan9", "js", "wasip1":
		t.Skipf("no SIGINT to send on %s", runtime.GOOS)
	}
	leakcheck.Check(t)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	cmd, stdout, stderr := startCountdown(ctx, t, "ignore-sigint", 20*time.Millisecond)
	var got, want []string
	for _, e := range schedule() {
		want = append(want, e.line)
	}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		m := traceLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue // the closing summary
		}
		if len(got) == 0 { // the first line: the countdown is under way
			if err := cmd.Process.Signal(os.Interrupt); err != nil {
				t.Fatalf("sending SIGINT: %v", err)
			}
		}
		got = append(got, m[2]+": "+m[3])
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("countdown with SIGINT ignored ended with %v, want exit status 0; stderr:\n%s", err, stderr.String())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stdout differs from the full countdown (-want +got):\n%s", diff)
	}
}

// startCountdown starts the test binary as the countdown command (mode is
// the value of envAsCommand) with the given tick, killed when ctx is done.
func startCountdown(ctx context.Context, t *testing.T, mode string, tick time.Duration) (*exec.Cmd, io.Reader, *bytes.Buffer) {
	t.Helper()
	cmd := exec.CommandContext(ctx, os.Args[0], "-tick="+tick.String())
	cmd.Env = append(os.Environ(), envAsCommand+"="+mode)
	cmd.WaitDelay = time.Second // once killed, do not wait long for its output
	stderr := new(bytes.Buffer)
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, stdout, stderr
}
