package loop

import (
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/goasyncio/goasyncio/internal/goid"
	"github.com/goasyncio/goasyncio/internal/looplink"
)

// Limits copied from CPython's base_events.py.
const (
	// minScheduledTimers and minCancelledFraction decide when _run_once
	// rebuilds the timer heap instead of popping cancelled timers lazily.
	minScheduledTimers   = 100
	minCancelledFraction = 0.5
	// maxSleep caps one idle wait (MAXIMUM_SELECT_TIMEOUT).
	maxSleep = 24 * time.Hour
	// clockResolution is time.get_clock_info('monotonic').resolution on
	// Linux: timers due before now+clockResolution are run.
	clockResolution = 1
)

// A Loop is an event loop: it runs callbacks, one at a time, on the
// goroutine that called RunForever, in the order CPython 3.11's asyncio runs
// them.
//
// Methods are to be called on the loop's goroutine (from callbacks and task
// bodies), or while the loop is not running, unless their documentation
// says "Safe for concurrent use".
type Loop struct {
	clock Clock
	epoch time.Time

	ready               readyQueue
	timers              timerHeap
	timerSeq            uint64
	timerCancelledCount int

	stopping   bool
	inCallback bool // a callback is running: loop-only calls are legal
	running    atomic.Bool
	closed     atomic.Bool

	debug          bool
	slowCallback   time.Duration
	handler        ExceptionHandler
	logger         *slog.Logger
	goroutine      uint64 // the running goroutine's id, in debug mode
	coroGoroutines map[uint64]bool

	// The inbox takes callbacks from other goroutines (CallSoonThreadsafe).
	// Posters append under mu; the first post after a drain sends one token
	// on wake, so a burst of posts costs one wake-up.
	mu     sync.Mutex
	inbox  []func()
	posted atomic.Int32 // len(inbox), so that an empty drain takes no lock
	spare  []func()
	wake   chan struct{}
	holds  atomic.Int64

	io atomic.Pointer[ioState] // nil until the first AddReader/AddWriter (fd.go)

	tracer  *Recorder  // nil unless WithRecorder (trace.go)
	perturb *perturber // nil unless WithPerturbation (perturb.go)

	handles    []Handle // the rest of the current slab (newHandle)
	locals     []any    // per-loop state, by Key index (key.go)
	closeHooks []func()
}

// An Option configures a Loop made by New.
type Option func(*Loop)

// WithClock makes the loop read time from c instead of the system clock.
func WithClock(c Clock) Option { return func(l *Loop) { l.clock = c } }

// WithDebug turns debug mode on (asyncio's loop.set_debug(True)): slow
// callbacks are logged, and every loop-only call checks that it is made on
// the loop's goroutine (or a task body it runs).
func WithDebug(on bool) Option { return func(l *Loop) { l.debug = on } }

// WithSlowCallbackDuration sets how long a callback may run before debug
// mode logs it (asyncio's loop.slow_callback_duration, default 100ms).
func WithSlowCallbackDuration(d time.Duration) Option {
	return func(l *Loop) { l.slowCallback = d }
}

// WithStableTimerOrder makes timers with equal deadlines run in the order
// they were scheduled. By default they run in the order CPython's heapq pops
// them, which is not always that order, so that ported programs print the
// same trace as CPython.
func WithStableTimerOrder() Option { return func(l *Loop) { l.timers.stable = true } }

// WithLogger sets the logger of the default exception handler and of debug
// mode (default slog.Default()).
func WithLogger(lg *slog.Logger) Option { return func(l *Loop) { l.logger = lg } }

// New returns a new, not yet running loop (asyncio.new_event_loop).
func New(opts ...Option) *Loop {
	l := &Loop{
		wake:         make(chan struct{}, 1),
		slowCallback: 100 * time.Millisecond,
	}
	for _, o := range opts {
		o(l)
	}
	if l.clock == nil {
		l.clock = &systemClock{}
	}
	if l.logger == nil {
		l.logger = slog.Default()
	}
	l.epoch = l.clock.Now()
	return l
}

// now returns the loop time in nanoseconds since the epoch.
func (l *Loop) now() int64 { return int64(l.clock.Now().Sub(l.epoch)) }

// Time returns the current time on the loop's clock (asyncio's loop.time()).
// Safe for concurrent use when the clock is (the system clock is).
func (l *Loop) Time() time.Time { return l.clock.Now() }

// Clock returns the clock the loop reads.
func (l *Loop) Clock() Clock { return l.clock }

// checkGoroutine panics with ErrWrongGoroutine when a loop-only method is
// called from another goroutine. Without debug mode it catches calls made
// while the loop waits for work (which would otherwise be lost without a
// wake-up); in debug mode it compares goroutine identities.
func (l *Loop) checkGoroutine(method string) {
	if l.inCallback {
		if l.debug {
			if g := goid.Get(); g != l.goroutine && !l.coroGoroutines[g] {
				panic(fmt.Errorf("%w (in %s)", ErrWrongGoroutine, method))
			}
		}
		return
	}
	if l.running.Load() {
		panic(fmt.Errorf("%w (in %s)", ErrWrongGoroutine, method))
	}
}

func (l *Loop) checkClosed() {
	if l.closed.Load() {
		panic(ErrClosed)
	}
}

// CallSoon schedules fn to run on the next iteration, after every callback
// already queued (asyncio's loop.call_soon). It panics with ErrClosed if the
// loop is closed. Must be called on the loop's goroutine.
func (l *Loop) CallSoon(fn func()) *Handle {
	l.checkClosed()
	l.checkGoroutine("CallSoon")
	h := l.newHandle()
	h.fn = fn
	l.ready.push(entry{h: h}) // the handle holds fn: Cancel releases it
	return h
}

// handleSlabSize is how many Handles newHandle allocates at once.
const handleSlabSize = 128

// newHandle returns a zero Handle carved from a slab, so that CallSoon
// costs one allocation per 128 calls instead of one per call. A Handle the
// caller keeps holds its slab's 4 KiB in memory, but not the callbacks of
// the others: the loop clears a handle's callback once it has run.
func (l *Loop) newHandle() *Handle {
	if len(l.handles) == 0 {
		l.handles = make([]Handle, handleSlabSize)
	}
	h := &l.handles[0]
	l.handles = l.handles[1:]
	return h
}

// Enqueue schedules fn exactly like CallSoon but without a Handle, so it
// cannot be cancelled and allocates nothing. Futures and tasks use it for
// done-callbacks and task steps. Must be called on the loop's goroutine.
func (l *Loop) Enqueue(fn func()) {
	l.checkClosed()
	l.checkGoroutine("Enqueue")
	l.ready.push(entry{fn: fn})
}

// CallLater schedules fn to run after delay d (asyncio's loop.call_later).
// A zero or negative delay runs fn on a later iteration than the callbacks
// already queued, like CallAt with a time in the past.
// Must be called on the loop's goroutine.
func (l *Loop) CallLater(d time.Duration, fn func()) *TimerHandle {
	l.checkClosed()
	l.checkGoroutine("CallLater")
	return l.callAt(l.now()+int64(d), fn)
}

// CallAt schedules fn to run at time t on the loop's clock (asyncio's
// loop.call_at). Must be called on the loop's goroutine.
func (l *Loop) CallAt(t time.Time, fn func()) *TimerHandle {
	l.checkClosed()
	l.checkGoroutine("CallAt")
	return l.callAt(int64(t.Sub(l.epoch)), fn)
}

func (l *Loop) callAt(when int64, fn func()) *TimerHandle {
	l.timerSeq++
	h := &TimerHandle{Handle: Handle{fn: fn, timer: true}, l: l, when: when, seq: l.timerSeq, scheduled: true}
	if l.perturb != nil {
		h.seq = l.perturb.timerSeq() // ties on the deadline break at random
	}
	l.timers.push(h)
	return h
}

// CallSoonThreadsafe schedules fn from any goroutine (asyncio's
// loop.call_soon_threadsafe) and wakes the loop if it is waiting. Callbacks
// posted by one goroutine run in the order posted. It returns ErrClosed if
// the loop is closed. Safe for concurrent use.
func (l *Loop) CallSoonThreadsafe(fn func()) error {
	l.mu.Lock()
	if l.closed.Load() {
		l.mu.Unlock()
		return ErrClosed
	}
	l.inbox = append(l.inbox, fn)
	if l.perturb != nil {
		l.perturb.notePost()
	}
	first := len(l.inbox) == 1
	l.posted.Store(int32(len(l.inbox)))
	l.mu.Unlock()
	if first {
		l.wakeup()
	}
	return nil
}

func (l *Loop) wakeup() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
	if io := l.io.Load(); io != nil && io.waiting.Load() {
		io.p.wake() // the loop is blocked in epoll, not on the channel
	}
}

// Hold records work on another goroutine that will post back to the loop
// (with CallSoonThreadsafe) and returns the function that ends the record.
// A virtual clock does not jump forward while a hold is outstanding, so time
// never passes a callback that is still on its way. Call release after the
// final post. On the system clock, whose time passes anyway, a hold records
// nothing and costs nothing. Safe for concurrent use.
func (l *Loop) Hold() (release func()) {
	if _, ok := l.clock.(*systemClock); ok {
		return noRelease // real time passes anyway: nothing to hold back
	}
	l.holds.Add(1)
	var once sync.Once
	return func() {
		once.Do(func() {
			l.holds.Add(-1)
			l.wakeup()
		})
	}
}

// noRelease is Hold's release on the system clock, shared so that holds
// cost no allocation where they change nothing.
var noRelease = func() {}

// drainInbox moves the callbacks posted by other goroutines to the ready
// queue, in the order they were posted.
func (l *Loop) drainInbox() {
	if l.posted.Load() == 0 { // a post after this check is drained next time
		return
	}
	l.mu.Lock()
	posted := l.inbox
	l.inbox = l.spare[:0]
	l.posted.Store(0)
	l.mu.Unlock()
	if l.perturb != nil {
		l.perturbInbox(posted)
	}
	for _, fn := range posted {
		l.ready.push(entry{fn: fn})
	}
	clear(posted)
	l.spare = posted
}

// Stop makes the loop return from RunForever after the current iteration
// (asyncio's loop.stop); called before RunForever, the next run does one
// iteration. Must be called on the loop's goroutine (post it with
// CallSoonThreadsafe from others).
func (l *Loop) Stop() {
	l.checkGoroutine("Stop")
	l.stopping = true
}

// IsRunning reports whether the loop is running. Safe for concurrent use.
func (l *Loop) IsRunning() bool { return l.running.Load() }

// IsClosed reports whether the loop was closed. Safe for concurrent use.
func (l *Loop) IsClosed() bool { return l.closed.Load() }

// Debug reports whether debug mode is on.
func (l *Loop) Debug() bool { return l.debug }

// SetDebug turns debug mode on or off (see WithDebug). Must be called on the
// loop's goroutine.
func (l *Loop) SetDebug(on bool) {
	l.debug = on
	if on && l.running.Load() {
		l.goroutine = goid.Get()
	}
}

// RunForever runs the loop until Stop is called (asyncio's
// loop.run_forever). It returns ErrClosed for a closed loop and ErrRunning if
// the loop is already running (including a call from one of its own
// callbacks).
func (l *Loop) RunForever() error {
	if l.closed.Load() {
		return ErrClosed
	}
	if !l.running.CompareAndSwap(false, true) {
		return ErrRunning
	}
	if l.debug {
		l.goroutine = goid.Get()
	}
	defer func() {
		l.stopping = false
		l.inCallback = false
		l.running.Store(false)
	}()
	for {
		l.runOnce()
		if l.stopping {
			return nil
		}
	}
}

// runOnce is one iteration of the loop: CPython's BaseEventLoop._run_once.
func (l *Loop) runOnce() {
	// Drop cancelled timers: rebuild the heap when they are many, else pop
	// those at its head.
	if n := l.timers.len(); n > minScheduledTimers &&
		float64(l.timerCancelledCount)/float64(n) > minCancelledFraction {
		l.timers.removeCancelled()
		l.timerCancelledCount = 0
	} else {
		for l.timers.len() > 0 && l.timers.top().cancelled {
			l.timerCancelledCount--
			l.timers.pop().scheduled = false
		}
	}

	// Wait for work when there is none (the selector's select(timeout)):
	// in the poller while file descriptors are registered (fd.go).
	io := l.io.Load()
	polling := io != nil && len(io.fds) > 0
	if polling {
		l.pollIO(io)
	} else if l.ready.len() == 0 && !l.stopping {
		var deadline time.Time
		if l.timers.len() > 0 {
			deadline = l.epoch.Add(time.Duration(l.timers.top().when))
			if max := l.clock.Now().Add(maxSleep); deadline.After(max) {
				deadline = max
			}
		}
		l.clock.Sleep(deadline, l.wake, l.holds.Load() > 0)
	}
	// Process "events": callbacks posted by other goroutines, then I/O.
	l.drainInbox()
	if polling {
		l.dispatchIO(io)
	}

	// Move due timers to the ready queue, after what is already there.
	if l.timers.len() > 0 {
		end := l.now() + clockResolution
		for l.timers.len() > 0 && l.timers.top().when < end {
			h := l.timers.pop()
			h.scheduled = false
			l.ready.push(entry{h: &h.Handle})
		}
	}

	// Run the callbacks that are ready now; those they schedule run on the
	// next iteration.
	l.inCallback = true
	for ntodo := l.ready.len(); ntodo > 0; {
		ntodo = l.runBatch(ntodo)
	}
	l.inCallback = false
}

// runBatch runs the next ntodo ready callbacks. A panic in one goes to the
// exception handler and ends runBatch early, returning how many are left;
// runOnce calls it again for those. One deferred recover per batch instead
// of one per callback keeps the common, panic-free path cheap.
func (l *Loop) runBatch(ntodo int) (left int) {
	var cur entry
	defer func() {
		if r := recover(); r != nil {
			l.reportPanic(cur, r)
			left = ntodo
		}
	}()
	for ntodo > 0 {
		cur = l.ready.pop()
		ntodo--
		if h := cur.h; h != nil {
			if h.cancelled {
				continue
			}
			if cur.fn == nil { // a one-shot handle (CallSoon, timers) holds the callback
				cur.fn, h.fn = h.fn, nil // a kept handle must not keep it alive
			}
			if l.tracer != nil {
				l.tracer.traceRun(l, cur)
			}
		}
		if l.debug {
			l.runTimed(cur)
		} else {
			cur.fn()
		}
	}
	return 0
}

func (l *Loop) reportPanic(e entry, r any) {
	h := e.h
	if h == nil {
		// Enqueue gives no handle, but in asyncio every ready callback
		// (a future's done-callback too) has one, and the context says so.
		h = &Handle{fn: e.fn}
	}
	l.CallExceptionHandler(ExceptionContext{
		Message: "Exception in callback " + FuncName(e.fn),
		Err:     NewPanicError(r),
		Handle:  h,
	})
}

// runTimed calls e.fn and, in debug mode, logs it if it ran for longer
// than the slow-callback duration (asyncio's "Executing ... took ...").
func (l *Loop) runTimed(e entry) {
	t0 := l.clock.Now()
	defer func() { // also when e.fn panics
		l.slowCheck(e, t0)
	}()
	e.fn()
}

func (l *Loop) slowCheck(e entry, t0 time.Time) {
	if dt := l.clock.Now().Sub(t0); dt >= l.slowCallback {
		l.logger.Warn(fmt.Sprintf("Executing %s took %.3f seconds", FuncName(e.fn), dt.Seconds()))
	}
}

// Close closes the loop (asyncio's loop.close): queued callbacks and timers
// are dropped, and the hooks registered with AtClose run, in registration
// order (tasks still pending are abandoned, the default executor is shut
// down). It returns ErrRunning for a running loop; closing a closed loop
// does nothing.
func (l *Loop) Close() error {
	if l.running.Load() {
		return fmt.Errorf("%w: cannot close a running event loop", ErrRunning)
	}
	l.mu.Lock()
	if l.closed.Load() {
		l.mu.Unlock()
		return nil
	}
	l.closed.Store(true)
	l.inbox = nil
	l.mu.Unlock()
	l.ready.clear()
	l.timers.clear()
	for i := 0; i < len(l.closeHooks); i++ { // hooks may add hooks
		l.closeHooks[i]()
	}
	l.closeHooks = nil
	return nil
}

// AtClose registers fn to run when the loop is closed. Packages built on
// the loop use it to release what they keep per loop. Must be called on the
// loop's goroutine (or while it is not running).
func (l *Loop) AtClose(fn func()) { l.closeHooks = append(l.closeHooks, fn) }

func init() {
	looplink.RegisterCoroutineGoroutine = func(l any, id uint64, on bool) {
		l.(*Loop).registerCoroutineGoroutine(id, on)
	}
}

// registerCoroutineGoroutine tells debug mode's goroutine check that the
// goroutine with the given id runs code on the loop's behalf (a task body
// resumed by the loop). Package task calls it through looplink.
func (l *Loop) registerCoroutineGoroutine(id uint64, on bool) {
	if l.coroGoroutines == nil {
		l.coroGoroutines = map[uint64]bool{}
	}
	if on {
		l.coroGoroutines[id] = true
	} else {
		delete(l.coroGoroutines, id)
	}
}
