//go:build !unix

package loop

import "os"

// uncatchable reports whether sig cannot be handled; os/signal reports
// the rest.
func uncatchable(sig os.Signal) bool { return sig == os.Kill }
