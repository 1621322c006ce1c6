//go:build (unix && !linux) || (linux && goasyncio_poll)

package loop

import (
	"errors"
	"os"
	"slices"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// poller is the portable fallback for Unix systems other than Linux (and
// for Linux built with the goasyncio_poll tag, to test it): poll(2) over the
// registered fds plus a self-pipe for wake-ups, as asyncio's selector loop
// does on platforms without epoll. Timeouts are whole milliseconds, rounded
// up so that timers are never polled for early.
type poller struct {
	rfd, wfd int // the self-pipe: wake writes wfd, wait drains rfd

	mu     sync.Mutex // orders wake against close: never write a closed fd
	closed bool

	interest map[int]uint8
	order    []int         // registered fds, oldest first, as PollSelector's dict
	fds      []unix.PollFd // rebuilt from interest when dirty
	dirty    bool
	out      []ioEvent
}

func newPoller() (*poller, error) {
	var p [2]int
	if err := unix.Pipe(p[:]); err != nil {
		return nil, os.NewSyscallError("pipe", err)
	}
	for _, fd := range p {
		unix.CloseOnExec(fd)
		if err := unix.SetNonblock(fd, true); err != nil {
			unix.Close(p[0])
			unix.Close(p[1])
			return nil, os.NewSyscallError("setnonblock", err)
		}
	}
	return &poller{rfd: p[0], wfd: p[1], interest: map[int]uint8{}, dirty: true}, nil
}

// control changes fd's interest set from old to mask (0 unregisters). poll
// takes no registration, so an invalid fd is reported here with fcntl.
func (p *poller) control(fd int, old, mask uint8) error {
	if old == mask {
		return nil
	}
	if mask == 0 {
		delete(p.interest, fd)
		if i := slices.Index(p.order, fd); i >= 0 {
			p.order = slices.Delete(p.order, i, i+1)
		}
	} else {
		if old == 0 {
			if _, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err != nil {
				return os.NewSyscallError("fcntl", err)
			}
		}
		if old == 0 {
			p.order = append(p.order, fd)
		}
		p.interest[fd] = mask
	}
	p.dirty = true
	return nil
}

// wait blocks until an fd is ready, wake is called, or timeout passes
// (negative: no timeout; zero: just poll).
func (p *poller) wait(timeout time.Duration) ([]ioEvent, error) {
	if p.dirty {
		p.fds = append(p.fds[:0], unix.PollFd{Fd: int32(p.rfd), Events: unix.POLLIN})
		for _, fd := range p.order {
			mask := p.interest[fd]
			var ev int16
			if mask&evRead != 0 {
				ev |= unix.POLLIN
			}
			if mask&evWrite != 0 {
				ev |= unix.POLLOUT
			}
			p.fds = append(p.fds, unix.PollFd{Fd: int32(fd), Events: ev})
		}
		p.dirty = false
	}
	ms := -1
	if timeout >= 0 {
		ms = int((timeout + time.Millisecond - 1) / time.Millisecond)
	}
	if _, err := unix.Poll(p.fds, ms); err != nil {
		if errors.Is(err, unix.EINTR) {
			return nil, nil
		}
		return nil, os.NewSyscallError("poll", err)
	}
	out := p.out[:0]
	for i := range p.fds {
		re := p.fds[i].Revents
		if re == 0 {
			continue
		}
		p.fds[i].Revents = 0
		if i == 0 {
			var b [64]byte
			for {
				if n, _ := unix.Read(p.rfd, b[:]); n < len(b) {
					break
				}
			}
			continue
		}
		// As selectors.PollSelector: anything but POLLIN wakes the writer,
		// anything but POLLOUT the reader.
		var mask uint8
		if re&^unix.POLLIN != 0 {
			mask |= evWrite
		}
		if re&^unix.POLLOUT != 0 {
			mask |= evRead
		}
		out = append(out, ioEvent{fd: int(p.fds[i].Fd), mask: mask})
	}
	p.out = out
	return out, nil
}

// wake interrupts a wait in progress, or makes the next one return at once.
// Safe for concurrent use, including after close.
func (p *poller) wake() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	unix.Write(p.wfd, []byte{0}) // EAGAIN: the pipe is full, a wake is pending
}

func (p *poller) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.closed = true
	unix.Close(p.rfd)
	unix.Close(p.wfd)
}
