package executor

import "errors"

var (
	// ErrShutdown is returned by Submit (and everything built on it) once
	// the pool was shut down (Python: RuntimeError('cannot schedule new
	// futures after shutdown')).
	ErrShutdown = errors.New("executor: cannot schedule new futures after shutdown")

	// ErrDefaultShutdown is returned by RunInExecutor and ToThread for a
	// loop whose default pool was shut down (by task.Run's shutdown or the
	// loop's Close). Python: RuntimeError('Executor shutdown has been
	// called').
	ErrDefaultShutdown = errors.New("executor: the loop's default executor was shut down")

	// ErrWaitInWorker is the panic value of a waiting Shutdown called from
	// the pool's own work or done-callbacks: a worker cannot wait for
	// itself to exit. (Python: RuntimeError('cannot join current thread').)
	ErrWaitInWorker = errors.New("executor: Shutdown cannot wait from inside the pool's own work; use NoWait")

	// ErrNilFunc reports a nil function or task body handed to Submit,
	// Map, RunInExecutor, ToThread or RunCoroutineThreadsafe.
	ErrNilFunc = errors.New("executor: nil function")

	// ErrGoexit is the error of a future whose work called runtime.Goexit
	// (t.FailNow or t.Fatal in a test) instead of returning.
	ErrGoexit = errors.New("executor: work called runtime.Goexit (t.FailNow or t.Fatal?) instead of returning")

	// ErrBrokenPool matches (errors.Is) every *BrokenPoolError.
	ErrBrokenPool = errors.New("executor: a worker's initializer failed; the pool is not usable anymore")
)

// A BrokenPoolError is the error of work queued on a pool when a worker's
// initializer failed, and of every Submit on that pool afterwards
// (concurrent.futures.thread.BrokenThreadPool). It matches ErrBrokenPool
// and the initializer's error with errors.Is and errors.As.
type BrokenPoolError struct {
	Err error // what the initializer returned, or its panic (*loop.PanicError)
}

func (e *BrokenPoolError) Error() string { return ErrBrokenPool.Error() + ": " + e.Err.Error() }

// Unwrap returns ErrBrokenPool and the initializer's error.
func (e *BrokenPoolError) Unwrap() []error { return []error{ErrBrokenPool, e.Err} }
