//go:build linux

package aionet

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// readNB and writeNB are read(2) and write(2) on a non-blocking socket,
// made without telling the Go scheduler (a raw system call): they never
// block, and announcing each one costs more than it does here, where the
// loop's goroutine makes them back to back. (An announced call that the
// scheduler's monitor sees in progress twice hands the loop's processor to
// another thread.)
func readNB(fd int, p []byte) (int, error) {
	var ptr unsafe.Pointer
	if len(p) > 0 {
		ptr = unsafe.Pointer(&p[0])
	}
	n, _, e := unix.RawSyscall(unix.SYS_READ, uintptr(fd), uintptr(ptr), uintptr(len(p)))
	if e != 0 {
		return 0, e
	}
	return int(n), nil
}

func writeNB(fd int, p []byte) (int, error) {
	var ptr unsafe.Pointer
	if len(p) > 0 {
		ptr = unsafe.Pointer(&p[0])
	}
	n, _, e := unix.RawSyscall(unix.SYS_WRITE, uintptr(fd), uintptr(ptr), uintptr(len(p)))
	if e != 0 {
		return 0, e
	}
	return int(n), nil
}
