//go:build linux && !goasyncio_poll

package loop_test

// epollBackend: the loop waits in epoll, which refuses regular files.
const epollBackend = true
