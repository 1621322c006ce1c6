package looptest

import (
	"sync"
	"time"

	"github.com/goasyncio/goasyncio/loop"
)

// Epoch is the time a new virtual Clock starts at.
var Epoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// A Clock is a virtual clock for a loop. With auto-jump on (NewClock), when
// the loop has nothing ready and no outstanding holds (loop.Hold), the clock
// jumps straight to the next timer's deadline instead of waiting for it
// (Trio's autojump), so timed code runs instantly and deterministically.
// Advance moves it forward by hand.
//
// Its methods are safe for concurrent use.
type Clock struct {
	mu       sync.Mutex
	now      time.Time
	autoJump bool
	advanced chan struct{} // signalled when Advance moves the clock
}

// NewClock returns a virtual clock at Epoch that jumps to the next timer
// whenever the loop would otherwise wait.
func NewClock() *Clock {
	return &Clock{now: Epoch, autoJump: true, advanced: make(chan struct{}, 1)}
}

// NewManualClock returns a virtual clock at Epoch that moves only when
// Advance is called.
func NewManualClock() *Clock {
	c := NewClock()
	c.autoJump = false
	return c
}

// Now returns the virtual time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d and wakes the loop if it sleeps.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
	select {
	case c.advanced <- struct{}{}:
	default:
	}
}

// Sleep implements loop.Clock: jump to deadline when allowed, else wait for
// a wake-up, an Advance past the deadline, or a released hold.
func (c *Clock) Sleep(deadline time.Time, wake <-chan struct{}, busy bool) {
	select {
	case <-wake:
		return
	default:
	}
	if c.autoJump && !busy && !deadline.IsZero() {
		c.mu.Lock()
		if deadline.After(c.now) {
			c.now = deadline
		}
		c.mu.Unlock()
		return
	}
	for {
		select {
		case <-wake:
			return
		case <-c.advanced:
			if !deadline.IsZero() && !c.Now().Before(deadline) {
				return
			}
		}
	}
}

var _ loop.Clock = (*Clock)(nil)

// New returns a loop on a new auto-jumping virtual clock.
func New(opts ...loop.Option) *loop.Loop {
	return loop.New(append([]loop.Option{loop.WithClock(NewClock())}, opts...)...)
}
