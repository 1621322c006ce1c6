//go:build unix

package stream_test

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/stream"
	"github.com/goasyncio/goasyncio/task"
)

// tproto is a Protocol that records what it is told and can be waited on.
type tproto struct {
	l        *loop.Loop
	t        *stream.Transport
	events   []string // asyncio's method names; a run of data_received is one
	got      []byte
	echo     bool // write back what arrives
	keepOpen bool // EOFReceived's answer
	pause    bool // pause reading in ConnectionMade

	made, paused, lost bool
	lostErr            error
	changed            *future.Future[struct{}] // completed at the next event
}

func newTproto(l *loop.Loop) *tproto { return &tproto{l: l} }

func (p *tproto) note(event string) {
	if event != "data_received" || len(p.events) == 0 || p.events[len(p.events)-1] != event {
		p.events = append(p.events, event)
	}
	if f := p.changed; f != nil {
		p.changed = nil
		f.SetResult(struct{}{})
	}
}

func (p *tproto) ConnectionMade(t *stream.Transport) {
	p.t, p.made = t, true
	if p.pause {
		t.PauseReading()
	}
	p.note("connection_made")
}

func (p *tproto) DataReceived(data []byte) {
	p.got = append(p.got, data...) // data is only valid during the call
	if p.echo {
		p.t.Write(data)
	}
	p.note("data_received")
}

func (p *tproto) EOFReceived() bool {
	p.note("eof_received")
	return p.keepOpen
}

func (p *tproto) ConnectionLost(err error) {
	p.lost, p.lostErr = true, err
	p.note(fmt.Sprintf("connection_lost %v", err))
}

func (p *tproto) PauseWriting() {
	p.paused = true
	p.note("pause_writing")
}

func (p *tproto) ResumeWriting() {
	p.paused = false
	p.note("resume_writing")
}

// wait waits until cond holds, checking it after each event.
func (p *tproto) wait(c *task.Coro, cond func() bool) error {
	for !cond() {
		if p.changed == nil {
			p.changed = future.New[struct{}](p.l)
		}
		if err := c.Await(p.changed); err != nil {
			return err
		}
	}
	return nil
}

func (p *tproto) waitLost(c *task.Coro) error { return p.wait(c, func() bool { return p.lost }) }

// serveT starts a server on network whose protocols are made by mk, and
// returns it with the protocols it made so far (in order) and its address.
func serveT(c *task.Coro, network, address string, mk func(*tproto), opts ...stream.Option) (*stream.Server, *[]*tproto, error) {
	var made []*tproto
	srv, err := stream.CreateServer(c, network, address, func() stream.Protocol {
		p := newTproto(c.Loop())
		if mk != nil {
			mk(p)
		}
		made = append(made, p)
		return p
	}, opts...)
	return srv, &made, err
}

// dialT connects a tproto to srv's first address.
func dialT(c *task.Coro, srv *stream.Server, mk func(*tproto)) (*tproto, error) {
	a := srv.Addrs()[0]
	network := "tcp"
	if a.Network() == "unix" {
		network = "unix"
	}
	p := newTproto(c.Loop())
	if mk != nil {
		mk(p)
	}
	_, got, err := stream.CreateConnection(c, network, a.String(), func() stream.Protocol { return p })
	if err != nil {
		return nil, err
	}
	if got != stream.Protocol(p) {
		return nil, errors.New("CreateConnection returned another protocol than the factory's")
	}
	return p, nil
}

// last waits until the server has made n protocols and returns the nth.
func last(c *task.Coro, made *[]*tproto, n int) (*tproto, error) {
	for len(*made) < n || !(*made)[n-1].made {
		if err := c.Yield(); err != nil {
			return nil, err
		}
	}
	return (*made)[n-1], nil
}

// fill writes to t until more than atLeast bytes are buffered in the
// transport: the peer must not be reading.
func fill(t *stream.Transport, atLeast int) (int, error) {
	chunk := make([]byte, 256<<10)
	n := 0
	for t.WriteBufferSize() <= atLeast {
		if n > 1<<30 {
			return n, fmt.Errorf("wrote %d bytes and only %d are buffered: is the peer reading?", n, t.WriteBufferSize())
		}
		if _, err := t.Write(chunk); err != nil {
			return n, err
		}
		n += len(chunk)
	}
	return n, nil
}

type protoKind struct{ name, network, address string }

func protoKinds(t *testing.T) []protoKind {
	return []protoKind{
		{"tcp4", "tcp4", "127.0.0.1:0"},
		{"tcp6", "tcp6", "[::1]:0"},
		{"unix", "unix", filepath.Join(t.TempDir(), "sock")},
	}
}

// TestProtocolEcho: an echo protocol served by CreateServer answers a
// protocol made by CreateConnection; closing each side in turn ends both
// with ConnectionLost(nil).
func TestProtocolEcho(t *testing.T) {
	for _, k := range protoKinds(t) {
		t.Run(k.name, func(t *testing.T) {
			run(t, func(c *task.Coro) error {
				srv, made, err := serveT(c, k.network, k.address, func(p *tproto) { p.echo = true })
				if err != nil {
					return err
				}
				cl, err := dialT(c, srv, nil)
				if err != nil {
					return err
				}
				want := ""
				for _, msg := range []string{"one", "two", "three"} {
					want += msg
					fmt.Fprint(cl.t, msg)
					if err := cl.wait(c, func() bool { return string(cl.got) == want || cl.lost }); err != nil {
						return err
					}
				}
				if string(cl.got) != want {
					t.Errorf("echoed %q, want %q", cl.got, want)
				}
				cl.t.WriteEOF() // the server's EOFReceived says false: it closes
				if err := cl.waitLost(c); err != nil {
					return err
				}
				sp, err := last(c, made, 1)
				if err != nil {
					return err
				}
				if err := sp.waitLost(c); err != nil {
					return err
				}
				wantEvents := map[*tproto][]string{
					cl: {"connection_made", "data_received", "eof_received", "connection_lost <nil>"},
					sp: {"connection_made", "data_received", "eof_received", "connection_lost <nil>"},
				}
				for p, want := range wantEvents {
					if diff := cmp.Diff(want, p.events); diff != "" {
						t.Errorf("events (-want +got):\n%s", diff)
					}
				}
				return closeServer(c, srv)
			})
		})
	}
}

// TestProtocolHalfClose: after the peer's EOF, a protocol whose
// EOFReceived returns true can still write, and closes when it wants; one
// that returns false has its transport closed for it.
func TestProtocolHalfClose(t *testing.T) {
	for _, tc := range []struct {
		keepOpen    bool
		wantClosing bool   // the server's transport right after EOFReceived
		wantWrite   error  // a Write by the server after EOFReceived
		wantGot     string // what the client receives
	}{
		{keepOpen: true, wantClosing: false, wantWrite: nil, wantGot: "after eof"},
		{keepOpen: false, wantClosing: true, wantWrite: stream.ErrClosed, wantGot: ""},
	} {
		t.Run("keepOpen="+strconv.FormatBool(tc.keepOpen), func(t *testing.T) {
			run(t, func(c *task.Coro) error {
				srv, made, err := serveT(c, "tcp", "127.0.0.1:0", func(p *tproto) { p.keepOpen = tc.keepOpen })
				if err != nil {
					return err
				}
				cl, err := dialT(c, srv, nil)
				if err != nil {
					return err
				}
				sp, err := last(c, made, 1)
				if err != nil {
					return err
				}
				cl.t.WriteEOF()
				if _, err := cl.t.Write([]byte("x")); !errors.Is(err, stream.ErrWriteAfterEOF) {
					t.Errorf("client Write after WriteEOF: %v, want ErrWriteAfterEOF", err)
				}
				if err := sp.wait(c, func() bool { return len(sp.events) > 1 }); err != nil {
					return err
				}
				if got := sp.t.IsClosing(); got != tc.wantClosing {
					t.Errorf("server IsClosing after EOFReceived = %v, want %v", got, tc.wantClosing)
				}
				if _, err := sp.t.Write([]byte("after eof")); !errors.Is(err, tc.wantWrite) {
					t.Errorf("server Write after EOF: %v, want %v", err, tc.wantWrite)
				}
				sp.t.Close()
				if err := cl.waitLost(c); err != nil {
					return err
				}
				if err := sp.waitLost(c); err != nil {
					return err
				}
				if string(cl.got) != tc.wantGot {
					t.Errorf("client got %q, want %q", cl.got, tc.wantGot)
				}
				want := []string{"connection_made", "eof_received", "connection_lost <nil>"}
				if diff := cmp.Diff(want, sp.events); diff != "" {
					t.Errorf("server events (-want +got):\n%s", diff)
				}
				return closeServer(c, srv)
			})
		})
	}
}

// TestProtocolPauseReading: a paused transport hands nothing to its
// protocol however many iterations pass; resumed, it hands what arrived.
func TestProtocolPauseReading(t *testing.T) {
	run(t, func(c *task.Coro) error {
		srv, made, err := serveT(c, "tcp", "127.0.0.1:0", nil)
		if err != nil {
			return err
		}
		cl, err := dialT(c, srv, nil)
		if err != nil {
			return err
		}
		sp, err := last(c, made, 1)
		if err != nil {
			return err
		}
		if !sp.t.IsReading() {
			t.Error("a new transport is not reading")
		}
		sp.t.PauseReading()
		sp.t.PauseReading() // twice is fine
		if sp.t.IsReading() {
			t.Error("IsReading after PauseReading")
		}
		cl.t.Write([]byte("while paused"))
		for range 20 { // the data arrives within an iteration or two
			if err := c.Yield(); err != nil {
				return err
			}
		}
		if len(sp.got) != 0 {
			t.Errorf("a paused transport delivered %q", sp.got)
		}
		sp.t.ResumeReading()
		if !sp.t.IsReading() {
			t.Error("not IsReading after ResumeReading")
		}
		if err := sp.wait(c, func() bool { return len(sp.got) == len("while paused") || sp.lost }); err != nil {
			return err
		}
		if string(sp.got) != "while paused" {
			t.Errorf("got %q after ResumeReading", sp.got)
		}
		sp.t.Close()
		sp.t.ResumeReading() // does nothing on a closing transport
		if sp.t.IsReading() {
			t.Error("a closing transport IsReading")
		}
		if err := cl.waitLost(c); err != nil {
			return err
		}
		return closeServer(c, srv)
	})
}

// TestProtocolWriteFlowControl: with a peer that does not read, the
// transport's buffer grows; SetWriteBufferLimits with a high-water mark
// below it pauses the protocol at once, and once the peer reads again the
// protocol is resumed when the buffer is down to the low-water mark. Every
// byte arrives.
func TestProtocolWriteFlowControl(t *testing.T) {
	run(t, func(c *task.Coro) error {
		srv, made, err := serveT(c, "tcp", "127.0.0.1:0", func(p *tproto) { p.pause = true })
		if err != nil {
			return err
		}
		cl, err := dialT(c, srv, nil)
		if err != nil {
			return err
		}
		sp, err := last(c, made, 1)
		if err != nil {
			return err
		}
		tr := cl.t
		if low, high := tr.WriteBufferLimits(); low != 16<<10 || high != 64<<10 {
			t.Errorf("default limits (%d, %d), want (16 KiB, 64 KiB)", low, high)
		}
		if err := tr.SetWriteBufferLimits(1<<30, -1); err != nil {
			return err
		}
		if low, high := tr.WriteBufferLimits(); low != 1<<28 || high != 1<<30 {
			t.Errorf("limits (%d, %d) for (1 GiB, None), want (256 MiB, 1 GiB)", low, high)
		}
		sent, err := fill(tr, 256<<10)
		if err != nil {
			return err
		}
		if cl.paused {
			t.Fatal("paused below the high-water mark")
		}
		var trace []string
		trace = append(trace, "set limits")
		if err := tr.SetWriteBufferLimits(64<<10, 16<<10); err != nil {
			return err
		}
		trace = append(trace, fmt.Sprintf("paused: %v", cl.paused))
		if err := tr.SetWriteBufferLimits(10, 20); err == nil {
			t.Error("SetWriteBufferLimits(10, 20) succeeded")
		}
		sp.t.ResumeReading()
		if err := cl.wait(c, func() bool { return !cl.paused }); err != nil {
			return err
		}
		trace = append(trace, fmt.Sprintf("resumed with at most low buffered: %v", tr.WriteBufferSize() <= 16<<10))
		if err := sp.wait(c, func() bool { return len(sp.got) == sent || sp.lost }); err != nil {
			return err
		}
		if len(sp.got) != sent {
			t.Errorf("the peer received %d of %d bytes", len(sp.got), sent)
		}
		want := []string{"set limits", "paused: true", "resumed with at most low buffered: true"}
		if diff := cmp.Diff(want, trace); diff != "" {
			t.Errorf("trace (-want +got):\n%s", diff)
		}
		wantEvents := []string{"connection_made", "pause_writing", "resume_writing"}
		if diff := cmp.Diff(wantEvents, cl.events); diff != "" {
			t.Errorf("client events (-want +got):\n%s", diff)
		}
		tr.Close()
		if err := sp.waitLost(c); err != nil {
			return err
		}
		return closeServer(c, srv)
	})
}

// TestProtocolAbortVersusClose: Close sends what is buffered before the
// connection goes; Abort drops it and the protocol loses the connection at
// the next iteration.
func TestProtocolAbortVersusClose(t *testing.T) {
	for _, tc := range []struct {
		name         string
		end          func(*stream.Transport)
		lostAtOnce   bool // ConnectionLost ran after one iteration
		everyByteArr bool // the peer received everything written
	}{
		{"Close", func(t *stream.Transport) { t.Close() }, false, true},
		{"Abort", (*stream.Transport).Abort, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run(t, func(c *task.Coro) error {
				srv, made, err := serveT(c, "tcp", "127.0.0.1:0", func(p *tproto) { p.pause = true })
				if err != nil {
					return err
				}
				cl, err := dialT(c, srv, nil)
				if err != nil {
					return err
				}
				sp, err := last(c, made, 1)
				if err != nil {
					return err
				}
				sent, err := fill(cl.t, 256<<10)
				if err != nil {
					return err
				}
				tc.end(cl.t)
				if !cl.t.IsClosing() {
					t.Errorf("not IsClosing after %s", tc.name)
				}
				if _, err := cl.t.Write([]byte("x")); !errors.Is(err, stream.ErrClosed) {
					t.Errorf("Write after %s: %v, want ErrClosed", tc.name, err)
				}
				if err := c.Yield(); err != nil {
					return err
				}
				if cl.lost != tc.lostAtOnce {
					t.Errorf("ConnectionLost ran within an iteration: %v, want %v", cl.lost, tc.lostAtOnce)
				}
				sp.t.ResumeReading()
				if err := sp.waitLost(c); err != nil {
					return err
				}
				if err := cl.waitLost(c); err != nil {
					return err
				}
				if got := len(sp.got) == sent; got != tc.everyByteArr {
					t.Errorf("the peer received %d of %d bytes", len(sp.got), sent)
				}
				if cl.lostErr != nil || sp.lostErr != nil {
					t.Errorf("ConnectionLost(%v) on the client, (%v) on the server; want nil", cl.lostErr, sp.lostErr)
				}
				if cl.t.WriteBufferSize() != 0 {
					t.Errorf("%d bytes still buffered", cl.t.WriteBufferSize())
				}
				return closeServer(c, srv)
			})
		})
	}
}

// TestProtocolConnectionLostError: ConnectionLost gets the error when the
// peer resets the connection, nil when it closes it; a later Write returns
// that error.
func TestProtocolConnectionLostError(t *testing.T) {
	for _, tc := range []struct {
		name      string
		reset     bool
		wantErr   error
		wantWrite error
	}{
		{"reset", true, syscall.ECONNRESET, syscall.ECONNRESET},
		{"close", false, nil, stream.ErrClosed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run(t, func(c *task.Coro) error {
				srv, made, err := serveT(c, "tcp", "127.0.0.1:0", nil)
				if err != nil {
					return err
				}
				cl, err := dialT(c, srv, nil)
				if err != nil {
					return err
				}
				sp, err := last(c, made, 1)
				if err != nil {
					return err
				}
				if tc.reset {
					unix.SetsockoptLinger(cl.t.Socket().FD(), unix.SOL_SOCKET, unix.SO_LINGER, &unix.Linger{Onoff: 1, Linger: 0})
					cl.t.Abort()
				} else {
					cl.t.Close()
				}
				if err := sp.waitLost(c); err != nil {
					return err
				}
				if tc.wantErr == nil && sp.lostErr != nil || !errors.Is(sp.lostErr, tc.wantErr) {
					t.Errorf("ConnectionLost(%v), want %v", sp.lostErr, tc.wantErr)
				}
				if _, err := sp.t.Write([]byte("x")); !errors.Is(err, tc.wantWrite) {
					t.Errorf("Write after the loss: %v, want %v", err, tc.wantWrite)
				}
				if err := cl.waitLost(c); err != nil {
					return err
				}
				return closeServer(c, srv)
			})
		})
	}
}

// panicky is a tproto whose method named in panics after recording.
type panicky struct {
	*tproto
	in string
}

var errBoom = errors.New("boom")

func (p *panicky) maybePanic(method string) {
	if p.in == method {
		panic(errBoom)
	}
}

func (p *panicky) ConnectionMade(t *stream.Transport) {
	p.tproto.ConnectionMade(t)
	p.maybePanic("connection_made")
}

func (p *panicky) DataReceived(data []byte) {
	p.tproto.DataReceived(data)
	p.maybePanic("data_received")
}

func (p *panicky) EOFReceived() bool {
	p.tproto.EOFReceived()
	p.maybePanic("eof_received")
	return true
}

func (p *panicky) ConnectionLost(err error) {
	p.tproto.ConnectionLost(err)
	p.maybePanic("connection_lost")
}

func (p *panicky) PauseWriting() {
	p.tproto.PauseWriting()
	p.maybePanic("pause_writing")
}

func (p *panicky) ResumeWriting() {
	p.tproto.ResumeWriting()
	p.maybePanic("resume_writing")
}

// TestProtocolPanics: a panic in each callback of a server's protocol goes
// to the exception handler, and the loop runs on. A panic in
// DataReceived or EOFReceived closes the transport with the panic
// (asyncio's _fatal_error); elsewhere the connection carries on, and a
// panicking ConnectionLost still has its socket closed (checked by the
// descriptor check).
func TestProtocolPanics(t *testing.T) {
	all := []string{"connection_made", "data_received", "pause_writing", "resume_writing", "eof_received", "connection_lost <nil>"}
	panicLost := "connection_lost panic: boom"
	for _, tc := range []struct {
		in         string
		wantReport string // the exception handler's message (a prefix)
		wantEvents []string
	}{
		{"connection_made", "Exception in callback", all},
		{"data_received", "Fatal error: protocol.data_received() call failed.", []string{"connection_made", "data_received", panicLost}},
		{"pause_writing", "protocol.pause_writing() failed", all},
		{"resume_writing", "protocol.resume_writing() failed", all},
		{"eof_received", "Fatal error: protocol.eof_received() call failed.", append(all[:5:5], panicLost)},
		{"connection_lost", "Exception in callback", all},
	} {
		t.Run(tc.in, func(t *testing.T) {
			run(t, func(c *task.Coro) error {
				l := c.Loop()
				var reports []loop.ExceptionContext
				prev := l.ExceptionHandler()
				l.SetExceptionHandler(func(_ *loop.Loop, ctx loop.ExceptionContext) { reports = append(reports, ctx) })
				defer l.SetExceptionHandler(prev)

				var sp *panicky
				srv, err := stream.CreateServer(c, "tcp", "127.0.0.1:0", func() stream.Protocol {
					sp = &panicky{tproto: newTproto(l), in: tc.in}
					return sp
				})
				if err != nil {
					return err
				}
				cl, err := dialT(c, srv, nil)
				if err != nil {
					return err
				}
				for sp == nil || !sp.made {
					c.Yield()
				}
				// data_received
				cl.t.Write([]byte("ping"))
				if err := sp.wait(c, func() bool { return len(sp.got) == 4 || sp.lost }); err != nil {
					return err
				}
				if !sp.t.IsClosing() {
					// pause_writing, with a client that does not read
					cl.t.PauseReading()
					if _, err := fill(sp.t, 64<<10); err != nil {
						return err
					}
					// resume_writing
					cl.t.ResumeReading()
					if err := sp.wait(c, func() bool { return !sp.paused }); err != nil {
						return err
					}
					// eof_received, which keeps the connection open
					cl.t.WriteEOF()
					if err := sp.wait(c, func() bool { return len(sp.events) == 5 }); err != nil {
						return err
					}
					sp.t.Close()
				}
				if err := sp.waitLost(c); err != nil {
					return err
				}
				if err := cl.waitLost(c); err != nil {
					return err
				}
				if diff := cmp.Diff(tc.wantEvents, sp.events); diff != "" {
					t.Errorf("server events (-want +got):\n%s", diff)
				}
				if len(reports) != 1 || !strings.HasPrefix(reports[0].Message, tc.wantReport) || !errors.Is(reports[0].Err, errBoom) {
					t.Fatalf("exception handler calls %v, want one %q with the panic", reports, tc.wantReport)
				}
				var pe *loop.PanicError
				if !errors.As(reports[0].Err, &pe) {
					t.Errorf("reported %T, want a *loop.PanicError", reports[0].Err)
				}
				// The loop runs on, and so does the server.
				cl2, err := dialT(c, srv, nil)
				if err != nil {
					return err
				}
				cl2.t.Close()
				if err := cl2.waitLost(c); err != nil {
					return err
				}
				srv.CloseClients()
				return closeServer(c, srv)
			})
		})
	}
}

// TestProtocolServerClose: Close stops accepting but leaves connected
// protocols alone; WaitClosed waits until their connections are gone,
// whichever way they go.
func TestProtocolServerClose(t *testing.T) {
	const n = 3
	for _, tc := range []struct {
		name    string
		end     func(srv *stream.Server, clients []*tproto)
		wantErr error // the server protocols' ConnectionLost
	}{
		{"CloseClients", func(srv *stream.Server, _ []*tproto) { srv.CloseClients() }, nil},
		{"AbortClients", func(srv *stream.Server, _ []*tproto) { srv.AbortClients() }, nil},
		{"clients close", func(_ *stream.Server, clients []*tproto) {
			for _, cl := range clients {
				cl.t.Close()
			}
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run(t, func(c *task.Coro) error {
				l := c.Loop()
				srv, made, err := serveT(c, "tcp", "127.0.0.1:0", func(p *tproto) { p.echo = true })
				if err != nil {
					return err
				}
				addr := srv.Addrs()[0].String()
				var clients []*tproto
				for range n {
					cl, err := dialT(c, srv, nil)
					if err != nil {
						return err
					}
					clients = append(clients, cl)
				}
				var trace []string
				waiter := task.Spawn(l, func(c *task.Coro) (struct{}, error) {
					err := srv.WaitClosed(c)
					trace = append(trace, "WaitClosed returned")
					return struct{}{}, err
				})
				srv.Close()
				trace = append(trace, fmt.Sprintf("closed, serving %v", srv.IsServing()))
				// The connected clients are still served.
				for i, cl := range clients {
					fmt.Fprint(cl.t, i)
					if err := cl.wait(c, func() bool { return len(cl.got) > 0 || cl.lost }); err != nil {
						return err
					}
					if string(cl.got) != strconv.Itoa(i) {
						return fmt.Errorf("client %d: echo %q after the server's Close (lost: %v)", i, cl.got, cl.lost)
					}
				}
				trace = append(trace, "echoed")
				if _, _, err := stream.CreateConnection(c, "tcp", addr, func() stream.Protocol { return newTproto(l) }); !errors.Is(err, syscall.ECONNREFUSED) {
					t.Errorf("connecting to a closed server: %v, want ECONNREFUSED", err)
				}
				for range 5 {
					c.Yield()
				}
				trace = append(trace, fmt.Sprintf("waiter done: %v", waiter.Done()))
				tc.end(srv, clients)
				if err := c.Await(waiter); err != nil {
					return err
				}
				want := []string{"closed, serving false", "echoed", "waiter done: false", "WaitClosed returned"}
				if diff := cmp.Diff(want, trace); diff != "" {
					t.Errorf("trace (-want +got):\n%s", diff)
				}
				for i, sp := range *made {
					if !sp.lost || sp.lostErr != nil {
						t.Errorf("server protocol %d: lost %v with %v, want lost with nil", i, sp.lost, sp.lostErr)
					}
				}
				for _, cl := range clients {
					if err := cl.waitLost(c); err != nil {
						return err
					}
				}
				return nil
			})
		})
	}
}

// TestProtocolManyClients: 1,000 protocol clients connected at once, each
// exchanging a line with an echo protocol.
func TestProtocolManyClients(t *testing.T) {
	n := 1000
	if testing.Short() {
		n = 100
	}
	run(t, func(c *task.Coro) error {
		l := c.Loop()
		srv, made, err := serveT(c, "tcp", "127.0.0.1:0", func(p *tproto) { p.echo = true }, stream.WithBacklog(n))
		if err != nil {
			return err
		}
		clients := make([]*task.Task[int], n)
		connected := 0
		allConnected := future.New[struct{}](l)
		for i := range clients {
			clients[i] = task.Spawn(l, func(c *task.Coro) (int, error) {
				cl, err := dialT(c, srv, nil)
				if err != nil {
					return 0, err
				}
				if connected++; connected == n {
					allConnected.SetResult(struct{}{})
				}
				if err := c.Await(allConnected); err != nil { // all open at once
					return 0, err
				}
				fmt.Fprintf(cl.t, "%d\n", i)
				if err := cl.wait(c, func() bool { return bytes.HasSuffix(cl.got, []byte("\n")) || cl.lost }); err != nil {
					return 0, err
				}
				cl.t.Close()
				if err := cl.waitLost(c); err != nil {
					return 0, err
				}
				return strconv.Atoi(strings.TrimSpace(string(cl.got)))
			})
		}
		for i, cl := range clients {
			got, err := task.Await(c, cl)
			if err != nil {
				return fmt.Errorf("client %d: %w", i, err)
			}
			if got != i {
				t.Errorf("client %d got %d back", i, got)
			}
		}
		if len(*made) != n {
			t.Errorf("the server made %d protocols, want %d", len(*made), n)
		}
		return closeServer(c, srv)
	})
}

// TestProtocolTransportInfo: a transport's addresses, loop, protocol and
// socket, before and after the connection goes; SetProtocol; a Writer's
// transport.
func TestProtocolTransportInfo(t *testing.T) {
	run(t, func(c *task.Coro) error {
		l := c.Loop()
		srv, made, err := serveT(c, "tcp", "127.0.0.1:0", nil)
		if err != nil {
			return err
		}
		cl, err := dialT(c, srv, nil)
		if err != nil {
			return err
		}
		sp, err := last(c, made, 1)
		if err != nil {
			return err
		}
		ct, st := cl.t, sp.t
		if ct.Loop() != l {
			t.Error("Loop() is not the loop")
		}
		if ct.Protocol() != stream.Protocol(cl) {
			t.Error("Protocol() is not the protocol")
		}
		if ct.LocalAddr().String() != st.RemoteAddr().String() || ct.RemoteAddr().String() != st.LocalAddr().String() ||
			st.LocalAddr().String() != srv.Addrs()[0].String() {
			t.Errorf("client %v → %v, server %v → %v", ct.LocalAddr(), ct.RemoteAddr(), st.LocalAddr(), st.RemoteAddr())
		}
		if ct.Socket() == nil || ct.Socket().FD() < 0 {
			t.Error("no open socket")
		}
		if !ct.CanWriteEOF() {
			t.Error("CanWriteEOF is false")
		}

		// SetProtocol: the new protocol gets what follows.
		other := newTproto(l)
		st.SetProtocol(other)
		fmt.Fprint(ct, "to the other")
		if err := other.wait(c, func() bool { return len(other.got) == len("to the other") || other.lost }); err != nil {
			return err
		}
		if len(sp.got) != 0 || len(other.events) != 1 || other.events[0] != "data_received" {
			t.Errorf("after SetProtocol: old got %q, new events %v", sp.got, other.events)
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Error("SetProtocol(nil) did not panic")
				}
			}()
			st.SetProtocol(nil)
		}()

		local := ct.LocalAddr().String()
		ct.Close()
		if err := cl.waitLost(c); err != nil {
			return err
		}
		if err := other.waitLost(c); err != nil {
			return err
		}
		if ct.Protocol() != nil {
			t.Error("Protocol() after ConnectionLost is not nil")
		}
		if ct.LocalAddr() == nil || ct.LocalAddr().String() != local {
			t.Errorf("LocalAddr after the connection went: %v, want %s", ct.LocalAddr(), local)
		}

		// A Writer's transport is its connection's.
		r, w, err := stream.OpenConnection(c, "127.0.0.1", srv.Addrs()[0].(*net.TCPAddr).Port)
		if err != nil {
			return err
		}
		wt := w.Transport()
		if wt.LocalAddr().String() != w.LocalAddr().String() || !wt.IsReading() {
			t.Errorf("Writer's transport: %v, reading %v", wt.LocalAddr(), wt.IsReading())
		}
		wt.Close()
		if !w.IsClosing() {
			t.Error("closing the Writer's transport does not close the Writer")
		}
		if _, err := r.Read(c, 1); err == nil {
			t.Error("Read on a closed connection succeeded")
		}
		srv.CloseClients()
		return closeServer(c, srv)
	})
}

// TestProtocolErrors: misuse and connection failures of CreateConnection
// and CreateServer.
func TestProtocolErrors(t *testing.T) {
	run(t, func(c *task.Coro) error {
		l := c.Loop()
		mk := func() stream.Protocol { return newTproto(l) }
		srv, err := stream.CreateServer(c, "tcp4", "127.0.0.1:0", mk)
		if err != nil {
			return err
		}
		addr := srv.Addrs()[0].String()
		for _, tc := range []struct {
			name             string
			network, address string
			factory          func() stream.Protocol
			wantIs           error // nil: any error
		}{
			{"unsupported network", "udp", addr, mk, nil},
			{"no port", "tcp", "127.0.0.1", mk, nil},
			{"bad port", "tcp", "127.0.0.1:http", mk, nil},
			{"port out of range", "tcp", "127.0.0.1:70000", mk, nil},
			{"IPv6 address on tcp4", "tcp4", "[::1]:80", mk, nil},
			{"nil factory", "tcp", addr, nil, stream.ErrNilProtocol},
			{"factory returns nil", "tcp", addr, func() stream.Protocol { return nil }, stream.ErrNilProtocol},
			{"refused", "unix", filepath.Join(t.TempDir(), "none"), mk, syscall.ENOENT},
		} {
			tr, p, err := stream.CreateConnection(c, tc.network, tc.address, tc.factory)
			if err == nil || tr != nil || p != nil || tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("CreateConnection %s: (%v, %v, %v), want an error matching %v", tc.name, tr, p, err, tc.wantIs)
			}
		}
		for _, tc := range []struct {
			name             string
			network, address string
			factory          func() stream.Protocol
			opts             []stream.Option
			wantIs           error
		}{
			{"unsupported network", "udp", "127.0.0.1:0", mk, nil, nil},
			{"address in use", "tcp", addr, mk, nil, syscall.EADDRINUSE},
			{"nil factory", "tcp", "127.0.0.1:0", nil, nil, stream.ErrNilProtocol},
			{"negative backlog", "tcp", "127.0.0.1:0", mk, []stream.Option{stream.WithBacklog(-1)}, nil},
		} {
			s, err := stream.CreateServer(c, tc.network, tc.address, tc.factory, tc.opts...)
			if err == nil || s != nil || tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("CreateServer %s: (%v, %v), want an error matching %v", tc.name, s, err, tc.wantIs)
			}
		}

		// A factory that panics: the socket is closed (the descriptor check
		// fails otherwise) and the panic goes on.
		tk := task.Spawn(l, func(c *task.Coro) (struct{}, error) {
			_, _, err := stream.CreateConnection(c, "tcp", addr, func() stream.Protocol { panic(errBoom) })
			return struct{}{}, err
		})
		var pe *loop.PanicError
		if err := c.Await(tk); !errors.As(err, &pe) || !errors.Is(err, errBoom) {
			t.Errorf("CreateConnection with a panicking factory: %v, want the panic", err)
		}
		srv.CloseClients()
		return closeServer(c, srv)
	})
}

// TestProtocolServerFactoryFails: a server factory that panics or returns
// nil is reported to the exception handler, the connection is closed, and
// the server goes on serving.
func TestProtocolServerFactoryFails(t *testing.T) {
	for _, tc := range []struct {
		name    string
		factory func() stream.Protocol
		wantIs  error
	}{
		{"panics", func() stream.Protocol { panic(errBoom) }, errBoom},
		{"returns nil", func() stream.Protocol { return nil }, stream.ErrNilProtocol},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run(t, func(c *task.Coro) error {
				l := c.Loop()
				var reports []string
				prev := l.ExceptionHandler()
				l.SetExceptionHandler(func(_ *loop.Loop, ctx loop.ExceptionContext) {
					if !errors.Is(ctx.Err, tc.wantIs) {
						t.Errorf("reported %v, want %v", ctx.Err, tc.wantIs)
					}
					reports = append(reports, ctx.Message)
				})
				defer l.SetExceptionHandler(prev)
				fail := true
				srv, err := stream.CreateServer(c, "tcp", "127.0.0.1:0", func() stream.Protocol {
					if fail {
						fail = false
						return tc.factory()
					}
					return &tproto{l: l, echo: true}
				})
				if err != nil {
					return err
				}
				cl, err := dialT(c, srv, nil)
				if err != nil {
					return err
				}
				if err := cl.waitLost(c); err != nil { // the server closed it
					return err
				}
				cl2, err := dialT(c, srv, nil)
				if err != nil {
					return err
				}
				fmt.Fprint(cl2.t, "still serving")
				if err := cl2.wait(c, func() bool { return len(cl2.got) == len("still serving") || cl2.lost }); err != nil {
					return err
				}
				if string(cl2.got) != "still serving" {
					t.Errorf("echo after the failed connection: %q", cl2.got)
				}
				cl2.t.Close()
				if err := cl2.waitLost(c); err != nil {
					return err
				}
				want := []string{"Error on transport creation for incoming connection"}
				if diff := cmp.Diff(want, reports); diff != "" {
					t.Errorf("reports (-want +got):\n%s", diff)
				}
				return closeServer(c, srv)
			})
		})
	}
}
