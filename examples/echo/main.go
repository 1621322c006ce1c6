//go:build unix

// Command echo is an echo server and its clients on one event loop, written
// with asyncio-style streams (package stream): the server writes back every
// line it reads; three clients connect at once, each sends its lines with a
// pause between them and reads the echoes; then the server shuts down.
//
//	go run ./examples/echo                          # the demo, on 127.0.0.1
//	go run ./examples/echo -serve 127.0.0.1:8888    # only the server, until Ctrl-C
//
// With -serve, Ctrl-C cancels the main task (as asyncio.run does), which
// makes ServeForever close the server and return.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/stream"
	"github.com/goasyncio/goasyncio/task"
)

// The clients and what each says.
var clients = []struct {
	name  string
	lines []string
}{
	{"alice", []string{"hello", "how are you?", "bye"}},
	{"bob", []string{"ping", "ping again"}},
	{"carol", []string{"one", "two", "three", "four"}},
}

func main() {
	serve := flag.String("serve", "", "only run the server, on `host:port`, until Ctrl-C")
	flag.Parse()
	var err error
	if *serve != "" {
		err = serveForever(*serve)
	} else {
		err = demo(os.Stdout, loop.New(), 50*time.Millisecond)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "echo:", err)
		os.Exit(1)
	}
}

// echoHandler serves one connection: each line read is written back.
func echoHandler(lines *int) stream.Handler {
	return func(c *task.Coro, r *stream.Reader, w *stream.Writer) error {
		defer w.Close()
		for line, err := range r.Lines(c) {
			if err != nil {
				return err
			}
			*lines++
			w.Write(line)
			if err := w.Drain(c); err != nil {
				return err
			}
		}
		return nil
	}
}

// demo runs the server and the clients on l (which it closes) and writes
// their transcripts to out; pause is the time a client waits between two
// lines.
func demo(out io.Writer, l *loop.Loop, pause time.Duration) error {
	_, err := task.RunOn(l, func(c *task.Coro) (struct{}, error) {
		echoed, conns := 0, 0
		handler := echoHandler(&echoed)
		srv, err := stream.StartServer(c, func(c *task.Coro, r *stream.Reader, w *stream.Writer) error {
			conns++
			return handler(c, r, w)
		}, "127.0.0.1", 0)
		if err != nil {
			return struct{}{}, err
		}
		addr := srv.Addrs()[0].(*net.TCPAddr)
		fmt.Fprintln(out, "server: listening on", addr.IP)

		// The clients run concurrently; each keeps its own transcript, so
		// that the output does not depend on how their lines interleave.
		var talks []*task.Task[string]
		for _, cl := range clients {
			talks = append(talks, task.Spawn(l, func(c *task.Coro) (string, error) {
				return talk(c, addr.Port, cl.name, cl.lines, pause)
			}, task.WithName(cl.name)))
		}
		for _, t := range talks {
			transcript, err := task.Await(c, t)
			if err != nil {
				return struct{}{}, fmt.Errorf("%s: %w", t.Name(), err)
			}
			fmt.Fprint(out, transcript)
		}

		srv.Close()
		if err := srv.WaitClosed(c); err != nil {
			return struct{}{}, err
		}
		fmt.Fprintf(out, "server: %d connections, %d lines echoed, closed\n", conns, echoed)
		return struct{}{}, nil
	})
	return err
}

// talk connects, sends each line and reads its echo, and returns the
// transcript.
func talk(c *task.Coro, port int, name string, lines []string, pause time.Duration) (string, error) {
	r, w, err := stream.OpenConnection(c, "127.0.0.1", port)
	if err != nil {
		return "", err
	}
	defer w.Close()
	var t strings.Builder
	for i, line := range lines {
		if i > 0 {
			if err := c.Sleep(pause); err != nil {
				return "", err
			}
		}
		fmt.Fprintf(w, "%s\n", line)
		if err := w.Drain(c); err != nil {
			return "", err
		}
		echo, err := r.ReadLine(c)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&t, "%-6s > %s\n%-6s < %s\n", name+":", line, name+":", bytes.TrimSuffix(echo, []byte("\n")))
	}
	w.WriteEOF()
	if _, err := r.Read(c, 1); err != io.EOF {
		return "", fmt.Errorf("expected the server to hang up, got %v", err)
	}
	fmt.Fprintf(&t, "%-6s hung up\n", name+":")
	return t.String(), nil
}

// serveForever runs only the server, until Ctrl-C.
func serveForever(addr string) error {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return err
	}
	_, err = task.Run(func(c *task.Coro) (struct{}, error) {
		echoed := 0
		srv, err := stream.StartServer(c, echoHandler(&echoed), host, port)
		if err != nil {
			return struct{}{}, err
		}
		fmt.Println("serving on", srv.Addrs(), "- Ctrl-C to stop")
		err = srv.ServeForever(c)
		fmt.Printf("stopped after echoing %d lines\n", echoed)
		if future.IsCancelled(err) {
			return struct{}{}, nil // Ctrl-C: a clean exit
		}
		return struct{}{}, err
	})
	return err
}
