//go:build unix

package aionet_test

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/goasyncio/goasyncio/aionet"
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/internal/leakcheck"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

func TestMain(m *testing.M) { os.Exit(leakcheck.Main(m)) }

// run runs main on a virtual-time loop owned by t and fails t on error.
func run(t *testing.T, main func(c *task.Coro) error) {
	t.Helper()
	leakcheck.CheckFDs(t)
	l := looptest.NewT(t)
	if _, err := task.RunOn(l, func(c *task.Coro) (struct{}, error) { return struct{}{}, main(c) }); err != nil {
		t.Fatal(err)
	}
}

type network struct{ name, addr string }

func networks(t *testing.T) []network {
	return []network{
		{"tcp", "127.0.0.1:0"},
		{"tcp6", "[::1]:0"},
		{"unix", filepath.Join(t.TempDir(), "s")},
	}
}

// pair returns a listening socket's accepted connection and the client
// connected to it.
func pair(c *task.Coro, n network) (srv, cli *aionet.Socket, err error) {
	ln, err := aionet.Listen(n.name, n.addr)
	if err != nil {
		return nil, nil, err
	}
	defer ln.Close()
	cli, err = aionet.NewSocket(n.name)
	if err != nil {
		return nil, nil, err
	}
	if err := cli.Connect(c, ln.LocalAddr().String()); err != nil {
		cli.Close()
		return nil, nil, err
	}
	srv, _, err = ln.Accept(c)
	if err != nil {
		cli.Close()
		return nil, nil, err
	}
	return srv, cli, nil
}

func TestEchoAndPartialReads(t *testing.T) {
	for _, n := range networks(t) {
		t.Run(n.name, func(t *testing.T) {
			run(t, func(c *task.Coro) error {
				srv, cli, err := pair(c, n)
				if err != nil {
					return err
				}
				defer srv.Close()
				defer cli.Close()
				if err := cli.SendAll(c, []byte("0123456789")); err != nil {
					return err
				}
				var got []string
				for range 3 { // partial reads: 4 + 4 + 2
					b, err := srv.Recv(c, 4)
					if err != nil {
						return err
					}
					got = append(got, string(b))
				}
				if err := cli.CloseWrite(); err != nil {
					return err
				}
				if b, err := srv.Recv(c, 4); err != io.EOF || len(b) != 0 {
					t.Errorf("Recv after CloseWrite = (%q, %v), want io.EOF", b, err)
				}
				if diff := cmp.Diff([]string{"0123", "4567", "89"}, got); diff != "" {
					t.Errorf("reads (-want +got):\n%s", diff)
				}
				return nil
			})
		})
	}
}

// TestLargeSendAll sends more than the socket buffers hold, so SendAll has
// to wait for the reader several times; all bytes arrive in order.
func TestLargeSendAll(t *testing.T) {
	for _, n := range networks(t) {
		t.Run(n.name, func(t *testing.T) {
			run(t, func(c *task.Coro) error {
				srv, cli, err := pair(c, n)
				if err != nil {
					return err
				}
				defer srv.Close()
				defer cli.Close()
				data := make([]byte, 8<<20)
				for i := range data {
					data[i] = byte(i * 7)
				}
				sender := task.Spawn(c.Loop(), func(c *task.Coro) (struct{}, error) {
					defer cli.CloseWrite()
					return struct{}{}, cli.SendAll(c, data)
				})
				var got bytes.Buffer
				buf := make([]byte, 100<<10)
				for {
					k, err := srv.RecvInto(c, buf)
					if err == io.EOF {
						break
					}
					if err != nil {
						return err
					}
					got.Write(buf[:k])
				}
				if err := c.Await(sender); err != nil {
					return err
				}
				if !bytes.Equal(got.Bytes(), data) {
					t.Errorf("received %d bytes, not equal to the %d sent", got.Len(), len(data))
				}
				return nil
			})
		})
	}
}

// TestCancelledRecvLosesNothing: a Recv cancelled while waiting consumes
// nothing, even when its data arrived in the iteration of the
// cancellation; the next Recv gets all the data.
func TestCancelledRecvLosesNothing(t *testing.T) {
	run(t, func(c *task.Coro) error {
		srv, cli, err := pair(c, networks(t)[0])
		if err != nil {
			return err
		}
		defer srv.Close()
		defer cli.Close()
		l := c.Loop()
		var trace []string
		reader := task.Spawn(l, func(c *task.Coro) ([]byte, error) {
			b, err := srv.Recv(c, 100)
			trace = append(trace, "first Recv: "+errString(err))
			return b, err
		})
		if err := c.Yield(); err != nil { // the reader now waits in Recv
			return err
		}
		// The data is there before the cancellation, and the reader's I/O
		// callback runs in the same iteration as the cancelling callback,
		// just after it: it must see its future done and read nothing.
		if err := cli.SendAll(c, []byte("kept")); err != nil {
			return err
		}
		l.CallSoon(func() { reader.Cancel() })
		if err := c.Await(reader); !future.IsCancelled(err) {
			t.Errorf("cancelled reader returned %v", err)
		}
		buf := make([]byte, 100) // the data must be there: don't wait for it
		k, err := srv.TryRecvInto(buf)
		trace = append(trace, "then: "+string(buf[:k])+" "+errString(err))
		want := []string{"first Recv: cancelled", "then: kept <nil>"}
		if diff := cmp.Diff(want, trace); diff != "" {
			t.Errorf("trace (-want +got):\n%s", diff)
		}
		return nil
	})
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// TestCancelledAccept: an Accept cancelled while waiting leaves the
// connection for the next Accept.
func TestCancelledAccept(t *testing.T) {
	run(t, func(c *task.Coro) error {
		ln, err := aionet.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		defer ln.Close()
		acc := task.Spawn(c.Loop(), func(c *task.Coro) (*aionet.Socket, error) {
			s, _, err := ln.Accept(c)
			return s, err
		})
		if err := c.Yield(); err != nil {
			return err
		}
		acc.Cancel()
		if err := c.Await(acc); !future.IsCancelled(err) {
			t.Errorf("cancelled Accept returned %v", err)
		}
		cli, err := aionet.NewSocket("tcp")
		if err != nil {
			return err
		}
		defer cli.Close()
		if err := cli.Connect(c, ln.LocalAddr().String()); err != nil {
			return err
		}
		s, addr, err := ln.Accept(c)
		if err != nil {
			return err
		}
		defer s.Close()
		if addr.String() != cli.LocalAddr().String() {
			t.Errorf("Accept's address %v, want the client's %v", addr, cli.LocalAddr())
		}
		return nil
	})
}

func TestErrors(t *testing.T) {
	run(t, func(c *task.Coro) error {
		srv, cli, err := pair(c, networks(t)[0])
		if err != nil {
			return err
		}
		defer cli.Close()
		l := c.Loop()

		// A second reader on the same socket.
		first := task.Spawn(l, func(c *task.Coro) ([]byte, error) { return srv.Recv(c, 1) })
		if err := c.Yield(); err != nil {
			return err
		}
		if _, err := srv.Recv(c, 1); !errors.Is(err, aionet.ErrBusy) {
			t.Errorf("second Recv: %v, want ErrBusy", err)
		}
		// Close while the first waits: it fails, not hangs.
		srv.Close()
		if err := c.Await(first); !errors.Is(err, net.ErrClosed) {
			t.Errorf("Recv on a socket closed while waiting: %v, want net.ErrClosed", err)
		}
		if _, err := srv.Recv(c, 1); !errors.Is(err, net.ErrClosed) {
			t.Errorf("Recv on a closed socket: %v, want net.ErrClosed", err)
		}
		if err := srv.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
		if _, err := cli.Recv(c, -1); err == nil {
			t.Error("Recv(-1) succeeded")
		}

		// Address in use.
		ln, err := aionet.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		addr := ln.LocalAddr().String()
		if s, err := aionet.Listen("tcp", addr); !errors.Is(err, syscall.EADDRINUSE) {
			t.Errorf("Listen on %s in use: (%v, %v), want EADDRINUSE", addr, s, err)
		}
		// Connection refused: the port is free again.
		ln.Close()
		s, err := aionet.NewSocket("tcp")
		if err != nil {
			return err
		}
		defer s.Close()
		if err := s.Connect(c, addr); !errors.Is(err, syscall.ECONNREFUSED) {
			t.Errorf("Connect to a closed port: %v, want ECONNREFUSED", err)
		}
		if _, err := aionet.NewSocket("sctp"); err == nil {
			t.Error(`NewSocket("sctp") succeeded`)
		}
		if _, err := aionet.Listen("tcp", "localhost:0"); err == nil {
			t.Error("Listen with a host name succeeded")
		}
		return nil
	})
}

// TestPeerReset: a peer that closes with SO_LINGER 0 resets the
// connection; Recv fails with ECONNRESET.
func TestPeerReset(t *testing.T) {
	run(t, func(c *task.Coro) error {
		srv, cli, err := pair(c, networks(t)[0])
		if err != nil {
			return err
		}
		defer srv.Close()
		unix.SetsockoptLinger(cli.FD(), unix.SOL_SOCKET, unix.SO_LINGER, &unix.Linger{Onoff: 1, Linger: 0})
		cli.Close()
		if _, err := srv.Recv(c, 10); !errors.Is(err, syscall.ECONNRESET) {
			t.Errorf("Recv from a reset peer: %v, want ECONNRESET", err)
		}
		return nil
	})
}

// TestResolve: literals need no lookup; a name is looked up on another
// goroutine while the virtual clock waits for it (loop.Hold).
func TestResolve(t *testing.T) {
	run(t, func(c *task.Coro) error {
		for _, tc := range []struct {
			network, host string
			want          string
		}{
			{"tcp", "127.0.0.1", "127.0.0.1:80"},
			{"tcp6", "::1", "[::1]:80"},
			{"tcp4", "", "0.0.0.0:80"},
			{"tcp4", "localhost", "127.0.0.1:80"},
		} {
			addrs, err := aionet.Resolve(c, tc.network, tc.host, 80)
			if err != nil {
				t.Errorf("Resolve(%q, %q): %v", tc.network, tc.host, err)
				continue
			}
			if addrs[0].String() != tc.want {
				t.Errorf("Resolve(%q, %q) = %v, want %s first", tc.network, tc.host, addrs, tc.want)
			}
		}
		if _, err := aionet.Resolve(c, "tcp", "no-such-host.invalid", 80); err == nil {
			t.Error("Resolve of an .invalid name succeeded")
		}
		// A connection by name.
		ln, err := aionet.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		defer ln.Close()
		s, err := aionet.NewSocket("tcp")
		if err != nil {
			return err
		}
		defer s.Close()
		_, port, _ := net.SplitHostPort(ln.LocalAddr().String())
		return s.Connect(c, net.JoinHostPort("localhost", port))
	})
}
