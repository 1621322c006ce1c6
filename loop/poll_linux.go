//go:build linux && !goasyncio_poll

package loop

import (
	"errors"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// poller waits for file-descriptor readiness with epoll (level-triggered,
// like Python's selectors.EpollSelector) and is woken from other goroutines
// through an eventfd registered in the same epoll set.
//
// A wait that may block does not block in epoll_wait: the epoll fd is
// itself registered with Go's network poller (an epoll set is readable
// while it has ready events), and the loop's goroutine parks there until
// it is readable or a runtime timer (the poll timeout, to the nanosecond)
// fires. A goroutine blocked in a system call would cost a thread hand-off
// and two context switches per idle period; a parked one costs neither,
// and N loops need no N threads.
type poller struct {
	epfd   int
	wakefd int // eventfd: written by wake, drained by wait

	file *os.File        // owns epfd, if SetNonblock worked
	rc   syscall.RawConn // file's, to park; nil: block in epoll_wait

	// park's state, kept here so that parking allocates nothing.
	deadline time.Time
	tryFn    func(fd uintptr) bool
	tryN     int
	tryErr   error

	mu     sync.Mutex // orders wake against close: never write a closed fd
	closed bool

	buf []unix.EpollEvent
	out []ioEvent
}

// noPwait2 records that the kernel lacks epoll_pwait2 (Linux 5.11,
// nanosecond timeouts): it answered ENOSYS once.
var noPwait2 atomic.Bool

func newPoller() (*poller, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, os.NewSyscallError("epoll_create1", err)
	}
	wakefd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		unix.Close(epfd)
		return nil, os.NewSyscallError("eventfd", err)
	}
	ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(wakefd)}
	if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, wakefd, &ev); err != nil {
		unix.Close(wakefd)
		unix.Close(epfd)
		return nil, os.NewSyscallError("epoll_ctl", err)
	}
	p := &poller{epfd: epfd, wakefd: wakefd, buf: make([]unix.EpollEvent, 128)}
	p.tryFn = p.try
	// Hand epfd to Go's poller; if it will not take it, wait in epoll_wait.
	if unix.SetNonblock(epfd, true) == nil {
		p.file = os.NewFile(uintptr(epfd), "goasyncio-epoll") // owns epfd now
		if rc, err := p.file.SyscallConn(); err == nil && p.file.SetReadDeadline(time.Time{}) == nil {
			p.rc = rc
		}
	}
	return p, nil
}

func epollEvents(mask uint8) uint32 {
	var ev uint32
	if mask&evRead != 0 {
		ev |= unix.EPOLLIN
	}
	if mask&evWrite != 0 {
		ev |= unix.EPOLLOUT
	}
	return ev
}

// control changes fd's interest set from old to mask (0 unregisters).
func (p *poller) control(fd int, old, mask uint8) error {
	var err error
	switch {
	case old == mask:
		return nil
	case mask == 0:
		err = unix.EpollCtl(p.epfd, unix.EPOLL_CTL_DEL, fd, nil)
	case old == 0:
		ev := unix.EpollEvent{Events: epollEvents(mask), Fd: int32(fd)}
		err = unix.EpollCtl(p.epfd, unix.EPOLL_CTL_ADD, fd, &ev)
	default:
		ev := unix.EpollEvent{Events: epollEvents(mask), Fd: int32(fd)}
		err = unix.EpollCtl(p.epfd, unix.EPOLL_CTL_MOD, fd, &ev)
	}
	if err != nil {
		return os.NewSyscallError("epoll_ctl", err)
	}
	return nil
}

// wait blocks until an fd is ready, wake is called, or timeout passes
// (negative: no timeout; zero: just poll). It returns the ready fds, in the
// kernel's order, in a slice reused by the next call.
func (p *poller) wait(timeout time.Duration) ([]ioEvent, error) {
	var n int
	var err error
	if timeout == 0 || p.rc == nil {
		n, err = p.epollWait(timeout)
	} else {
		n, err = p.park(timeout)
	}
	if err != nil {
		if errors.Is(err, unix.EINTR) {
			return nil, nil
		}
		return nil, os.NewSyscallError("epoll_wait", err)
	}
	out := p.out[:0]
	for _, e := range p.buf[:n] {
		if int(e.Fd) == p.wakefd {
			var b [8]byte
			unix.Read(p.wakefd, b[:]) // reset the counter; EAGAIN is fine
			continue
		}
		// As selectors.EpollSelector: anything but EPOLLIN (EPOLLOUT,
		// EPOLLERR, EPOLLHUP) wakes the writer, anything but EPOLLOUT the
		// reader, so errors reach whoever waits.
		var mask uint8
		if e.Events&^unix.EPOLLIN != 0 {
			mask |= evWrite
		}
		if e.Events&^unix.EPOLLOUT != 0 {
			mask |= evRead
		}
		out = append(out, ioEvent{fd: int(e.Fd), mask: mask})
	}
	if n == len(p.buf) && len(p.buf) < 4096 {
		p.buf = make([]unix.EpollEvent, 2*len(p.buf)) // busy: take more per call
	}
	p.out = out
	return out, nil
}

// park waits in Go's poller until epfd has events or timeout (negative:
// none) passes, then takes the events without blocking.
func (p *poller) park(timeout time.Duration) (int, error) {
	deadline := time.Time{}
	if timeout > 0 {
		deadline = time.Now().Add(timeout)
	}
	if !deadline.Equal(p.deadline) {
		if err := p.file.SetReadDeadline(deadline); err != nil {
			return 0, err
		}
		p.deadline = deadline
	}
	err := p.rc.Read(p.tryFn)
	if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
		return 0, err
	}
	return p.tryN, p.tryErr
}

// try is park's attempt: take the ready events, or report false to park
// until epfd is readable.
func (p *poller) try(uintptr) bool {
	p.tryN, p.tryErr = p.pollNow()
	if p.tryErr == unix.EINTR {
		p.tryN, p.tryErr = 0, nil
	}
	return p.tryN > 0 || p.tryErr != nil
}

// pollNow takes the ready events without waiting. It is a raw system call,
// not announced to the Go scheduler: it cannot block, and an announced call
// that the scheduler's monitor happens to see twice hands the loop's
// processor to another thread, which costs more than the call.
func (p *poller) pollNow() (int, error) {
	r, _, e := unix.RawSyscall6(unix.SYS_EPOLL_PWAIT, uintptr(p.epfd),
		uintptr(unsafe.Pointer(&p.buf[0])), uintptr(len(p.buf)), 0, 0, 0)
	if e != 0 {
		return 0, e
	}
	return int(r), nil
}

func (p *poller) epollWait(timeout time.Duration) (int, error) {
	switch {
	case timeout < 0:
		return unix.EpollWait(p.epfd, p.buf, -1)
	case timeout == 0:
		return p.pollNow()
	case !noPwait2.Load():
		ts := unix.NsecToTimespec(int64(timeout))
		r, _, e := unix.Syscall6(unix.SYS_EPOLL_PWAIT2, uintptr(p.epfd),
			uintptr(unsafe.Pointer(&p.buf[0])), uintptr(len(p.buf)),
			uintptr(unsafe.Pointer(&ts)), 0, 0)
		if e == 0 {
			return int(r), nil
		}
		if e != unix.ENOSYS {
			return 0, e
		}
		noPwait2.Store(true)
	}
	// Whole milliseconds, rounded up: a timer must never be polled for
	// before it is due (rounding down would spin until it is).
	ms := (timeout + time.Millisecond - 1) / time.Millisecond
	return unix.EpollWait(p.epfd, p.buf, int(ms))
}

// wake interrupts a wait in progress, or makes the next one return at once.
// Safe for concurrent use, including after close.
func (p *poller) wake() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	one := [8]byte{1}
	unix.Write(p.wakefd, one[:]) // EAGAIN: the counter is already set
}

func (p *poller) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.closed = true
	unix.Close(p.wakefd)
	if p.file != nil {
		p.file.Close() // closes epfd
	} else {
		unix.Close(p.epfd)
	}
}
