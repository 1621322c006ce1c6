// Package goid returns the current goroutine's id. It is slow (it formats
// the stack header), so the loop uses it only in debug mode.
package goid

import (
	"bytes"
	"runtime"
	"strconv"
)

// Get returns the id of the calling goroutine.
func Get() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i >= 0 {
		b = b[:i]
	}
	id, _ := strconv.ParseUint(string(b), 10, 64)
	return id
}
