//go:build unix

package loop

import (
	"os"
	"syscall"
)

// uncatchable reports whether sig cannot be handled (asyncio raises
// RuntimeError for them).
func uncatchable(sig os.Signal) bool { return sig == syscall.SIGKILL || sig == syscall.SIGSTOP }
