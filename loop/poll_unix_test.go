//go:build (unix && !linux) || (linux && goasyncio_poll)

package loop_test

// epollBackend: the loop waits in poll(2), which accepts regular files
// (always ready).
const epollBackend = false
