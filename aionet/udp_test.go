//go:build unix

package aionet_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/goasyncio/goasyncio/aionet"
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/locks"
	"github.com/goasyncio/goasyncio/task"
)

// A dgramNet is a datagram network and a way to make distinct local
// addresses on it.
type dgramNet struct {
	label string        // the subtest's name
	name  string        // the network
	addr  func() string // a new bind address
}

// dgramNetworks returns UDP over IPv4 and IPv6 (when the host has ::1),
// Unix-domain datagrams in a directory of t's and, on Linux, in the
// abstract namespace.
func dgramNetworks(t *testing.T) []dgramNet {
	t.Helper()
	dir := t.TempDir()
	nets := []dgramNet{{"udp4", "udp4", func() string { return "127.0.0.1:0" }}}
	if s, err := aionet.ListenPacket("udp6", "[::1]:0"); err == nil {
		s.Close()
		nets = append(nets, dgramNet{"udp6", "udp6", func() string { return "[::1]:0" }})
	} else {
		t.Logf("no IPv6 loopback, udp6 skipped: %v", err)
	}
	paths := 0 // the subtests run one at a time
	nets = append(nets, dgramNet{"unixgram", "unixgram", func() string {
		paths++
		return filepath.Join(dir, fmt.Sprintf("s%d", paths))
	}})
	if runtime.GOOS == "linux" {
		// Abstract names vanish with their sockets; the directory's
		// name keeps them apart from other tests' and processes'.
		nets = append(nets, dgramNet{"unixgram-abstract", "unixgram", func() string {
			paths++
			return fmt.Sprintf("@%s/a%d", dir, paths)
		}})
	}
	return nets
}

// listenPackets binds k sockets on n; close with closeAll.
func listenPackets(n dgramNet, k int) ([]*aionet.Socket, error) {
	var socks []*aionet.Socket
	for range k {
		s, err := aionet.ListenPacket(n.name, n.addr())
		if err != nil {
			closeAll(socks)
			return nil, err
		}
		socks = append(socks, s)
	}
	return socks, nil
}

// onPairs runs body as a task, in a subtest per datagram network, with
// two sockets bound on that network and closed after.
func onPairs(t *testing.T, body func(t *testing.T, c *task.Coro, n dgramNet, a, b *aionet.Socket) error) {
	t.Helper()
	for _, n := range dgramNetworks(t) {
		t.Run(n.label, func(t *testing.T) {
			run(t, func(c *task.Coro) error {
				socks, err := listenPackets(n, 2)
				if err != nil {
					return err
				}
				defer closeAll(socks)
				return body(t, c, n, socks[0], socks[1])
			})
		})
	}
}

func closeAll(socks []*aionet.Socket) {
	for _, s := range socks {
		s.Close()
	}
}

// waitReadable blocks until a datagram is queued on s, so that a test
// knows the loop's next poll sees it even if the kernel delivers loopback
// traffic late (it may hand it to ksoftirqd under load).
func waitReadable(t *testing.T, s *aionet.Socket) {
	t.Helper()
	fds := []unix.PollFd{{Fd: int32(s.FD()), Events: unix.POLLIN}}
	for {
		_, err := unix.Poll(fds, -1)
		if err == nil {
			return
		}
		if err != unix.EINTR {
			t.Fatalf("poll: %v", err)
		}
	}
}

func addrString(a net.Addr) string {
	if a == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%T %v", a, a)
}

// TestRecvFromRoundTrip: a datagram and its reply, each reported with its
// sender's address (nil for an unnamed Unix-domain sender, to which no
// reply is possible), and an empty datagram, which is no end of file.
func TestRecvFromRoundTrip(t *testing.T) {
	onPairs(t, func(t *testing.T, c *task.Coro, n dgramNet, a, b *aionet.Socket) error {
		var trace []string
		if err := a.SendTo(c, []byte("ping"), b.LocalAddr()); err != nil {
			return err
		}
		data, from, err := b.RecvFrom(c, 100)
		if err != nil {
			return err
		}
		// A wrong address would send the reply nowhere: stop here.
		if got, want := addrString(from), addrString(a.LocalAddr()); got != want {
			return fmt.Errorf("b got %q from %s, want from %s", data, got, want)
		}
		trace = append(trace, fmt.Sprintf("b got %q", data))
		if err := b.SendTo(c, []byte("pong"), from); err != nil {
			return err
		}
		buf := make([]byte, 100)
		k, from, err := a.RecvFromInto(c, buf)
		if err != nil {
			return err
		}
		trace = append(trace, fmt.Sprintf("a got %q from b: %v", buf[:k], addrString(from) == addrString(b.LocalAddr())))

		if err := a.SendTo(c, nil, b.LocalAddr()); err != nil {
			return err
		}
		data, _, err = b.RecvFrom(c, 100)
		trace = append(trace, fmt.Sprintf("empty datagram: %q %v", data, err))

		// An unbound sender: UDP binds it to a port of all
		// interfaces on its first send, a Unix-domain one stays
		// unnamed.
		u, err := aionet.NewSocket(n.name)
		if err != nil {
			return err
		}
		defer u.Close()
		if err := u.SendTo(c, []byte("anon"), b.LocalAddr()); err != nil {
			return err
		}
		_, from, err = b.RecvFrom(c, 100)
		if err != nil {
			return err
		}
		if n.name == "unixgram" {
			trace = append(trace, "unbound sender: "+addrString(from)+", LocalAddr "+addrString(u.LocalAddr()))
		} else {
			ua, fa := u.LocalAddr().(*net.UDPAddr), from.(*net.UDPAddr)
			trace = append(trace, fmt.Sprintf("unbound sender: %v", fa.Port == ua.Port && fa.IP.Equal(b.LocalAddr().(*net.UDPAddr).IP)))
		}
		want := []string{
			`b got "ping"`,
			`a got "pong" from b: true`,
			`empty datagram: "" <nil>`,
			"unbound sender: true",
		}
		if n.name == "unixgram" {
			want[3] = "unbound sender: <nil>, LocalAddr <nil>"
		}
		if diff := cmp.Diff(want, trace); diff != "" {
			t.Errorf("trace (-want +got):\n%s", diff)
		}
		wantType := "*net.UDPAddr"
		if n.name == "unixgram" {
			wantType = "*net.UnixAddr"
		}
		if got := fmt.Sprintf("%T", a.LocalAddr()); got != wantType {
			t.Errorf("LocalAddr is a %s, want %s", got, wantType)
		}
		return nil
	})
}

// TestConnectedDatagram: a datagram socket connected with Connect works
// with Recv and SendAll, as in Python, and an empty datagram is no EOF.
func TestConnectedDatagram(t *testing.T) {
	onPairs(t, func(t *testing.T, c *task.Coro, n dgramNet, a, b *aionet.Socket) error {
		if err := b.Connect(c, a.LocalAddr().String()); err != nil {
			return err
		}
		var trace []string
		if got, want := addrString(b.RemoteAddr()), addrString(a.LocalAddr()); got != want {
			t.Errorf("RemoteAddr = %s, want %s", got, want)
		}
		if err := b.SendAll(c, []byte("via SendAll")); err != nil {
			return err
		}
		data, from, err := a.RecvFrom(c, 100)
		if err != nil {
			return err
		}
		if got, want := addrString(from), addrString(b.LocalAddr()); got != want {
			return fmt.Errorf("a got %q from %s, want from %s", data, got, want)
		}
		trace = append(trace, fmt.Sprintf("%q from b", data))
		for _, msg := range []string{"to Recv", ""} {
			if err := a.SendTo(c, []byte(msg), from); err != nil {
				return err
			}
			waitReadable(t, b)
			// Python's recv(0) returns b"" at once, leaving the
			// datagram queued: no need to wait for it again.
			if data, err := b.Recv(c, 0); err != nil || len(data) != 0 {
				trace = append(trace, fmt.Sprintf("Recv(0): %q %v", data, err))
			}
			buf := make([]byte, 100)
			k, err := b.TryRecvInto(buf)
			trace = append(trace, fmt.Sprintf("Recv: %q %v", buf[:k], err))
		}
		want := []string{`"via SendAll" from b`, `Recv: "to Recv" <nil>`, `Recv: "" <nil>`}
		if diff := cmp.Diff(want, trace); diff != "" {
			t.Errorf("trace (-want +got):\n%s", diff)
		}
		return nil
	})
}

// TestConnectedRefused: on a UDP socket connected to a port where nothing
// listens, the ICMP error that answers a datagram fails the next receive
// with an error matching ECONNREFUSED (Python's ConnectionRefusedError).
func TestConnectedRefused(t *testing.T) {
	run(t, func(c *task.Coro) error {
		closed, err := aionet.ListenPacket("udp4", "127.0.0.1:0")
		if err != nil {
			return err
		}
		addr := closed.LocalAddr().String()
		closed.Close() // the port is free now
		s, err := aionet.NewSocket("udp4")
		if err != nil {
			return err
		}
		defer s.Close()
		if err := s.Connect(c, addr); err != nil {
			return err
		}
		if err := s.SendAll(c, []byte("anyone?")); err != nil {
			return err
		}
		if data, _, err := s.RecvFrom(c, 100); !errors.Is(err, syscall.ECONNREFUSED) {
			t.Errorf("RecvFrom after a datagram to a closed port = (%q, %v), want ECONNREFUSED", data, err)
		}
		return nil
	})
}

// TestRecvFromWaits: RecvFrom on an empty socket suspends its task until a
// datagram arrives, from another task or from a plain Go socket on another
// goroutine (which holds the loop until it has sent, as looptest's rule
// asks).
func TestRecvFromWaits(t *testing.T) {
	for _, n := range dgramNetworks(t) {
		for _, sender := range []string{"task", "goroutine"} {
			t.Run(n.label+"/"+sender, func(t *testing.T) {
				run(t, func(c *task.Coro) error {
					socks, err := listenPackets(n, 2)
					if err != nil {
						return err
					}
					defer closeAll(socks)
					a, b := socks[0], socks[1]
					l := c.Loop()
					var trace []string
					reader := task.Spawn(l, func(c *task.Coro) (net.Addr, error) {
						trace = append(trace, "RecvFrom")
						data, from, err := b.RecvFrom(c, 100)
						trace = append(trace, fmt.Sprintf("got %q %v", data, err))
						return from, err
					})
					if err := c.Yield(); err != nil {
						return err
					}
					trace = append(trace, fmt.Sprintf("reader done: %v", reader.Done()))

					var fromWant string
					done := make(chan error, 1)
					switch sender {
					case "task":
						fromWant = addrString(a.LocalAddr())
						done <- a.SendTo(c, []byte("hello"), b.LocalAddr())
					case "goroutine":
						pc, err := net.ListenPacket(n.name, n.addr())
						if err != nil {
							return err
						}
						defer pc.Close()
						fromWant = addrString(pc.LocalAddr())
						release := l.Hold()
						go func() {
							defer release()
							_, err := pc.WriteTo([]byte("hello"), b.LocalAddr())
							done <- err
						}()
					}
					from, err := task.Await(c, reader)
					if err := <-done; err != nil {
						return err
					}
					if err != nil {
						return err
					}
					if got := addrString(from); got != fromWant {
						t.Errorf("sender's address %s, want %s", got, fromWant)
					}
					want := []string{"RecvFrom", "reader done: false", `got "hello" <nil>`}
					if diff := cmp.Diff(want, trace); diff != "" {
						t.Errorf("trace (-want +got):\n%s", diff)
					}
					return nil
				})
			})
		}
	}
}

// TestRecvFromIntoTruncates: a datagram longer than the buffer fills the
// buffer and the rest is discarded, with no error (Linux's recvfrom
// without MSG_TRUNC, and Python's); the next call gets the next datagram.
func TestRecvFromIntoTruncates(t *testing.T) {
	onPairs(t, func(t *testing.T, c *task.Coro, n dgramNet, a, b *aionet.Socket) error {
		for _, tc := range []struct {
			size int
			want string
		}{
			{0, `0 ""`},
			{4, `4 "0123"`},
			{10, `10 "0123456789"`},
			{16, `10 "0123456789"`},
		} {
			for _, msg := range []string{"0123456789", "next"} {
				if err := a.SendTo(c, []byte(msg), b.LocalAddr()); err != nil {
					return err
				}
			}
			buf := make([]byte, tc.size)
			k, _, err := b.RecvFromInto(c, buf)
			if err != nil {
				return err
			}
			if got := fmt.Sprintf("%d %q", k, buf[:k]); got != tc.want {
				t.Errorf("RecvFromInto with %d bytes = %s, want %s", tc.size, got, tc.want)
			}
			next, _, err := b.RecvFrom(c, 100)
			if err != nil {
				return err
			}
			if string(next) != "next" {
				t.Errorf("after a %d-byte read the next datagram is %q, want the rest discarded", tc.size, next)
			}
		}
		return nil
	})
}

// TestCancelledRecvFrom: a RecvFrom cancelled while it waits consumes no
// datagram, even one already queued when the cancellation runs in the
// iteration that reports it; cancelled in the iteration after its
// callback received the datagram, it returns the datagram with the
// CancelledError (asyncio would drop it).
func TestCancelledRecvFrom(t *testing.T) {
	for _, n := range dgramNetworks(t) {
		for _, tc := range []struct {
			name  string
			later bool // cancel from a timer, which runs after the I/O callbacks
			want  []string
		}{
			{"before the read", false, []string{`reader: "" cancelled=true`, `next read: "kept" <nil>`}},
			{"after the read", true, []string{`reader: "kept" cancelled=true`, "next read: aionet: operation would block: resource temporarily unavailable"}},
		} {
			t.Run(n.label+"/"+tc.name, func(t *testing.T) {
				run(t, func(c *task.Coro) error {
					socks, err := listenPackets(n, 2)
					if err != nil {
						return err
					}
					defer closeAll(socks)
					a, b := socks[0], socks[1]
					l := c.Loop()
					var trace []string
					reader := task.Spawn(l, func(c *task.Coro) (struct{}, error) {
						data, _, err := b.RecvFrom(c, 100)
						trace = append(trace, fmt.Sprintf("reader: %q cancelled=%v", data, future.IsCancelled(err)))
						return struct{}{}, err
					})
					if err := c.Yield(); err != nil { // the reader now waits
						return err
					}
					if err := a.SendTo(c, []byte("kept"), b.LocalAddr()); err != nil {
						return err
					}
					waitReadable(t, b)
					// The next iteration polls, finds b readable and queues the
					// reader's callback after what is already ready (the
					// CallSoon) and before the due timers (the CallLater).
					if tc.later {
						l.CallLater(0, func() { reader.Cancel() })
					} else {
						l.CallSoon(func() { reader.Cancel() })
					}
					if err := c.Await(reader); !future.IsCancelled(err) {
						t.Errorf("cancelled reader returned %v", err)
					}
					buf := make([]byte, 100)
					k, _, err := b.TryRecvFromInto(buf)
					if err != nil {
						trace = append(trace, "next read: "+err.Error())
					} else {
						trace = append(trace, fmt.Sprintf("next read: %q %v", buf[:k], err))
					}
					if diff := cmp.Diff(tc.want, trace); diff != "" {
						t.Errorf("trace (-want +got):\n%s", diff)
					}
					// The cancelled reader left: a new one may wait.
					if err := a.SendTo(c, []byte("again"), b.LocalAddr()); err != nil {
						return err
					}
					data, _, err := b.RecvFrom(c, 100)
					if err != nil || string(data) != "again" {
						t.Errorf("RecvFrom after the cancellation = (%q, %v)", data, err)
					}
					return nil
				})
			})
		}
	}
}

// TestRecvFromWakeupWithoutDatagram: when the datagram that made the
// socket readable is gone by the time the waiting RecvFrom's callback
// runs (another reader took it earlier in the iteration), the callback
// keeps waiting, as _sock_recvfrom does on BlockingIOError.
func TestRecvFromWakeupWithoutDatagram(t *testing.T) {
	onPairs(t, func(t *testing.T, c *task.Coro, n dgramNet, a, b *aionet.Socket) error {
		l := c.Loop()
		var trace []string
		reader := task.Spawn(l, func(c *task.Coro) (struct{}, error) {
			data, _, err := b.RecvFrom(c, 100)
			trace = append(trace, fmt.Sprintf("reader: %q %v", data, err))
			return struct{}{}, err
		})
		if err := c.Yield(); err != nil {
			return err
		}
		if err := a.SendTo(c, []byte("taken"), b.LocalAddr()); err != nil {
			return err
		}
		waitReadable(t, b)
		// Runs in the next iteration before the reader's callback.
		l.CallSoon(func() {
			buf := make([]byte, 100)
			k, _, err := b.TryRecvFromInto(buf)
			trace = append(trace, fmt.Sprintf("taken first: %q %v", buf[:k], err))
		})
		if err := c.Yield(); err != nil {
			return err
		}
		if err := c.Yield(); err != nil { // the reader's callback ran
			return err
		}
		trace = append(trace, fmt.Sprintf("reader done: %v", reader.Done()))
		if err := a.SendTo(c, []byte("second"), b.LocalAddr()); err != nil {
			return err
		}
		if err := c.Await(reader); err != nil {
			return err
		}
		want := []string{`taken first: "taken" <nil>`, "reader done: false", `reader: "second" <nil>`}
		if diff := cmp.Diff(want, trace); diff != "" {
			t.Errorf("trace (-want +got):\n%s", diff)
		}
		return nil
	})
}

// TestSendToManyPeers: one socket sends to several, each of which sees
// its own datagram from the sender's address.
func TestSendToManyPeers(t *testing.T) {
	const peers = 5
	for _, n := range dgramNetworks(t) {
		t.Run(n.label, func(t *testing.T) {
			run(t, func(c *task.Coro) error {
				socks, err := listenPackets(n, peers+1)
				if err != nil {
					return err
				}
				defer closeAll(socks)
				src, dsts := socks[0], socks[1:]
				for i, d := range dsts {
					if err := src.SendTo(c, fmt.Appendf(nil, "to %d", i), d.LocalAddr()); err != nil {
						return err
					}
				}
				var got, want []string
				for i, d := range dsts {
					data, from, err := d.RecvFrom(c, 100)
					if err != nil {
						return err
					}
					got = append(got, fmt.Sprintf("%d: %s from %s", i, data, addrString(from)))
					want = append(want, fmt.Sprintf("%d: to %d from %s", i, i, addrString(src.LocalAddr())))
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("received (-want +got):\n%s", diff)
				}
				return nil
			})
		})
	}
}

// fullPair returns a Unix-domain datagram receiver and a sender connected
// to it whose queue is full: Linux then reports the sender writable only
// once the receiver reads, so SendTo waits. It returns how many datagrams
// ("0", "1", ...) filled the queue.
func fullPair(c *task.Coro, dir string) (r, w *aionet.Socket, queued int, err error) {
	r, err = aionet.ListenPacket("unixgram", filepath.Join(dir, "r"))
	if err != nil {
		return nil, nil, 0, err
	}
	w, err = aionet.ListenPacket("unixgram", filepath.Join(dir, "w"))
	if err != nil {
		r.Close()
		return nil, nil, 0, err
	}
	if err := w.Connect(c, r.LocalAddr().String()); err != nil {
		r.Close()
		w.Close()
		return nil, nil, 0, err
	}
	for {
		err := w.TrySendTo([]byte(fmt.Sprint(queued)), r.LocalAddr())
		if err == aionet.ErrWouldBlock {
			return r, w, queued, nil
		}
		if err != nil {
			r.Close()
			w.Close()
			return nil, nil, 0, err
		}
		queued++
	}
}

// drain reads what is queued on s without waiting.
func drain(s *aionet.Socket) ([]string, error) {
	var got []string
	buf := make([]byte, 100)
	for {
		k, _, err := s.TryRecvFromInto(buf)
		if err == aionet.ErrWouldBlock {
			return got, nil
		}
		if err != nil {
			return got, err
		}
		got = append(got, string(buf[:k]))
	}
}

// TestSendToWaits: a SendTo that finds no room waits until the receiver
// reads; a cancelled one sends nothing.
func TestSendToWaits(t *testing.T) {
	run(t, func(c *task.Coro) error {
		r, w, queued, err := fullPair(c, t.TempDir())
		if err != nil {
			return err
		}
		defer r.Close()
		defer w.Close()
		l := c.Loop()
		send := func(msg string) *task.Task[struct{}] {
			return task.Spawn(l, func(c *task.Coro) (struct{}, error) {
				return struct{}{}, w.SendTo(c, []byte(msg), r.LocalAddr())
			})
		}
		var trace []string
		waiting := send("sent")
		if err := c.Yield(); err != nil {
			return err
		}
		trace = append(trace, fmt.Sprintf("sender done while full: %v", waiting.Done()))
		data, _, err := r.RecvFrom(c, 100)
		if err != nil {
			return err
		}
		trace = append(trace, "read "+string(data))
		err = c.Await(waiting)
		trace = append(trace, fmt.Sprintf("sender: %v", err))

		cancelled := send("cancelled") // the queue is full again
		if err := c.Yield(); err != nil {
			return err
		}
		// Cancel in the iteration whose poll finds w writable again (the
		// drain makes room), just before the writer's callback runs: it
		// must see its future cancelled and send nothing.
		l.CallSoon(func() { cancelled.Cancel() })
		rest, err := drain(r)
		if err != nil {
			return err
		}
		err = c.Await(cancelled)
		trace = append(trace, fmt.Sprintf("cancelled sender: %v", future.IsCancelled(err)))
		after, err := drain(r)
		if err != nil {
			return err
		}
		trace = append(trace, fmt.Sprintf("sent after the cancellation: %q", after))
		want := []string{"sender done while full: false", "read 0", "sender: <nil>", "cancelled sender: true", "sent after the cancellation: []"}
		if diff := cmp.Diff(want, trace); diff != "" {
			t.Errorf("trace (-want +got):\n%s", diff)
		}
		var wantRest []string
		for i := 1; i < queued; i++ {
			wantRest = append(wantRest, fmt.Sprint(i))
		}
		wantRest = append(wantRest, "sent")
		if diff := cmp.Diff(wantRest, rest); diff != "" {
			t.Errorf("datagrams after the first (-want +got):\n%s", diff)
		}
		return nil
	})
}

// TestDatagramBusy: a second operation of the same direction while one
// waits fails with ErrBusy instead of replacing the first.
func TestDatagramBusy(t *testing.T) {
	type op func(c *task.Coro, s, to *aionet.Socket) error
	recvFrom := func(c *task.Coro, s, _ *aionet.Socket) error { _, _, err := s.RecvFrom(c, 10); return err }
	recvFromInto := func(c *task.Coro, s, _ *aionet.Socket) error {
		_, _, err := s.RecvFromInto(c, make([]byte, 10))
		return err
	}
	recv := func(c *task.Coro, s, _ *aionet.Socket) error { _, err := s.Recv(c, 10); return err }
	sendTo := func(c *task.Coro, s, to *aionet.Socket) error { return s.SendTo(c, []byte("x"), to.LocalAddr()) }
	sendAll := func(c *task.Coro, s, _ *aionet.Socket) error { return s.SendAll(c, []byte("x")) }
	for _, tc := range []struct {
		name          string
		first, second op
		write         bool // on the full sender of fullPair, else on its receiver
	}{
		{"RecvFrom/RecvFrom", recvFrom, recvFrom, false},
		{"RecvFrom/RecvFromInto", recvFrom, recvFromInto, false},
		{"Recv/RecvFrom", recv, recvFrom, false},
		{"RecvFromInto/Recv", recvFromInto, recv, false},
		{"SendTo/SendTo", sendTo, sendTo, true},
		{"SendTo/SendAll", sendTo, sendAll, true},
		{"SendAll/SendTo", sendAll, sendTo, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run(t, func(c *task.Coro) error {
				r, w, _, err := fullPair(c, t.TempDir())
				if err != nil {
					return err
				}
				defer w.Close()
				s, peer := w, r
				if !tc.write {
					if _, err := drain(r); err != nil { // an empty receiver
						return err
					}
					s, peer = r, w
				}
				first := task.Spawn(c.Loop(), func(c *task.Coro) (struct{}, error) {
					return struct{}{}, tc.first(c, s, peer)
				})
				if err := c.Yield(); err != nil {
					return err
				}
				if err := tc.second(c, s, peer); !errors.Is(err, aionet.ErrBusy) {
					t.Errorf("second operation: %v, want ErrBusy", err)
				}
				if first.Done() {
					t.Errorf("first operation ended: %v", first.Err())
				}
				r.Close() // fails the waiting operation with net.ErrClosed
				w.Close()
				if err := c.Await(first); err == nil {
					t.Error("first operation succeeded after Close")
				}
				return nil
			})
		})
	}
}

// TestDatagramClosed: every datagram call on a closed socket, and a
// RecvFrom or SendTo waiting when the socket is closed, fail with an error
// matching net.ErrClosed.
func TestDatagramClosed(t *testing.T) {
	run(t, func(c *task.Coro) error {
		dir := t.TempDir()
		full, w, _, err := fullPair(c, dir)
		if err != nil {
			return err
		}
		defer full.Close()
		r, err := aionet.ListenPacket("unixgram", filepath.Join(dir, "empty"))
		if err != nil {
			w.Close()
			return err
		}
		l := c.Loop()
		to := full.LocalAddr()
		waitingSend := task.Spawn(l, func(c *task.Coro) (struct{}, error) {
			return struct{}{}, w.SendTo(c, []byte("x"), to)
		})
		waitingRecv := task.Spawn(l, func(c *task.Coro) (struct{}, error) {
			_, _, err := r.RecvFrom(c, 10)
			return struct{}{}, err
		})
		if err := c.Yield(); err != nil {
			return err
		}
		r.Close()
		w.Close()
		for name, aw := range map[string]*task.Task[struct{}]{"waiting SendTo": waitingSend, "waiting RecvFrom": waitingRecv} {
			if err := c.Await(aw); !errors.Is(err, net.ErrClosed) {
				t.Errorf("%s on a socket closed under it: %v, want net.ErrClosed", name, err)
			}
		}
		for _, tc := range []struct {
			name string
			call func() error
		}{
			{"RecvFrom", func() error { _, _, err := r.RecvFrom(c, 10); return err }},
			{"RecvFromInto", func() error { _, _, err := r.RecvFromInto(c, make([]byte, 10)); return err }},
			{"TryRecvFromInto", func() error { _, _, err := r.TryRecvFromInto(make([]byte, 10)); return err }},
			{"SendTo", func() error { return w.SendTo(c, []byte("x"), to) }},
			{"TrySendTo", func() error { return w.TrySendTo([]byte("x"), to) }},
		} {
			if err := tc.call(); !errors.Is(err, net.ErrClosed) {
				t.Errorf("%s on a closed socket: %v, want net.ErrClosed", tc.name, err)
			}
		}
		return nil
	})
}

// TestSendToErrors: a datagram too large for the socket fails with
// EMSGSIZE at once; an address of the wrong kind, a stream socket and the
// wrong constructor fail with clear errors.
func TestSendToErrors(t *testing.T) {
	dir := t.TempDir()
	run(t, func(c *task.Coro) error {
		u4, err := aionet.ListenPacket("udp4", "127.0.0.1:0")
		if err != nil {
			return err
		}
		defer u4.Close()
		ux, err := aionet.ListenPacket("unixgram", filepath.Join(dir, "x"))
		if err != nil {
			return err
		}
		defer ux.Close()
		ln, err := aionet.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		defer ln.Close()
		var addrErr *net.AddrError
		for _, tc := range []struct {
			name string
			s    *aionet.Socket
			data []byte
			to   net.Addr
			is   func(error) bool
		}{
			{"UDP datagram over 64 KiB", u4, make([]byte, 70000), u4.LocalAddr(), func(err error) bool { return errors.Is(err, syscall.EMSGSIZE) }},
			{"unixgram datagram over the send buffer", ux, make([]byte, 8<<20), ux.LocalAddr(), func(err error) bool { return errors.Is(err, syscall.EMSGSIZE) }},
			{"Unix address to UDP", u4, nil, ux.LocalAddr(), func(err error) bool { return errors.As(err, &addrErr) }},
			{"UDP address to unixgram", ux, nil, u4.LocalAddr(), func(err error) bool { return errors.As(err, &addrErr) }},
			{"IPv6 address to udp4", u4, nil, &net.UDPAddr{IP: net.IPv6loopback, Port: 9}, func(err error) bool { return errors.As(err, &addrErr) }},
			{"nil address", u4, nil, nil, func(err error) bool { return errors.As(err, &addrErr) }},
			{"stream socket", ln, nil, u4.LocalAddr(), func(err error) bool { return errors.Is(err, aionet.ErrNotDatagram) }},
		} {
			err := tc.s.SendTo(c, tc.data, tc.to)
			if !tc.is(err) {
				t.Errorf("%s: SendTo: %v", tc.name, err)
			}
			var oe *net.OpError
			if !errors.As(err, &oe) {
				t.Errorf("%s: %T is no *net.OpError", tc.name, err)
			}
			if err := tc.s.TrySendTo(tc.data, tc.to); !tc.is(err) {
				t.Errorf("%s: TrySendTo: %v", tc.name, err)
			}
		}
		if s, err := aionet.Listen("udp", "127.0.0.1:0"); err == nil {
			s.Close()
			t.Error(`Listen("udp") succeeded`)
		}
		if s, err := aionet.ListenPacket("tcp", "127.0.0.1:0"); err == nil {
			s.Close()
			t.Error(`ListenPacket("tcp") succeeded`)
		}
		if _, _, err := u4.RecvFrom(c, -1); err == nil {
			t.Error("RecvFrom(-1) succeeded")
		}
		addr := u4.LocalAddr().String()
		if s, err := aionet.ListenPacket("udp4", addr); !errors.Is(err, syscall.EADDRINUSE) {
			if s != nil {
				s.Close()
			}
			t.Errorf("ListenPacket on %s in use: %v, want EADDRINUSE", addr, err)
		}
		return nil
	})
}

// TestManyDatagrams: 10,000 datagrams each way between a client and an
// echo server on one loop, none lost, duplicated or altered. The client's
// sender keeps at most window datagrams unanswered (a semaphore its
// reader releases), so no receive queue ever holds more than window
// datagrams and loopback UDP, which drops only when a queue overflows,
// cannot drop one: were one lost all the same, the test would hang until
// go test's -timeout rather than pass. The client reads in a task of its
// own so that a full Unix-domain queue (whose sender waits instead of
// dropping) cannot block both sides: the server waits for the client's
// reader, never for the client's sender.
func TestManyDatagrams(t *testing.T) {
	const (
		total  = 10000
		window = 32
		size   = 200
	)
	payload := func(seq int) []byte {
		p := make([]byte, size)
		binary.BigEndian.PutUint64(p, uint64(seq))
		for i := 8; i < size; i++ {
			p[i] = byte(seq + i)
		}
		return p
	}
	onPairs(t, func(t *testing.T, c *task.Coro, n dgramNet, cli, srv *aionet.Socket) error {
		slots := locks.NewSemaphore(window)
		// In a group, a failing task cancels the others instead of
		// leaving them waiting for datagrams that will not come.
		return task.Group(c, func(g *task.TaskGroup) error {
			task.SpawnIn(g, func(c *task.Coro) (struct{}, error) { // the echo server
				buf := make([]byte, 2*size)
				want := addrString(cli.LocalAddr())
				for range total {
					k, from, err := srv.RecvFromInto(c, buf)
					if err != nil {
						return struct{}{}, err
					}
					if got := addrString(from); got != want {
						return struct{}{}, fmt.Errorf("datagram from %s, want from %s", got, want)
					}
					if err := srv.SendTo(c, buf[:k], from); err != nil {
						return struct{}{}, err
					}
				}
				return struct{}{}, nil
			})
			task.SpawnIn(g, func(c *task.Coro) (struct{}, error) { // the client's sender
				for seq := range total {
					if err := slots.Acquire(c); err != nil {
						return struct{}{}, err
					}
					if err := cli.SendTo(c, payload(seq), srv.LocalAddr()); err != nil {
						return struct{}{}, err
					}
				}
				return struct{}{}, nil
			})
			task.SpawnIn(g, func(c *task.Coro) (struct{}, error) { // the client's reader
				seen := make([]bool, total)
				buf := make([]byte, 2*size)
				for echoed := range total {
					k, _, err := cli.RecvFromInto(c, buf)
					if err != nil {
						return struct{}{}, err
					}
					seq := int(binary.BigEndian.Uint64(buf))
					switch {
					case k != size || seq >= total:
						return struct{}{}, fmt.Errorf("echo %d: %d bytes for sequence number %d", echoed, k, seq)
					case seen[seq]:
						return struct{}{}, fmt.Errorf("datagram %d echoed twice", seq)
					case !bytes.Equal(buf[:k], payload(seq)):
						return struct{}{}, fmt.Errorf("datagram %d altered", seq)
					}
					seen[seq] = true
					slots.Release()
				}
				return struct{}{}, nil
			})
			return nil
		})
	})
}
