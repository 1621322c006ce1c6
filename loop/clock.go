package loop

import "time"

// A Clock is the loop's source of time and its way of waiting for time to
// pass. The loop reads it through this interface only, so that a virtual
// clock (see package looptest) can replace the system clock.
//
// The loop calls a Clock's methods on its own goroutine only.
type Clock interface {
	// Now returns the current time. Successive calls never go backwards.
	Now() time.Time

	// Sleep blocks until the clock reads at least deadline or a value can be
	// received from wake (and receives it), whichever comes first. A zero
	// deadline means no timer is pending: only wake ends the sleep.
	//
	// busy reports whether work on other goroutines is outstanding (see
	// Loop.Hold); a virtual clock must not jump forward while busy is true,
	// because that work may yet post a callback that has to run first.
	Sleep(deadline time.Time, wake <-chan struct{}, busy bool)
}

// systemClock is the wall clock with its monotonic reading. Its timer is
// reused across sleeps so that idle waits allocate nothing.
type systemClock struct {
	timer *time.Timer
}

func (c *systemClock) Now() time.Time { return time.Now() }

func (c *systemClock) Sleep(deadline time.Time, wake <-chan struct{}, _ bool) {
	if deadline.IsZero() {
		<-wake
		return
	}
	d := time.Until(deadline)
	if d <= 0 {
		return
	}
	if c.timer == nil {
		c.timer = time.NewTimer(d)
	} else {
		c.timer.Reset(d)
	}
	select {
	case <-wake:
		c.timer.Stop()
	case <-c.timer.C:
	}
}
