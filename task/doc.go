// Package task runs coroutines on a loop: Task[T] (asyncio.Task), Await,
// Sleep, Run, cancellation, and the task-side combinators Shield, WaitFor,
// Timeout and TaskGroup.
//
// A task body is an ordinary function func(c *Coro) (T, error). It runs on
// its own goroutine stack, a coroutine that the loop resumes and that gives
// control back only inside Await, c.Await, c.Sleep, c.Yield and the
// functions built on them — as an asyncio coroutine suspends only at await.
// The switch is the standard library's iter.Pull, a direct hand-off between
// goroutines; a finished body's coroutine picks up the next task's body.
// Task.__step and Task.__wakeup are reproduced statement for statement
// (step.go), so tasks interleave with callbacks exactly as in CPython.
//
// Cancellation is delivered by resuming the body with a
// *future.CancelledError from its current await. A body that returns that
// error (or one wrapping it) ends the task cancelled; one that returns
// another error fails it; a panic fails it with a *loop.PanicError carrying
// the stack. A loop closed while tasks are pending unwinds their bodies
// (deferred calls run; awaits return ErrAbandoned) and leaves no goroutine
// behind.
//
// # Goroutines
//
// Everything here runs on the loop's goroutine: Spawn, Current and All from
// callbacks or bodies; Await, Sleep, Yield and the combinators only in the
// body that received the Coro (ErrNotInTask otherwise). A body must not
// hand its Coro to another goroutine. Run, RunOn, RunWith and a Runner's
// methods are called from a goroutine that is not running a loop; they run
// one until main returns.
//
// # asyncio mapping
//
//	asyncio.run(main())               Run(main, loopOpts...) / RunOn(l, main)
//	with asyncio.Runner() as r:       r := NewRunner(loopOpts...) (or NewRunnerOn(l)); defer r.Close()
//	    r.run(main()); r.run(other())   RunWith(r, main); RunWith(r, other)
//	asyncio.create_task(coro, name=)  Spawn(l, body, WithName(name))
//	eager_start=True (3.12)           Spawn(l, body, Eager())
//	await fut                         v, err := Await(c, f)  /  err := c.Await(aw)
//	await asyncio.sleep(d[, result])  c.Sleep(d) / SleepValue(c, d, v); sleep(0): c.Yield()
//	task.cancel(msg) / cancelling()   t.Cancel(msg...) / t.Cancelling()
//	task.uncancel()                   t.Uncancel()
//	task.get_name() / set_name()      t.Name() / t.SetName(name)
//	asyncio.current_task()            Current(l), or c.Task() in a body
//	asyncio.all_tasks()               All(l)
//	asyncio.shield(aw)                Shield(aw)
//	asyncio.wait_for(aw, t)           WaitFor(c, d, aw) / WaitForFunc(c, d, body)
//	asyncio.timeout(d)                Timeout(c, d, func(s *TimeoutScope) error {...})
//	asyncio.timeout_at(t)             TimeoutAt(c, t, body)
//	asyncio.TaskGroup()               Group(c, func(g *TaskGroup) error {...}); SpawnIn(g, body)
package task
