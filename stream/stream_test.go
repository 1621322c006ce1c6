//go:build unix

package stream_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/goasyncio/goasyncio/aionet"
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/stream"
	"github.com/goasyncio/goasyncio/task"
)

// echo is a Handler that writes back every line until end of stream.
func echo(c *task.Coro, r *stream.Reader, w *stream.Writer) error {
	defer w.Close()
	for line, err := range r.Lines(c) {
		if err != nil {
			return err
		}
		w.Write(line)
		if err := w.Drain(c); err != nil {
			return err
		}
	}
	return nil
}

// A transport kind: how to start a server and connect to it.
type kind struct {
	name  string
	serve func(c *task.Coro, h stream.Handler, opts ...stream.Option) (*stream.Server, error)
	open  func(c *task.Coro, srv *stream.Server) (*stream.Reader, *stream.Writer, error)
}

func tcpKind(name, host string) kind {
	return kind{
		name: name,
		serve: func(c *task.Coro, h stream.Handler, opts ...stream.Option) (*stream.Server, error) {
			return stream.StartServer(c, h, host, 0, opts...)
		},
		open: func(c *task.Coro, srv *stream.Server) (*stream.Reader, *stream.Writer, error) {
			a := srv.Addrs()[0].(*net.TCPAddr)
			return stream.OpenConnection(c, a.IP.String(), a.Port)
		},
	}
}

func kinds(t *testing.T) []kind {
	path := filepath.Join(t.TempDir(), "sock")
	return []kind{
		tcpKind("tcp4", "127.0.0.1"),
		tcpKind("tcp6", "::1"),
		{
			name: "unix",
			serve: func(c *task.Coro, h stream.Handler, opts ...stream.Option) (*stream.Server, error) {
				return stream.StartUnixServer(c, h, path, opts...)
			},
			open: func(c *task.Coro, _ *stream.Server) (*stream.Reader, *stream.Writer, error) {
				return stream.OpenUnixConnection(c, path)
			},
		},
	}
}

// closeServer closes srv and waits for its connections to go.
func closeServer(c *task.Coro, srv *stream.Server) error {
	srv.Close()
	return srv.WaitClosed(c)
}

func TestEcho(t *testing.T) {
	for _, k := range kinds(t) {
		t.Run(k.name, func(t *testing.T) {
			run(t, func(c *task.Coro) error {
				srv, err := k.serve(c, echo)
				if err != nil {
					return err
				}
				r, w, err := k.open(c, srv)
				if err != nil {
					return err
				}
				var got []string
				for _, msg := range []string{"one\n", "two\n", "three\n"} {
					fmt.Fprint(w, msg)
					if err := w.Drain(c); err != nil {
						return err
					}
					line, err := r.ReadLine(c)
					if err != nil {
						return err
					}
					got = append(got, string(line))
				}
				w.WriteEOF()
				if b, err := r.Read(c, 10); err != io.EOF {
					t.Errorf("Read after the server closed = (%q, %v), want io.EOF", b, err)
				}
				w.Close()
				if err := w.WaitClosed(c); err != nil {
					return err
				}
				if diff := cmp.Diff([]string{"one\n", "two\n", "three\n"}, got); diff != "" {
					t.Errorf("echoed lines (-want +got):\n%s", diff)
				}
				return closeServer(c, srv)
			})
		})
	}
}

// rawPeer connects a plain aionet socket to srv, to send exactly the bytes
// and the segments a test wants.
func rawPeer(c *task.Coro, srv *stream.Server) (*aionet.Socket, error) {
	a := srv.Addrs()[0]
	s, err := aionet.NewSocket("tcp")
	if err != nil {
		return nil, err
	}
	if err := s.Connect(c, a.String()); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// TestPartialReads: data that arrives in pieces, with loop iterations in
// between, is assembled by ReadExactly and ReadUntil and split by Read.
func TestPartialReads(t *testing.T) {
	run(t, func(c *task.Coro) error {
		var got []string
		done := future.New[struct{}](c.Loop())
		srv, err := stream.StartServer(c, func(c *task.Coro, r *stream.Reader, w *stream.Writer) error {
			defer w.Close()
			defer done.SetResult(struct{}{})
			note := func(b []byte, err error) {
				got = append(got, fmt.Sprintf("%q %v", b, err))
			}
			note(r.ReadExactly(c, 6))
			note(r.ReadUntil(c, []byte("--")))
			note(r.Read(c, 3))
			note(r.Read(c, 100))
			_, err := r.ReadExactly(c, 5)
			var incomplete *stream.IncompleteReadError
			if !errors.As(err, &incomplete) || !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("ReadExactly at end: %v, want IncompleteReadError", err)
			} else {
				note(incomplete.Partial, err)
			}
			return nil
		}, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		s, err := rawPeer(c, srv)
		if err != nil {
			return err
		}
		defer s.Close()
		for _, piece := range []string{"ab", "cd", "efg-", "-hi", "jkl", "mn", "o"} {
			if err := s.SendAll(c, []byte(piece)); err != nil {
				return err
			}
			for range 3 { // let the server read this piece on its own
				if err := c.Yield(); err != nil {
					return err
				}
			}
		}
		s.CloseWrite()
		if err := c.Await(done); err != nil {
			return err
		}
		// Read returns what is buffered, up to n: "hi" is what "-hi" left
		// after the separator, "jkl" came alone.
		want := []string{
			`"abcdef" <nil>`,
			`"g--" <nil>`,
			`"hi" <nil>`,
			`"jkl" <nil>`,
			`"mno" 3 bytes read on a total of 5 expected bytes`,
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("reads (-want +got):\n%s", diff)
		}
		return closeServer(c, srv)
	})
}

// TestDrainBackPressure: a peer that does not read makes the write buffer
// pass its high-water mark; Drain waits until the peer has read enough to
// bring it under the low-water mark, and all the data arrives in order.
func TestDrainBackPressure(t *testing.T) {
	for _, k := range kinds(t) {
		t.Run(k.name, func(t *testing.T) {
			run(t, func(c *task.Coro) error {
				const total = 16 << 20
				chunk := make([]byte, 256<<10)
				received := future.New[[]byte](c.Loop())
				srv, err := k.serve(c, func(c *task.Coro, r *stream.Reader, w *stream.Writer) error {
					defer w.Close()
					all, err := r.Read(c, -1)
					if err != nil {
						return err
					}
					received.SetResult(all)
					return nil
				}, stream.WithLimit(16<<10))
				if err != nil {
					return err
				}
				_, w, err := k.open(c, srv)
				if err != nil {
					return err
				}
				low, high := w.WriteBufferLimits()
				if low != 16<<10 || high != 64<<10 {
					t.Errorf("default limits (%d, %d), want (16 KiB, 64 KiB)", low, high)
				}
				waited := 0
				var sent bytes.Buffer
				for i := 0; sent.Len() < total; i++ {
					for j := range chunk {
						chunk[j] = byte(i + j)
					}
					w.Write(chunk) // Write copies: chunk is reused
					sent.Write(chunk)
					if w.WriteBufferSize() > high {
						waited++
					}
					if err := w.Drain(c); err != nil {
						return err
					}
					if w.WriteBufferSize() > high {
						t.Fatalf("Drain returned with %d bytes buffered", w.WriteBufferSize())
					}
				}
				if waited == 0 {
					t.Error("the write buffer never passed the high-water mark: nothing tested")
				}
				w.Close()
				all, err := task.Await(c, received)
				if err != nil {
					return err
				}
				if !bytes.Equal(all, sent.Bytes()) {
					t.Errorf("received %d bytes, not the %d sent", len(all), sent.Len())
				}
				return closeServer(c, srv)
			})
		})
	}
}

// TestManyClients: 1,000 clients connected at once, each exchanging a few
// lines with the server.
func TestManyClients(t *testing.T) {
	n := 1000
	if testing.Short() {
		n = 100
	}
	run(t, func(c *task.Coro) error {
		l := c.Loop()
		srv, err := stream.StartServer(c, echo, "127.0.0.1", 0, stream.WithBacklog(n))
		if err != nil {
			return err
		}
		port := srv.Addrs()[0].(*net.TCPAddr).Port
		clients := make([]*task.Task[int], n)
		connected := 0
		allConnected := future.New[struct{}](l)
		for i := range clients {
			clients[i] = task.Spawn(l, func(c *task.Coro) (int, error) {
				r, w, err := stream.OpenConnection(c, "127.0.0.1", port)
				if err != nil {
					return 0, err
				}
				defer w.Close()
				if connected++; connected == n {
					allConnected.SetResult(struct{}{})
				}
				if err := c.Await(allConnected); err != nil { // all open at once
					return 0, err
				}
				sum := 0
				for j := range 3 {
					fmt.Fprintf(w, "%d\n", i*10+j)
					line, err := r.ReadLine(c)
					if err != nil {
						return 0, err
					}
					v, err := strconv.Atoi(string(bytes.TrimSpace(line)))
					if err != nil {
						return 0, err
					}
					sum += v
				}
				return sum, nil
			})
		}
		for i, cl := range clients {
			sum, err := task.Await(c, cl)
			if err != nil {
				return fmt.Errorf("client %d: %w", i, err)
			}
			if want := 30*i + 3; sum != want {
				t.Errorf("client %d: sum %d, want %d", i, sum, want)
			}
		}
		return closeServer(c, srv)
	})
}

// TestPeerReset: a client that resets its connection makes the server's
// pending read fail with ECONNRESET, WaitClosed report it, and Drain fail.
func TestPeerReset(t *testing.T) {
	run(t, func(c *task.Coro) error {
		var readErr, waitErr, drainErr, writeErr error
		done := future.New[struct{}](c.Loop())
		srv, err := stream.StartServer(c, func(c *task.Coro, r *stream.Reader, w *stream.Writer) error {
			defer done.SetResult(struct{}{})
			_, readErr = r.Read(c, 100)
			drainErr = w.Drain(c)
			_, writeErr = w.Write([]byte("x"))
			waitErr = w.WaitClosed(c)
			return nil
		}, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		s, err := rawPeer(c, srv)
		if err != nil {
			return err
		}
		for range 3 { // let the server's handler wait in Read
			c.Yield()
		}
		unix.SetsockoptLinger(s.FD(), unix.SOL_SOCKET, unix.SO_LINGER, &unix.Linger{Onoff: 1, Linger: 0})
		s.Close()
		if err := c.Await(done); err != nil {
			return err
		}
		for name, err := range map[string]error{"Read": readErr, "Drain": drainErr, "Write": writeErr, "WaitClosed": waitErr} {
			if !errors.Is(err, syscall.ECONNRESET) {
				t.Errorf("%s after a reset: %v, want ECONNRESET", name, err)
			}
		}
		return closeServer(c, srv)
	})
}

// TestCancelPendingRead: cancelling a task waiting in Read delivers the
// CancelledError; data that arrives later is read by the next Read.
func TestCancelPendingRead(t *testing.T) {
	run(t, func(c *task.Coro) error {
		l := c.Loop()
		var trace []string
		got := future.New[string](l)
		srv, err := stream.StartServer(c, func(c *task.Coro, r *stream.Reader, w *stream.Writer) error {
			defer w.Close()
			reader := task.Spawn(l, func(c *task.Coro) ([]byte, error) { return r.Read(c, 100) })
			c.Yield() // reader waits in Read
			if _, err := r.Read(c, 1); !errors.Is(err, stream.ErrConcurrentRead) {
				t.Errorf("second concurrent Read: %v, want ErrConcurrentRead", err)
			}
			reader.Cancel("stop")
			_, err := task.Await(c, reader)
			trace = append(trace, "reader: "+err.Error())
			b, err := r.Read(c, 100)
			if err != nil {
				return err
			}
			got.SetResult(string(b))
			return nil
		}, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		_, w, err := stream.OpenConnection(c, "127.0.0.1", srv.Addrs()[0].(*net.TCPAddr).Port)
		if err != nil {
			return err
		}
		for range 5 {
			c.Yield()
		}
		w.Write([]byte("after"))
		s, err := task.Await(c, got)
		if err != nil {
			return err
		}
		trace = append(trace, "next Read: "+s)
		if diff := cmp.Diff([]string{"reader: cancelled: stop", "next Read: after"}, trace); diff != "" {
			t.Errorf("trace (-want +got):\n%s", diff)
		}
		w.Close()
		return closeServer(c, srv)
	})
}

// TestServerClose: Close stops accepting but leaves connected clients
// alone; WaitClosed waits for them; ServeForever ends with a cancellation.
func TestServerClose(t *testing.T) {
	run(t, func(c *task.Coro) error {
		l := c.Loop()
		var trace []string
		srv, err := stream.StartServer(c, echo, "127.0.0.1", 0, stream.DeferServing())
		if err != nil {
			return err
		}
		if srv.IsServing() {
			t.Error("DeferServing server is serving")
		}
		addr := srv.Addrs()[0].(*net.TCPAddr)
		forever := task.Spawn(l, func(c *task.Coro) (struct{}, error) {
			err := srv.ServeForever(c)
			trace = append(trace, "ServeForever returned")
			return struct{}{}, err
		})
		c.Yield()
		if err := srv.ServeForever(c); !errors.Is(err, stream.ErrServing) {
			t.Errorf("second ServeForever: %v, want ErrServing", err)
		}
		r, w, err := stream.OpenConnection(c, addr.IP.String(), addr.Port)
		if err != nil {
			return err
		}
		waiter := task.Spawn(l, func(c *task.Coro) (struct{}, error) {
			err := srv.WaitClosed(c)
			trace = append(trace, "WaitClosed returned")
			return struct{}{}, err
		})
		srv.Close()
		trace = append(trace, "closed")
		// The connected client is still served.
		fmt.Fprint(w, "still here\n")
		line, err := r.ReadLine(c)
		if err != nil {
			return err
		}
		trace = append(trace, "echo: "+string(bytes.TrimSpace(line)))
		// A new connection is refused.
		if _, _, err := stream.OpenConnection(c, addr.IP.String(), addr.Port); !errors.Is(err, syscall.ECONNREFUSED) {
			t.Errorf("connecting to a closed server: %v, want ECONNREFUSED", err)
		}
		srv.CloseClients()
		if _, err := r.Read(c, 10); err != io.EOF {
			t.Errorf("client read after CloseClients: %v, want io.EOF", err)
		}
		w.Close()
		if err := c.Await(waiter); err != nil {
			return err
		}
		// ServeForever, cancelled by Close, waits for the connections too.
		if err := c.Await(forever); !future.IsCancelled(err) {
			t.Errorf("ServeForever after Close: %v, want a cancellation", err)
		}
		want := []string{"closed", "echo: still here", "WaitClosed returned", "ServeForever returned"}
		if diff := cmp.Diff(want, trace); diff != "" {
			t.Errorf("trace (-want +got):\n%s", diff)
		}
		if err := srv.ServeForever(c); !errors.Is(err, stream.ErrServerClosed) {
			t.Errorf("ServeForever on a closed server: %v, want ErrServerClosed", err)
		}
		return srv.WaitClosed(c) // returns at once now
	})
}

func TestErrors(t *testing.T) {
	run(t, func(c *task.Coro) error {
		srv, err := stream.StartServer(c, echo, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		port := srv.Addrs()[0].(*net.TCPAddr).Port
		if _, err := stream.StartServer(c, echo, "127.0.0.1", port); !errors.Is(err, syscall.EADDRINUSE) {
			t.Errorf("StartServer on a port in use: %v, want EADDRINUSE", err)
		}
		if _, err := stream.StartServer(c, echo, "127.0.0.1", 0, stream.WithLimit(0)); err == nil {
			t.Error("StartServer with limit 0 succeeded")
		}
		if _, _, err := stream.OpenConnection(c, "127.0.0.1", 70000); err == nil {
			t.Error("OpenConnection to port 70000 succeeded")
		}

		r, w, err := stream.OpenConnection(c, "localhost", port)
		if err != nil {
			return err
		}
		w.WriteEOF()
		if _, err := w.Write([]byte("x")); !errors.Is(err, stream.ErrWriteAfterEOF) {
			t.Errorf("Write after WriteEOF: %v, want ErrWriteAfterEOF", err)
		}
		if _, err := r.Read(c, 1); err != io.EOF {
			t.Errorf("Read: %v, want io.EOF (the echo server closes after EOF)", err)
		}
		w.Close()
		w.Close() // twice is fine
		if _, err := w.Write([]byte("x")); !errors.Is(err, stream.ErrWriteAfterEOF) {
			t.Errorf("Write after Close and WriteEOF: %v", err)
		}
		if err := w.WaitClosed(c); err != nil {
			t.Errorf("WaitClosed: %v", err)
		}
		if err := w.Drain(c); !errors.Is(err, stream.ErrConnectionLost) {
			t.Errorf("Drain on a closed connection: %v, want ErrConnectionLost", err)
		}

		_, w2, err := stream.OpenConnection(c, "127.0.0.1", port)
		if err != nil {
			return err
		}
		w2.Close()
		if _, err := w2.Write([]byte("x")); !errors.Is(err, stream.ErrClosed) || !errors.Is(err, net.ErrClosed) {
			t.Errorf("Write after Close: %v, want ErrClosed", err)
		}
		if err := w2.SetWriteBufferLimits(10, 20); err == nil {
			t.Error("SetWriteBufferLimits(10, 20) succeeded")
		}
		return closeServer(c, srv)
	})
}

// TestHandlerError: an error returned by a Handler goes to the exception
// handler and closes the connection.
func TestHandlerError(t *testing.T) {
	run(t, func(c *task.Coro) error {
		l := c.Loop()
		var reports []string
		prev := l.ExceptionHandler()
		l.SetExceptionHandler(func(_ *loop.Loop, ctx loop.ExceptionContext) {
			reports = append(reports, ctx.Message+": "+ctx.Err.Error())
		})
		defer l.SetExceptionHandler(prev)
		srv, err := stream.StartServer(c, func(c *task.Coro, r *stream.Reader, w *stream.Writer) error {
			return errors.New("boom")
		}, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		r, w, err := stream.OpenConnection(c, "127.0.0.1", srv.Addrs()[0].(*net.TCPAddr).Port)
		if err != nil {
			return err
		}
		if _, err := r.Read(c, 10); err != io.EOF {
			t.Errorf("client Read: %v, want io.EOF", err)
		}
		w.Close()
		if diff := cmp.Diff([]string{"Unhandled exception in client_connected_cb: boom"}, reports); diff != "" {
			t.Errorf("reports (-want +got):\n%s", diff)
		}
		return closeServer(c, srv)
	})
}

// TestLoopClosesSockets: connections still open when the loop closes are
// closed with it (checkFDs).
func TestLoopClosesSockets(t *testing.T) {
	run(t, func(c *task.Coro) error {
		srv, err := stream.StartServer(c, func(c *task.Coro, r *stream.Reader, w *stream.Writer) error {
			return nil // leaves the connection open
		}, "127.0.0.1", 0)
		if err != nil {
			return err
		}
		_, _, err = stream.OpenConnection(c, "127.0.0.1", srv.Addrs()[0].(*net.TCPAddr).Port)
		return err // neither the server nor the connections are closed
	})
}

// TestReaderPausesTransport: a Reader holding more than twice its limit
// stops reading from the socket, so a fast sender's Drain blocks until the
// slow reader catches up; then everything arrives.
func TestReaderPausesTransport(t *testing.T) {
	run(t, func(c *task.Coro) error {
		const limit, total = 16 << 10, 32 << 20
		sent, maxBuffered := 0, 0
		heldBack := false
		received := future.New[int](c.Loop())
		srv, err := stream.StartServer(c, func(c *task.Coro, r *stream.Reader, w *stream.Writer) error {
			defer w.Close()
			// Read nothing until the sender has made no progress for a
			// while: it waits in Drain because this reader stopped reading.
			for last, stalled := -1, 0; stalled < 20 && sent < total; {
				if sent == last {
					stalled++
				} else {
					last, stalled = sent, 0
				}
				maxBuffered = max(maxBuffered, r.Buffered())
				if err := c.Yield(); err != nil {
					return err
				}
			}
			heldBack = sent < total
			n := 0
			for {
				maxBuffered = max(maxBuffered, r.Buffered())
				b, err := r.Read(c, limit)
				if err == io.EOF {
					received.SetResult(n)
					return nil
				}
				if err != nil {
					return err
				}
				n += len(b)
			}
		}, "127.0.0.1", 0, stream.WithLimit(limit))
		if err != nil {
			return err
		}
		_, w, err := stream.OpenConnection(c, "127.0.0.1", srv.Addrs()[0].(*net.TCPAddr).Port)
		if err != nil {
			return err
		}
		chunk := make([]byte, 64<<10)
		for sent < total {
			w.Write(chunk)
			sent += len(chunk)
			if err := w.Drain(c); err != nil {
				return err
			}
		}
		if !heldBack {
			t.Error("the sender was never held back: the reader did not stop reading")
		}
		w.WriteEOF()
		n, err := task.Await(c, received)
		if err != nil {
			return err
		}
		if n != total {
			t.Errorf("received %d bytes, want %d", n, total)
		}
		// Paused above 2*limit, it may have taken one more read (256 KiB).
		if maxBuffered > 2*limit+256<<10 {
			t.Errorf("the reader buffered up to %d bytes, more than 2*limit plus one read", maxBuffered)
		}
		w.Close()
		return closeServer(c, srv)
	})
}
