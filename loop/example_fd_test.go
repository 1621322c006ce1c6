//go:build unix

package loop_test

import (
	"fmt"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/goasyncio/goasyncio/loop"
)

// A reader callback runs in each iteration in which its descriptor is
// readable, after the callbacks already queued (asyncio's add_reader).
func ExampleLoop_AddReader() {
	l := loop.New()
	defer l.Close()
	fds, _ := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	unix.SetNonblock(fds[0], true)
	defer unix.Close(fds[0])
	defer unix.Close(fds[1])

	l.AddReader(fds[0], func() {
		buf := make([]byte, 64)
		n, _ := unix.Read(fds[0], buf)
		fmt.Printf("read %q\n", buf[:n])
		l.RemoveReader(fds[0])
		l.Stop()
	})
	l.CallSoon(func() {
		unix.Write(fds[1], []byte("ping"))
		l.CallSoon(func() { fmt.Println("queued before the read") })
	})
	l.RunForever()
	// Output:
	// queued before the read
	// read "ping"
}

// A signal handler runs as an ordinary callback on the loop (asyncio's
// add_signal_handler).
func ExampleLoop_AddSignalHandler() {
	l := loop.New()
	defer l.Close()
	l.AddSignalHandler(syscall.SIGUSR1, func() {
		fmt.Println("got SIGUSR1")
		l.RemoveSignalHandler(syscall.SIGUSR1)
		l.Stop()
	})
	syscall.Kill(syscall.Getpid(), syscall.SIGUSR1)
	l.RunForever()
	// Output: got SIGUSR1
}
