package aqueue

import "errors"

var (
	// ErrFull is returned by TryPut on a full queue (asyncio.QueueFull).
	ErrFull = errors.New("aqueue: queue is full")

	// ErrEmpty is returned by TryGet on an empty queue
	// (asyncio.QueueEmpty).
	ErrEmpty = errors.New("aqueue: queue is empty")

	// ErrShutDown is returned by puts on a shut-down queue, and by gets on
	// one that is also empty (asyncio.QueueShutDown, Python 3.13).
	ErrShutDown = errors.New("aqueue: queue is shut down")

	// ErrTooManyTaskDone is returned by TaskDone called more times than
	// items were put (asyncio's ValueError "task_done() called too many
	// times").
	ErrTooManyTaskDone = errors.New("aqueue: TaskDone called too many times")
)
