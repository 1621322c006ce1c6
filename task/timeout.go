package task

import (
	"errors"
	"fmt"
	"time"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
)

// ErrTimeoutInactive is matched (errors.Is) by every TimeoutStateError.
var ErrTimeoutInactive = errors.New("task: timeout scope is not active")

// A TimeoutStateError reports TimeoutScope.Reschedule called outside the
// scope's active block (asyncio's RuntimeError from Timeout.reschedule).
type TimeoutStateError struct {
	// State is the scope's state, as asyncio names it: "created" (never
	// entered), "expiring", "expired" or "finished".
	State string
}

// Error names the state, in asyncio's words.
func (e *TimeoutStateError) Error() string {
	if e.State == "created" {
		return "task: Timeout has not been entered"
	}
	return "task: cannot change state of " + e.State + " Timeout"
}

// Is reports whether target is ErrTimeoutInactive.
func (e *TimeoutStateError) Is(target error) bool { return target == ErrTimeoutInactive }

// timeoutState is timeouts.py's _State.
type timeoutState uint8

const (
	timeoutCreated timeoutState = iota
	timeoutEntered
	timeoutExpiring
	timeoutExpired
	timeoutExited
)

var timeoutStateNames = [...]string{"created", "active", "expiring", "expired", "finished"}

func (s timeoutState) String() string { return timeoutStateNames[s] }

// A TimeoutScope is the handle on a deadline that Timeout and TimeoutAt give
// their body (asyncio.Timeout, the object `async with asyncio.timeout()`
// binds). The zero value is a scope that was never entered: Reschedule on it
// returns a TimeoutStateError.
//
// Its methods must be called on the loop's goroutine.
type TimeoutScope struct {
	state      timeoutState
	when       time.Time
	handle     interface{ Cancel() } // the pending _on_timeout callback
	l          *loop.Loop
	task       Any
	cancelling int // the task's Cancelling() on entry
}

// Timeout runs body with a deadline d from now (asyncio.timeout(delay)).
// When the deadline passes, the task is cancelled at its current or next
// await; if body then returns that cancellation (or any error wrapping it),
// Timeout returns a *future.TimeoutError caused by it instead — but only if
// no other cancellation of the task is pending (its Cancelling count is back
// to what it was on entry), so an outer timeout or a foreign Cancel still
// propagates as a cancellation. Any other outcome of body is returned as is.
//
// d == NoTimeout sets no deadline (timeout(None)); Reschedule can set one
// later. A zero or negative d expires on the next loop iteration.
//
// The scope is left when body returns or panics (the panic goes on); it
// cannot be left open. Must be called in the body that received c; it
// returns ErrNotInTask otherwise, without running body.
func Timeout(c *Coro, d time.Duration, body func(s *TimeoutScope) error) error {
	var when time.Time
	if d != NoTimeout {
		when = c.Loop().Time().Add(d)
	}
	return TimeoutAt(c, when, body)
}

// TimeoutAt is Timeout with an absolute deadline on the loop's clock
// (asyncio.timeout_at(when)); the zero time sets no deadline (None).
func TimeoutAt(c *Coro, when time.Time, body func(s *TimeoutScope) error) error {
	if err := c.inTask(); err != nil {
		return err
	}
	s := &TimeoutScope{when: when}
	s.enter(c)
	returned := false
	defer func() {
		if !returned { // body panicked: leave as for an error, not a cancellation
			s.exit(nil)
		}
	}()
	err := body(s)
	returned = true
	return s.exit(err)
}

// enter is Timeout.__aenter__.
func (s *TimeoutScope) enter(c *Coro) {
	s.state = timeoutEntered
	s.l = c.Loop()
	s.task = c.Task()
	s.cancelling = s.task.Cancelling()
	s.reschedule(s.when)
}

// exit is Timeout.__aexit__: err is what the body returned.
func (s *TimeoutScope) exit(err error) error {
	if s.handle != nil {
		s.handle.Cancel()
		s.handle = nil
	}
	switch s.state {
	case timeoutExpiring:
		s.state = timeoutExpired
		// Uncancel first, whatever err is: the scope's own cancel request
		// is withdrawn in every case.
		if s.task.Uncancel() <= s.cancelling && future.IsCancelled(err) {
			// No newer cancellation is pending: the one we get is ours.
			return &future.TimeoutError{Cause: err}
		}
	case timeoutEntered:
		s.state = timeoutExited
	}
	return err
}

// When returns the deadline, or the zero time if there is none (asyncio's
// Timeout.when()).
func (s *TimeoutScope) When() time.Time { return s.when }

// Expired reports whether the deadline passed while the scope was active
// (asyncio's Timeout.expired()), even if body swallowed the cancellation.
func (s *TimeoutScope) Expired() bool {
	return s.state == timeoutExpiring || s.state == timeoutExpired
}

// Reschedule moves the deadline to when (asyncio's Timeout.reschedule): a
// later time, the zero time for none, or a time already past, which expires
// on the next loop iteration. It returns a *TimeoutStateError unless the
// scope is active: body is running and the deadline has not passed yet.
func (s *TimeoutScope) Reschedule(when time.Time) error {
	if s.state != timeoutEntered {
		return &TimeoutStateError{State: s.state.String()}
	}
	s.reschedule(when)
	return nil
}

func (s *TimeoutScope) reschedule(when time.Time) {
	s.when = when
	if s.handle != nil {
		s.handle.Cancel()
	}
	switch {
	case when.IsZero():
		s.handle = nil
	case !when.After(s.l.Time()):
		s.handle = s.l.CallSoon(s.onTimeout)
	default:
		s.handle = s.l.CallAt(when, s.onTimeout)
	}
}

// onTimeout is Timeout._on_timeout: cancel the task and remember that this
// scope did it.
func (s *TimeoutScope) onTimeout() {
	s.task.Cancel()
	s.state = timeoutExpiring
	s.handle = nil
}

// String describes the scope like asyncio's repr: <Timeout [active]
// when=...>, the deadline shown only while active.
func (s *TimeoutScope) String() string {
	if s.state != timeoutEntered {
		return fmt.Sprintf("<Timeout [%s]>", s.state)
	}
	if s.when.IsZero() {
		return "<Timeout [active] when=None>"
	}
	return fmt.Sprintf("<Timeout [active] when=%s>", s.when.Format(time.RFC3339Nano))
}
