//go:build unix

package stream_test

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/goasyncio/goasyncio/stream"
	"github.com/goasyncio/goasyncio/task"
)

// TestTraceMatchesCPython ports testdata/trace.py line for line: a server
// and a client exchange a line, half-close and close, while a chain of
// callbacks ticks once per loop iteration. The ticks interleave with the
// streams' steps exactly as in CPython 3.11 (testdata/trace.expected), so
// connection_made, the handler's start, each read's wake-up and each
// connection_lost happen at the same iteration.
func TestTraceMatchesCPython(t *testing.T) {
	want, err := os.ReadFile("testdata/trace.expected")
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	p := func(args ...any) { fmt.Fprintln(&out, args...) }
	run(t, func(c *task.Coro) error {
		l := c.Loop()
		handle := func(c *task.Coro, r *stream.Reader, w *stream.Writer) error {
			p("server: handler starts")
			line, err := r.ReadLine(c)
			if err != nil {
				return err
			}
			p("server: got", pyBytes(line))
			w.Write(bytes.ToUpper(line))
			if err := w.Drain(c); err != nil {
				return err
			}
			p("server: drained")
			data, _ := r.Read(c, 100) // io.EOF: Python's b''
			p("server: read at eof", pyBytes(data), pyBool(r.AtEOF()))
			w.Close()
			if err := w.WaitClosed(c); err != nil {
				return err
			}
			p("server: closed")
			return nil
		}
		srv, err := stream.StartServer(c, handle, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		port := srv.Addrs()[0].(*net.TCPAddr).Port
		p("serving", pyBool(srv.IsServing()))

		var tick func(n int)
		tick = func(n int) {
			p("tick", n)
			if n < 12 {
				l.CallSoon(func() { tick(n + 1) })
			}
		}
		l.CallSoon(func() { tick(0) })

		r, w, err := stream.OpenConnection(c, "127.0.0.1", port)
		if err != nil {
			return err
		}
		p("client: connected")
		w.Write([]byte("hello\n"))
		p("client: wrote")
		if err := w.Drain(c); err != nil {
			return err
		}
		line, err := r.ReadLine(c)
		if err != nil {
			return err
		}
		p("client: got", pyBytes(line))
		w.WriteEOF()
		data, _ := r.Read(c, 100)
		p("client: read at eof", pyBytes(data), pyBool(r.AtEOF()))
		w.Close()
		if err := w.WaitClosed(c); err != nil {
			return err
		}
		p("client: closed")
		srv.Close()
		if err := srv.WaitClosed(c); err != nil {
			return err
		}
		p("server closed", pyBool(srv.IsServing()))
		return nil
	})
	if diff := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(out.String(), "\n")); diff != "" {
		t.Errorf("trace differs from CPython's (-want +got):\n%s", diff)
	}
}
