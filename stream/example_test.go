//go:build unix

package stream_test

import (
	"fmt"
	"net"
	"strings"

	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/stream"
	"github.com/goasyncio/goasyncio/task"
)

// An echo server and a client on one loop (asyncio's start_server and
// open_connection).
func Example() {
	task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
		srv, err := stream.StartServer(c, func(c *task.Coro, r *stream.Reader, w *stream.Writer) error {
			defer w.Close()
			for line, err := range r.Lines(c) {
				if err != nil {
					return err
				}
				fmt.Fprintf(w, "echo: %s", line)
				if err := w.Drain(c); err != nil {
					return err
				}
			}
			return nil
		}, "127.0.0.1", 0)
		if err != nil {
			return struct{}{}, err
		}
		port := srv.Addrs()[0].(*net.TCPAddr).Port

		r, w, err := stream.OpenConnection(c, "127.0.0.1", port)
		if err != nil {
			return struct{}{}, err
		}
		for _, msg := range []string{"hello", "world"} {
			fmt.Fprintln(w, msg)
			line, err := r.ReadLine(c)
			if err != nil {
				return struct{}{}, err
			}
			fmt.Print(string(line))
		}
		w.Close()
		w.WaitClosed(c)
		srv.Close()
		return struct{}{}, srv.WaitClosed(c)
	})
	// Output:
	// echo: hello
	// echo: world
}

// A Reader fed by hand parses a stream that arrives in pieces, as
// asyncio's StreamReader with feed_data does.
func ExampleReader() {
	task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
		r := stream.NewReader(c.Loop())
		task.Spawn(c.Loop(), func(c *task.Coro) (struct{}, error) {
			for _, piece := range []string{"Content-Len", "gth: 5\r\n\r\nhel", "lo"} {
				r.FeedData([]byte(piece))
				c.Yield()
			}
			r.FeedEOF()
			return struct{}{}, nil
		})
		header, err := r.ReadUntil(c, []byte("\r\n\r\n"))
		if err != nil {
			return struct{}{}, err
		}
		body, err := r.ReadExactly(c, 5)
		if err != nil {
			return struct{}{}, err
		}
		fmt.Printf("header %q\nbody %q\n", strings.TrimSpace(string(header)), body)
		return struct{}{}, nil
	})
	// Output:
	// header "Content-Length: 5"
	// body "hello"
}
