//go:build unix

package stream_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/goasyncio/goasyncio/internal/leakcheck"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func TestMain(m *testing.M) { os.Exit(leakcheck.Main(m)) }

// run runs main as asyncio.run would, on a virtual-time loop owned by t
// (looptest.NewT: goroutine leaks and exception-handler calls fail t), and
// checks that no descriptor is left open.
func run(t *testing.T, main func(c *task.Coro) error) {
	t.Helper()
	leakcheck.CheckFDs(t)
	l := looptest.NewT(t)
	if _, err := task.RunOn(l, func(c *task.Coro) (struct{}, error) { return struct{}{}, main(c) }); err != nil {
		t.Fatal(err)
	}
}

// pyBytes formats b as Python's repr of a bytes object.
func pyBytes(b []byte) string {
	var sb strings.Builder
	sb.WriteString("b'")
	for _, c := range b {
		switch {
		case c == '\n':
			sb.WriteString(`\n`)
		case c == '\'' || c == '\\':
			sb.WriteByte('\\')
			sb.WriteByte(c)
		case c >= 0x20 && c < 0x7f:
			sb.WriteByte(c)
		default:
			fmt.Fprintf(&sb, `\x%02x`, c)
		}
	}
	sb.WriteString("'")
	return sb.String()
}

// pyBool formats v as Python prints a bool.
func pyBool(v bool) string {
	if v {
		return "True"
	}
	return "False"
}
