package task

import "github.com/goasyncio/goasyncio/future"

// Shield protects aw from cancellation (asyncio.shield). It returns a new
// future that completes as aw does: with its value, its error, or — if aw
// itself is cancelled — cancelled. Cancelling the returned future, or the
// task that awaits it, leaves aw running undisturbed; its outcome is then
// marked retrieved and can still be awaited directly.
//
// A done aw is returned as is. To shield a body rather than a future, spawn
// it first, as asyncio.shield does with a coroutine:
// Shield(Spawn(l, body)).
//
// Must be called on aw's loop's goroutine.
func Shield[T any](aw future.Typed[T]) future.Typed[T] {
	if aw.Done() {
		return aw // the shortcut: nothing left to protect
	}
	outer := future.New[T](aw.Loop())
	// _inner_done_callback: hand aw's outcome to outer, unless outer was
	// cancelled meanwhile (then only mark aw's error as retrieved).
	innerID := aw.AddDoneCallback(func() {
		if outer.Cancelled() {
			if !aw.Cancelled() {
				aw.Err()
			}
			return
		}
		if aw.Cancelled() {
			outer.Cancel()
			return
		}
		if v, err := aw.Result(); err != nil {
			outer.SetException(err)
		} else {
			outer.SetResult(v)
		}
	})
	// _outer_done_callback: once outer is done (a cancelled outer in
	// particular), aw no longer needs to report to it.
	outer.AddDoneCallback(func() {
		if !aw.Done() {
			aw.RemoveDoneCallback(innerID)
		}
	})
	return outer
}
