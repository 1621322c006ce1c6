package task

import "iter"

// A coroutine is a goroutine stack that runs task bodies, switched to and
// from with iter.Pull (the runtime's direct coroutine hand-off: no
// scheduler round trip, no channel). Only the loop's goroutine resumes it.
//
// Creating and finishing an iter.Pull coroutine costs about ten times a
// resume/suspend round trip, so a coroutine whose body finished parks and
// picks up the next task's body instead of exiting (see registry.pool).
type coroutine struct {
	next  func() (bool, bool) // resume; reports (finished, alive)
	stop  func()
	yield func(bool) bool // inside the coroutine: suspend (false) or finish (true)
	job   *core           // the task whose body runs next or now
}

// A runner is a task as its coroutine sees it.
type runner interface {
	// runBody runs the task's body to completion and records its outcome.
	// It returns false if the body was abandoned (the loop closed).
	runBody() bool
	// setResult completes the task with the value its body returned.
	setResult()
}

func newCoroutine() *coroutine {
	co := &coroutine{}
	co.next, co.stop = iter.Pull(co.run)
	return co
}

// run is the coroutine's whole life: run one body after another, parking
// between them, until stopped. A coroutine that finds the pool of idle
// coroutines full exits at once instead of parking: that costs one switch,
// where parking and being stopped later would cost two.
func (co *coroutine) run(yield func(bool) bool) {
	co.yield = yield
	for {
		job := co.job
		if job == nil || !job.self.(runner).runBody() {
			return
		}
		co.job = nil
		// The loop is blocked in resume meanwhile, so the registry is ours.
		if !job.reg.parkCoroutine(co) {
			return
		}
		if !yield(true) { // park; false means the pool is being drained
			return
		}
	}
}

// resume runs the coroutine until its body suspends or finishes and reports
// whether it finished. Only the loop's goroutine calls it.
func (co *coroutine) resume() (finished bool) {
	finished, alive := co.next()
	return finished || !alive
}

// suspend, called inside the body, returns control to the loop until the
// loop resumes it. It reports false if the coroutine is being stopped (the
// loop closed while the task was pending).
func (co *coroutine) suspend() bool { return co.yield(false) }
