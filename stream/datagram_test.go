//go:build unix

package stream_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
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

// A received datagram, copied.
type dgram struct {
	Data string
	Addr string // "<nil>" for no address
}

// dgRecorder is a DatagramProtocol that records what it sees, optionally
// answers each datagram with reply, and completes its futures.
type dgRecorder struct {
	l      *loop.Loop
	t      *stream.DatagramTransport
	events []string // connection_made, pause_writing, resume_writing, connection_lost
	got    []dgram
	errs   []error
	lost   *future.Future[error]
	reply  func(r *dgRecorder, data []byte, addr net.Addr)

	want    int // wake waiter once len(got)+len(errs) reaches want
	waiter  *future.Future[struct{}]
	resumed *future.Future[struct{}]
}

func newRecorder(l *loop.Loop) *dgRecorder {
	return &dgRecorder{l: l, lost: future.New[error](l), resumed: future.New[struct{}](l)}
}

func (r *dgRecorder) ConnectionMade(t *stream.DatagramTransport) {
	r.t = t
	r.events = append(r.events, "connection_made")
}

func (r *dgRecorder) DatagramReceived(data []byte, addr net.Addr) {
	r.got = append(r.got, dgram{string(data), fmt.Sprint(addr)})
	if r.reply != nil {
		r.reply(r, data, addr)
	}
	r.check()
}

func (r *dgRecorder) ErrorReceived(err error) {
	r.errs = append(r.errs, err)
	r.check()
}

func (r *dgRecorder) check() {
	if r.waiter != nil && len(r.got)+len(r.errs) >= r.want && !r.waiter.Done() {
		r.waiter.SetResult(struct{}{})
	}
}

func (r *dgRecorder) ConnectionLost(err error) {
	r.events = append(r.events, "connection_lost")
	if r.lost.Done() {
		return // the events say it twice
	}
	r.lost.SetResult(err)
}

func (r *dgRecorder) PauseWriting() { r.events = append(r.events, "pause_writing") }

func (r *dgRecorder) ResumeWriting() {
	r.events = append(r.events, "resume_writing")
	if !r.resumed.Done() {
		r.resumed.SetResult(struct{}{})
	}
}

// waitFor waits until r has received n datagrams or errors in all.
func (r *dgRecorder) waitFor(c *task.Coro, n int) error {
	r.want, r.waiter = n, future.New[struct{}](r.l)
	r.check()
	return c.Await(r.waiter)
}

// dgEcho answers each datagram with itself, to its sender.
func dgEcho(r *dgRecorder, data []byte, addr net.Addr) { r.t.SendTo(data, addr) }

// endpoint makes a datagram endpoint whose protocol is a dgRecorder.
func endpoint(c *task.Coro, network string, opts ...stream.DatagramOption) (*stream.DatagramTransport, *dgRecorder, error) {
	t, p, err := stream.CreateDatagramEndpoint(c, network, func() stream.DatagramProtocol { return newRecorder(c.Loop()) }, opts...)
	if err != nil {
		return nil, nil, err
	}
	return t, p.(*dgRecorder), nil
}

// closeAll closes the transports and waits for their ConnectionLost.
func closeAll(c *task.Coro, rs ...*dgRecorder) error {
	for _, r := range rs {
		r.t.Close()
	}
	for _, r := range rs {
		if _, err := task.Await(c, r.lost); err != nil {
			return err
		}
	}
	return nil
}

// hasIPv6 reports whether ::1 can be bound.
func hasIPv6() bool {
	s, err := aionet.ListenPacket("udp6", "[::1]:0")
	if err != nil {
		return false
	}
	s.Close()
	return true
}

// A datagram network to test on, with a fresh local address for each
// endpoint.
type dgNet struct {
	name    string
	network string
	addr    func(t *testing.T, i int) string
}

func dgNets(t *testing.T) []dgNet {
	nets := []dgNet{
		{"udp4", "udp4", func(*testing.T, int) string { return "127.0.0.1:0" }},
		{"udp6", "udp6", func(*testing.T, int) string { return "[::1]:0" }},
		{"unixgram", "unixgram", func(t *testing.T, i int) string {
			return filepath.Join(t.TempDir(), fmt.Sprint("s", i))
		}},
	}
	if !hasIPv6() {
		t.Log("no ::1: not testing udp6")
		nets = append(nets[:1], nets[2:]...)
	}
	return nets
}

// TestDatagramEcho: a server endpoint echoes what unconnected and
// connected clients send, to the address each datagram came from, and
// each side sees the other's address.
func TestDatagramEcho(t *testing.T) {
	for _, n := range dgNets(t) {
		t.Run(n.name, func(t *testing.T) {
			run(t, func(c *task.Coro) error {
				st, server, err := endpoint(c, n.network, stream.WithLocalAddr(n.addr(t, 0)))
				if err != nil {
					return err
				}
				server.reply = dgEcho
				if st.RemoteAddr() != nil {
					t.Errorf("server RemoteAddr = %v, want nil", st.RemoteAddr())
				}
				ct, client, err := endpoint(c, n.network, stream.WithLocalAddr(n.addr(t, 1)))
				if err != nil {
					return err
				}
				kt, connected, err := endpoint(c, n.network, stream.WithLocalAddr(n.addr(t, 2)), stream.WithRemoteAddr(st.LocalAddr().String()))
				if err != nil {
					return err
				}
				if got, want := fmt.Sprint(kt.RemoteAddr()), st.LocalAddr().String(); got != want {
					t.Errorf("connected RemoteAddr = %s, want %s", got, want)
				}
				if err := ct.SendTo([]byte("one"), st.LocalAddr()); err != nil {
					return err
				}
				if err := kt.SendTo([]byte("two"), nil); err != nil {
					return err
				}
				if err := kt.SendTo([]byte("three"), st.LocalAddr()); err != nil {
					return err
				}
				if err := client.waitFor(c, 1); err != nil {
					return err
				}
				if err := connected.waitFor(c, 2); err != nil {
					return err
				}
				sa, ca, ka := st.LocalAddr().String(), ct.LocalAddr().String(), kt.LocalAddr().String()
				if diff := cmp.Diff([]dgram{{"one", ca}, {"two", ka}, {"three", ka}}, server.got); diff != "" {
					t.Errorf("server received (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff([]dgram{{"one", sa}}, client.got); diff != "" {
					t.Errorf("client received (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff([]dgram{{"two", sa}, {"three", sa}}, connected.got); diff != "" {
					t.Errorf("connected client received (-want +got):\n%s", diff)
				}
				return closeAll(c, server, client, connected)
			})
		})
	}
}

// TestDatagramConnected: an endpoint made with WithRemoteAddr sends there
// with a nil address, refuses another address, and receives from its
// peer only.
func TestDatagramConnected(t *testing.T) {
	run(t, func(c *task.Coro) error {
		st, server, err := endpoint(c, "udp", stream.WithLocalAddr("127.0.0.1:0"))
		if err != nil {
			return err
		}
		server.reply = dgEcho
		kt, client, err := endpoint(c, "udp", stream.WithRemoteAddr(st.LocalAddr().String()))
		if err != nil {
			return err
		}
		xt, stranger, err := endpoint(c, "udp4", stream.WithLocalAddr("127.0.0.1:0"))
		if err != nil {
			return err
		}
		other := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9}
		for _, addr := range []net.Addr{other, &net.UnixAddr{Name: "x", Net: "unixgram"}} {
			if err := kt.SendTo([]byte("x"), addr); !errors.Is(err, stream.ErrInvalidAddress) {
				t.Errorf("SendTo(%v) on a connected endpoint = %v, want ErrInvalidAddress", addr, err)
			}
		}
		// The stranger's datagram never reaches the connected endpoint:
		// the server's answer, sent after it, is the first it receives.
		if err := xt.SendTo([]byte("stranger"), kt.LocalAddr()); err != nil {
			return err
		}
		if err := kt.SendTo([]byte("ping"), nil); err != nil {
			return err
		}
		if err := client.waitFor(c, 1); err != nil {
			return err
		}
		if diff := cmp.Diff([]dgram{{"ping", st.LocalAddr().String()}}, client.got); diff != "" {
			t.Errorf("connected endpoint received (-want +got):\n%s", diff)
		}
		if len(stranger.errs) != 0 {
			t.Errorf("stranger errors: %v", stranger.errs)
		}
		return closeAll(c, server, client, stranger)
	})
}

// TestDatagramSendToErrors: misuse of SendTo is an error; a socket error
// goes to ErrorReceived and the endpoint stays open; an empty datagram is
// not sent.
func TestDatagramSendToErrors(t *testing.T) {
	run(t, func(c *task.Coro) error {
		st, server, err := endpoint(c, "udp4", stream.WithLocalAddr("127.0.0.1:0"))
		if err != nil {
			return err
		}
		ut, unbound, err := endpoint(c, "udp4")
		if err != nil {
			return err
		}
		for _, addr := range []net.Addr{nil, (*net.UDPAddr)(nil), &net.UnixAddr{Name: "x", Net: "unixgram"}} {
			if err := ut.SendTo([]byte("x"), addr); !errors.Is(err, stream.ErrInvalidAddress) {
				t.Errorf("SendTo(%#v) = %v, want ErrInvalidAddress", addr, err)
			}
		}
		if err := ut.SendTo(nil, nil); err != nil {
			t.Errorf("SendTo of an empty datagram = %v, want nil (nothing sent)", err)
		}
		if err := ut.SendTo(make([]byte, 70000), st.LocalAddr()); err != nil {
			t.Errorf("SendTo of a datagram too large = %v, want nil (the error goes to ErrorReceived)", err)
		}
		if len(unbound.errs) != 1 || !errors.Is(unbound.errs[0], syscall.EMSGSIZE) {
			t.Errorf("ErrorReceived got %v, want one EMSGSIZE", unbound.errs)
		}
		if ut.IsClosing() {
			t.Error("the endpoint closed on a socket error")
		}
		if err := ut.SendTo([]byte("ok"), st.LocalAddr()); err != nil {
			return err
		}
		if err := server.waitFor(c, 1); err != nil {
			return err
		}
		if got := server.got[0].Data; got != "ok" {
			t.Errorf("server's first datagram = %q, want %q (the empty one is not sent)", got, "ok")
		}
		if err := closeAll(c, server, unbound); err != nil {
			return err
		}
		if err := ut.SendTo([]byte("late"), st.LocalAddr()); !errors.Is(err, stream.ErrClosed) || !errors.Is(err, net.ErrClosed) {
			t.Errorf("SendTo after close = %v, want ErrClosed", err)
		}
		return nil
	})
}

// TestDatagramConnectionRefused: a connected endpoint that sends to a port
// no one listens on gets ECONNREFUSED in ErrorReceived, as in asyncio 3.11,
// and stays open.
func TestDatagramConnectionRefused(t *testing.T) {
	run(t, func(c *task.Coro) error {
		s, err := aionet.ListenPacket("udp4", "127.0.0.1:0")
		if err != nil {
			return err
		}
		closed := s.LocalAddr().String()
		s.Close()
		kt, client, err := endpoint(c, "udp4", stream.WithRemoteAddr(closed))
		if err != nil {
			return err
		}
		if err := kt.SendTo([]byte("ping"), nil); err != nil {
			return err
		}
		if err := client.waitFor(c, 1); err != nil {
			return err
		}
		if len(client.errs) != 1 || !errors.Is(client.errs[0], syscall.ECONNREFUSED) {
			t.Errorf("ErrorReceived got %v, want ECONNREFUSED", client.errs)
		}
		if kt.IsClosing() || client.lost.Done() {
			t.Error("ECONNREFUSED closed the endpoint")
		}
		if err := closeAll(c, client); err != nil {
			return err
		}
		if err, _ := client.lost.Result(); err != nil {
			t.Errorf("ConnectionLost(%v), want nil", err)
		}
		return nil
	})
}

// sinkAndSource makes a Unix-domain sink that does not read and a source
// connected to it, and sends numbered datagrams of dgSize bytes from the
// source until the socket would block and k more are buffered. It returns
// how many it sent.
func sinkAndSource(t *testing.T, c *task.Coro, k int) (sink, source *dgRecorder, sent int, err error) {
	path := filepath.Join(t.TempDir(), "sink")
	_, sink, err = endpoint(c, "unixgram", stream.WithLocalAddr(path))
	if err != nil {
		return nil, nil, 0, err
	}
	sink.t.PauseReading()
	_, source, err = endpoint(c, "unixgram", stream.WithRemoteAddr(path))
	if err != nil {
		return nil, nil, 0, err
	}
	msg := make([]byte, dgSize)
	send := func() error {
		binary.BigEndian.PutUint32(msg, uint32(sent))
		sent++
		return source.t.SendTo(msg, nil)
	}
	for source.t.WriteBufferSize() == 0 {
		if sent == 1<<20 {
			return nil, nil, 0, errors.New("the socket never blocked")
		}
		if err := send(); err != nil {
			return nil, nil, 0, err
		}
	}
	for range k - 1 {
		if err := send(); err != nil {
			return nil, nil, 0, err
		}
	}
	if got, want := source.t.WriteBufferSize(), k*dgSize; got != want {
		t.Errorf("WriteBufferSize = %d, want %d", got, want)
	}
	return sink, source, sent, nil
}

// checkSequence checks that got holds the numbered datagrams 0..n-1 in
// order.
func checkSequence(t *testing.T, got []dgram, n int) {
	t.Helper()
	if len(got) != n {
		t.Errorf("received %d datagrams, want %d", len(got), n)
		return
	}
	for i, d := range got {
		if len(d.Data) != dgSize || int(binary.BigEndian.Uint32([]byte(d.Data))) != i {
			t.Errorf("datagram %d is out of order or damaged", i)
			return
		}
	}
}

// TestDatagramBuffered: a datagram the socket does not take at once is
// buffered (copied), the protocol paused above the high-water mark, and
// the buffer flushed in order once the receiver reads, resuming the
// protocol.
func TestDatagramBuffered(t *testing.T) {
	run(t, func(c *task.Coro) error {
		sink, source, sent, err := sinkAndSource(t, c, 1)
		if err != nil {
			return err
		}
		if err := source.t.SetWriteBufferLimits(4*dgSize, 2*dgSize); err != nil {
			return err
		}
		msg := make([]byte, dgSize)
		for range 5 {
			binary.BigEndian.PutUint32(msg, uint32(sent))
			sent++
			if err := source.t.SendTo(msg, nil); err != nil {
				return err
			}
			clear(msg) // the transport keeps a copy
		}
		if diff := cmp.Diff([]string{"connection_made", "pause_writing"}, source.events); diff != "" {
			t.Errorf("source events before the flush (-want +got):\n%s", diff)
		}
		sink.t.ResumeReading()
		if err := c.Await(source.resumed); err != nil {
			return err
		}
		if err := sink.waitFor(c, sent); err != nil {
			return err
		}
		checkSequence(t, sink.got, sent)
		if n := source.t.WriteBufferSize(); n != 0 {
			t.Errorf("WriteBufferSize after the flush = %d", n)
		}
		if diff := cmp.Diff([]string{"connection_made", "pause_writing", "resume_writing"}, source.events); diff != "" {
			t.Errorf("source events (-want +got):\n%s", diff)
		}
		return closeAll(c, sink, source)
	})
}

// TestDatagramCloseAbortBuffered: Close sends the buffered datagrams
// before ConnectionLost; Abort drops them and ConnectionLost runs at the
// next iteration.
func TestDatagramCloseAbortBuffered(t *testing.T) {
	for _, abort := range []bool{false, true} {
		t.Run(map[bool]string{false: "Close", true: "Abort"}[abort], func(t *testing.T) {
			run(t, func(c *task.Coro) error {
				sink, source, sent, err := sinkAndSource(t, c, 20)
				if err != nil {
					return err
				}
				if abort {
					source.t.Abort()
					if n := source.t.WriteBufferSize(); n != 0 {
						t.Errorf("WriteBufferSize after Abort = %d, want 0", n)
					}
				} else {
					source.t.Close()
				}
				if err := source.t.SendTo([]byte("late"), nil); !errors.Is(err, stream.ErrClosed) {
					t.Errorf("SendTo while closing = %v, want ErrClosed", err)
				}
				if err := c.Yield(); err != nil {
					return err
				}
				if got := source.lost.Done(); got != abort {
					t.Errorf("ConnectionLost ran at the next iteration: %v, want %v", got, abort)
				}
				sink.t.ResumeReading()
				if _, err := task.Await(c, source.lost); err != nil {
					return err
				}
				// Mark the end of what the sink will get.
				_, marker, err := endpoint(c, "unixgram")
				if err != nil {
					return err
				}
				marker.t.SendTo([]byte("end"), sink.t.LocalAddr())
				for len(sink.got) == 0 || sink.got[len(sink.got)-1].Data != "end" {
					if err := sink.waitFor(c, len(sink.got)+1); err != nil {
						return err
					}
				}
				got := sink.got[:len(sink.got)-1]
				if abort {
					if len(got) >= sent-20+1 {
						t.Errorf("sink received %d of %d datagrams after Abort, want none of the 20 buffered", len(got), sent)
					}
					checkSequence(t, got, len(got))
				} else {
					checkSequence(t, got, sent)
				}
				if diff := cmp.Diff([]string{"connection_made", "connection_lost"}, source.events); diff != "" {
					t.Errorf("source events (-want +got):\n%s", diff)
				}
				return closeAll(c, sink, marker)
			})
		})
	}
}

// TestDatagramConnectionLostOnce: whatever the sequence of Close and
// Abort, ConnectionLost runs once, with nil, and the socket is closed.
func TestDatagramConnectionLostOnce(t *testing.T) {
	for _, calls := range []string{"C", "A", "CC", "CA", "AC", "AA", "CyC", "AyA", "CyA"} {
		t.Run(calls, func(t *testing.T) {
			run(t, func(c *task.Coro) error {
				tr, r, err := endpoint(c, "udp4", stream.WithLocalAddr("127.0.0.1:0"))
				if err != nil {
					return err
				}
				for _, call := range calls {
					switch call {
					case 'C':
						tr.Close()
					case 'A':
						tr.Abort()
					case 'y':
						if err := c.Yield(); err != nil {
							return err
						}
					}
				}
				for range 3 {
					if err := c.Yield(); err != nil {
						return err
					}
				}
				if diff := cmp.Diff([]string{"connection_made", "connection_lost"}, r.events); diff != "" {
					t.Errorf("events (-want +got):\n%s", diff)
				}
				if err, _ := r.lost.Result(); err != nil {
					t.Errorf("ConnectionLost(%v), want nil", err)
				}
				if tr.Protocol() != nil || tr.Socket().FD() != -1 || !tr.IsClosing() {
					t.Errorf("after ConnectionLost: Protocol %v, FD %d, IsClosing %v", tr.Protocol(), tr.Socket().FD(), tr.IsClosing())
				}
				if tr.LocalAddr() == nil {
					t.Error("LocalAddr is gone after the close")
				}
				return nil
			})
		})
	}
}

// TestDatagramProtocolPanics: as in asyncio, a panic in DatagramReceived
// goes to the exception handler as a panic in a callback, and the endpoint
// carries on.
func TestDatagramProtocolPanics(t *testing.T) {
	run(t, func(c *task.Coro) error {
		l := c.Loop()
		var reports []string
		prev := l.ExceptionHandler()
		l.SetExceptionHandler(func(_ *loop.Loop, ctx loop.ExceptionContext) {
			var pe *loop.PanicError
			if !errors.As(ctx.Err, &pe) {
				t.Errorf("exception handler got %v, want a *loop.PanicError", ctx.Err)
			}
			reports = append(reports, strings.SplitN(ctx.Message, " ", 3)[0]+" "+strings.SplitN(ctx.Message, " ", 3)[1]+": "+fmt.Sprint(pe.Value))
		})
		defer l.SetExceptionHandler(prev)

		st, server, err := endpoint(c, "udp4", stream.WithLocalAddr("127.0.0.1:0"))
		if err != nil {
			return err
		}
		server.reply = func(r *dgRecorder, data []byte, addr net.Addr) {
			if string(data) == "panic" {
				panic("boom")
			}
		}
		ct, client, err := endpoint(c, "udp4", stream.WithRemoteAddr(st.LocalAddr().String()))
		if err != nil {
			return err
		}
		ct.SendTo([]byte("panic"), nil)
		ct.SendTo([]byte("after"), nil)
		if err := server.waitFor(c, 2); err != nil {
			return err
		}
		if st.IsClosing() || server.lost.Done() {
			t.Error("a panic in DatagramReceived closed the endpoint")
		}
		if diff := cmp.Diff([]string{"Exception in: boom"}, reports); diff != "" {
			t.Errorf("reports (-want +got):\n%s", diff)
		}

		return closeAll(c, server, client)
	})
}

// pausePanicker panics in PauseWriting.
type pausePanicker struct{ *dgRecorder }

func (p *pausePanicker) PauseWriting() { panic("pause") }

// TestDatagramPauseWritingPanics: a panic in PauseWriting goes to the
// exception handler with asyncio's message and the endpoint carries on.
func TestDatagramPauseWritingPanics(t *testing.T) {
	run(t, func(c *task.Coro) error {
		l := c.Loop()
		var reports []string
		prev := l.ExceptionHandler()
		l.SetExceptionHandler(func(_ *loop.Loop, ctx loop.ExceptionContext) {
			reports = append(reports, ctx.Message)
		})
		defer l.SetExceptionHandler(prev)
		sink, source, _, err := sinkAndSource(t, c, 1)
		if err != nil {
			return err
		}
		pp := &pausePanicker{dgRecorder: source}
		source.t.SetProtocol(pp)
		if source.t.Protocol() != pp {
			t.Error("SetProtocol did not take")
		}
		if err := source.t.SetWriteBufferLimits(1, 2); err == nil {
			t.Error("SetWriteBufferLimits(1, 2) succeeded")
		}
		if err := source.t.SetWriteBufferLimits(0, 0); err != nil {
			return err
		}
		if low, high := source.t.WriteBufferLimits(); low != 0 || high != 0 {
			t.Errorf("WriteBufferLimits = %d, %d, want 0, 0", low, high)
		}
		if diff := cmp.Diff([]string{"protocol.pause_writing() failed"}, reports); diff != "" {
			t.Errorf("reports (-want +got):\n%s", diff)
		}
		if source.t.IsClosing() {
			t.Error("a panic in PauseWriting closed the endpoint")
		}
		sink.t.ResumeReading()
		if err := c.Await(source.resumed); err != nil {
			return err
		}
		return closeAll(c, sink, source)
	})
}

// TestDatagramMany: 10,000 datagrams each way between two endpoints, with
// at most a window of them in flight so that none can be dropped; each
// arrives once, in order.
func TestDatagramMany(t *testing.T) {
	const total, window = 10000, 64
	for _, n := range dgNets(t) {
		t.Run(n.name, func(t *testing.T) {
			run(t, func(c *task.Coro) error {
				st, server, err := endpoint(c, n.network, stream.WithLocalAddr(n.addr(t, 0)))
				if err != nil {
					return err
				}
				server.reply = dgEcho
				ct, client, err := endpoint(c, n.network, stream.WithLocalAddr(n.addr(t, 1)), stream.WithRemoteAddr(st.LocalAddr().String()))
				if err != nil {
					return err
				}
				sent := 0
				msg := make([]byte, dgSize)
				send := func() {
					binary.BigEndian.PutUint32(msg, uint32(sent))
					sent++
					ct.SendTo(msg, nil)
				}
				client.reply = func(*dgRecorder, []byte, net.Addr) {
					if sent < total {
						send()
					}
				}
				for range window {
					send()
				}
				if err := client.waitFor(c, total); err != nil {
					return err
				}
				checkSequence(t, server.got, total)
				checkSequence(t, client.got, total)
				if len(server.errs)+len(client.errs) != 0 {
					t.Errorf("errors: %v %v", server.errs, client.errs)
				}
				return closeAll(c, server, client)
			})
		})
	}
}

// TestDatagramUnnamedSender: a datagram from an unbound Unix-domain
// socket comes with a nil address, to which no reply can be sent.
func TestDatagramUnnamedSender(t *testing.T) {
	run(t, func(c *task.Coro) error {
		path := filepath.Join(t.TempDir(), "s")
		st, server, err := endpoint(c, "unixgram", stream.WithLocalAddr(path))
		if err != nil {
			return err
		}
		_, client, err := endpoint(c, "unixgram", stream.WithRemoteAddr(path))
		if err != nil {
			return err
		}
		if client.t.LocalAddr() != nil {
			t.Errorf("unbound LocalAddr = %v, want nil", client.t.LocalAddr())
		}
		client.t.SendTo([]byte("hi"), nil)
		if err := server.waitFor(c, 1); err != nil {
			return err
		}
		if diff := cmp.Diff([]dgram{{"hi", "<nil>"}}, server.got); diff != "" {
			t.Errorf("received (-want +got):\n%s", diff)
		}
		if err := st.SendTo([]byte("back"), nil); !errors.Is(err, stream.ErrInvalidAddress) {
			t.Errorf("SendTo(nil) on an unconnected endpoint = %v, want ErrInvalidAddress", err)
		}
		return closeAll(c, server, client)
	})
}

// TestCreateDatagramEndpointErrors covers the ways CreateDatagramEndpoint
// refuses, and that a refused endpoint leaves no socket open (run's
// descriptor check).
func TestCreateDatagramEndpointErrors(t *testing.T) {
	tests := []struct {
		name    string
		network string
		factory func() stream.DatagramProtocol
		opts    func(t *testing.T) []stream.DatagramOption
		check   func(err error) bool
	}{
		{"nil factory", "udp4", nil, nil, func(err error) bool { return errors.Is(err, stream.ErrNilProtocol) }},
		{"factory returns nil", "udp4", func() stream.DatagramProtocol { return nil }, nil,
			func(err error) bool { return errors.Is(err, stream.ErrNilProtocol) }},
		{"stream network", "tcp", nil, nil, func(err error) bool { return err != nil && strings.Contains(err.Error(), "unsupported") }},
		{"udp without addresses", "udp", nil, nil, func(err error) bool { return err != nil && strings.Contains(err.Error(), "udp4") }},
		{"bad address", "udp", nil, func(*testing.T) []stream.DatagramOption {
			return []stream.DatagramOption{stream.WithLocalAddr("127.0.0.1")}
		}, func(err error) bool { return err != nil }},
		{"wrong family", "udp4", nil, func(*testing.T) []stream.DatagramOption {
			return []stream.DatagramOption{stream.WithLocalAddr("[::1]:0")}
		}, func(err error) bool { return err != nil && strings.Contains(err.Error(), "no udp4 address") }},
		{"address in use", "udp4", nil, func(t *testing.T) []stream.DatagramOption {
			s, err := aionet.ListenPacket("udp4", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return []stream.DatagramOption{stream.WithLocalAddr(s.LocalAddr().String())}
		}, func(err error) bool { return errors.Is(err, syscall.EADDRINUSE) }},
		{"missing unix path", "unixgram", nil, func(t *testing.T) []stream.DatagramOption {
			return []stream.DatagramOption{stream.WithRemoteAddr(filepath.Join(t.TempDir(), "none"))}
		}, func(err error) bool { return errors.Is(err, syscall.ENOENT) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []stream.DatagramOption
			if tt.opts != nil {
				opts = tt.opts(t)
			}
			run(t, func(c *task.Coro) error {
				factory := tt.factory
				if factory == nil && tt.name != "nil factory" {
					factory = func() stream.DatagramProtocol { return newRecorder(c.Loop()) }
				}
				tr, p, err := stream.CreateDatagramEndpoint(c, tt.network, factory, opts...)
				if !tt.check(err) {
					t.Errorf("CreateDatagramEndpoint = %v, %v, %v: unexpected error", tr, p, err)
				}
				return nil
			})
		})
	}
}

// TestCreateDatagramEndpointFactoryPanics: the socket is closed and the
// panic goes on.
func TestCreateDatagramEndpointFactoryPanics(t *testing.T) {
	run(t, func(c *task.Coro) (err error) {
		defer func() {
			if r := recover(); r != "factory" {
				t.Errorf("recovered %v, want the factory's panic", r)
			}
		}()
		stream.CreateDatagramEndpoint(c, "udp4", func() stream.DatagramProtocol { panic("factory") }, stream.WithLocalAddr("127.0.0.1:0"))
		return nil
	})
}

// TestCreateDatagramEndpointOptions: WithDatagramReusePort lets two
// endpoints bind one port; WithAllowBroadcast sets SO_BROADCAST and leaves
// an endpoint with a remote address unconnected, sending there; a stale
// Unix-domain socket file is replaced.
func TestCreateDatagramEndpointOptions(t *testing.T) {
	run(t, func(c *task.Coro) error {
		at, a, err := endpoint(c, "udp4", stream.WithLocalAddr("127.0.0.1:0"), stream.WithDatagramReusePort())
		if err != nil {
			return err
		}
		_, b, err := endpoint(c, "udp4", stream.WithLocalAddr(at.LocalAddr().String()), stream.WithDatagramReusePort())
		if err != nil {
			return fmt.Errorf("second endpoint on the port with WithDatagramReusePort: %w", err)
		}
		if v, err := unix.GetsockoptInt(at.Socket().FD(), unix.SOL_SOCKET, unix.SO_REUSEPORT); err != nil || v == 0 {
			t.Errorf("SO_REUSEPORT = %d, %v", v, err)
		}

		bt, bc, err := endpoint(c, "udp4", stream.WithRemoteAddr(at.LocalAddr().String()), stream.WithAllowBroadcast())
		if err != nil {
			return err
		}
		if v, err := unix.GetsockoptInt(bt.Socket().FD(), unix.SOL_SOCKET, unix.SO_BROADCAST); err != nil || v == 0 {
			t.Errorf("SO_BROADCAST = %d, %v", v, err)
		}
		if bt.RemoteAddr() != nil {
			t.Errorf("broadcast RemoteAddr = %v, want nil (not connected)", bt.RemoteAddr())
		}
		if err := bt.SendTo([]byte("x"), &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9}); !errors.Is(err, stream.ErrInvalidAddress) {
			t.Errorf("SendTo to another address = %v, want ErrInvalidAddress", err)
		}
		if err := bt.SendTo([]byte("bcast"), nil); err != nil {
			return err
		}
		for len(a.got)+len(b.got) == 0 {
			if err := c.Yield(); err != nil {
				return err
			}
		}
		if got := append(a.got, b.got...); len(got) != 1 || got[0].Data != "bcast" {
			t.Errorf("received %v, want the one datagram", got)
		}

		path := filepath.Join(t.TempDir(), "s")
		_, u1, err := endpoint(c, "unixgram", stream.WithLocalAddr(path))
		if err != nil {
			return err
		}
		if err := closeAll(c, u1); err != nil {
			return err
		}
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("the socket file is not left behind: %w", err)
		}
		_, u2, err := endpoint(c, "unixgram", stream.WithLocalAddr(path))
		if err != nil {
			return fmt.Errorf("binding over a stale socket file: %w", err)
		}
		return closeAll(c, a, b, bc, u2)
	})
}

// TestDatagramOrderOfCreation: CreateDatagramEndpoint returns after
// ConnectionMade, and receiving starts after it too.
func TestDatagramOrderOfCreation(t *testing.T) {
	run(t, func(c *task.Coro) error {
		l := c.Loop()
		var trace []string
		var tick func(n int)
		tick = func(n int) {
			trace = append(trace, fmt.Sprint("tick ", n))
			if n < 3 {
				l.CallSoon(func() { tick(n + 1) })
			}
		}
		l.CallSoon(func() { tick(0) })
		tr, p, err := stream.CreateDatagramEndpoint(c, "udp4", func() stream.DatagramProtocol {
			return &madeTracer{dgRecorder: newRecorder(l), trace: &trace}
		}, stream.WithLocalAddr("127.0.0.1:0"))
		if err != nil {
			return err
		}
		trace = append(trace, "returned")
		for range 3 {
			if err := c.Yield(); err != nil {
				return err
			}
		}
		if diff := cmp.Diff([]string{"tick 0", "connection_made", "tick 1", "returned", "tick 2", "tick 3"}, trace); diff != "" {
			t.Errorf("trace (-want +got):\n%s", diff)
		}
		if tr.Loop() != l {
			t.Error("Loop is not the loop")
		}
		return closeAll(c, p.(*madeTracer).dgRecorder)
	})
}

type madeTracer struct {
	*dgRecorder
	trace *[]string
}

func (m *madeTracer) ConnectionMade(t *stream.DatagramTransport) {
	*m.trace = append(*m.trace, "connection_made")
	m.dgRecorder.ConnectionMade(t)
}
