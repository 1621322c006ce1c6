//go:build unix

package stream_test

import (
	"errors"
	"fmt"
	"os"
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

// pyError is a Go error standing for a Python exception, to panic with.
type pyError struct{ typ, msg string }

func (e pyError) Error() string { return e.msg }

// pyExc formats err as testdata/protocol_order.py's describe formats an
// exception.
func pyExc(err error) string {
	var pe pyError
	switch {
	case err == nil:
		return "None"
	case errors.Is(err, syscall.ECONNRESET):
		return "ConnectionResetError"
	case errors.As(err, &pe):
		return fmt.Sprintf("%s('%s')", pe.typ, pe.msg)
	}
	return err.Error()
}

// traceTotal is how much the flow-control part writes: far more than the
// socket buffers hold.
const traceTotal = 64 << 20

// traceServer is protocol_order.py's Server.
type traceServer struct {
	p                 func(...any)
	servers           *[]*traceServer
	mode              string
	t                 *stream.Transport
	received          int
	lost, allReceived *future.Future[struct{}]
}

func (s *traceServer) ConnectionMade(t *stream.Transport) {
	s.p("server: connection_made")
	s.t = t
	*s.servers = append(*s.servers, s)
	if s.mode == "bulk" {
		t.PauseReading()
		s.p("server: paused reading, is_reading", pyBool(t.IsReading()))
	}
}

func (s *traceServer) DataReceived(data []byte) {
	switch s.mode {
	case "bulk":
		s.received += len(data)
		if s.received == traceTotal {
			s.p("server: received all", s.received, "bytes")
			s.allReceived.SetResult(struct{}{})
		}
		return
	case "raise":
		s.p("server: data_received " + pyBytes(data) + ", raising")
		panic(pyError{"RuntimeError", "boom"})
	}
	s.p("server: data_received " + pyBytes(data))
	s.t.Write([]byte(strings.ToUpper(string(data))))
}

func (s *traceServer) EOFReceived() bool {
	s.p("server: eof_received")
	if s.mode == "echo" {
		s.t.Write([]byte("bye"))
		s.t.Close()
		return true
	}
	return false
}

func (s *traceServer) ConnectionLost(err error) {
	s.p("server: connection_lost " + pyExc(err))
	s.lost.SetResult(struct{}{})
}

func (s *traceServer) PauseWriting()  {}
func (s *traceServer) ResumeWriting() {}

// traceClient is protocol_order.py's Client.
type traceClient struct {
	p             func(...any)
	got           *future.Future[[]byte]
	resumed, lost *future.Future[struct{}]
}

func (cl *traceClient) ConnectionMade(*stream.Transport) { cl.p("client: connection_made") }

func (cl *traceClient) DataReceived(data []byte) {
	cl.p("client: data_received " + pyBytes(data))
	if !cl.got.Done() {
		cl.got.SetResult([]byte(string(data))) // data is only valid during the call
	}
}

func (cl *traceClient) EOFReceived() bool {
	cl.p("client: eof_received")
	return false // Python's None: the transport closes itself
}

func (cl *traceClient) ConnectionLost(err error) {
	cl.p("client: connection_lost " + pyExc(err))
	cl.lost.SetResult(struct{}{})
}

func (cl *traceClient) PauseWriting() { cl.p("client: pause_writing") }

func (cl *traceClient) ResumeWriting() {
	cl.p("client: resume_writing")
	cl.resumed.SetResult(struct{}{})
}

// TestProtocolTraceMatchesCPython ports testdata/protocol_order.py line for
// line: protocols made by CreateServer and CreateConnection see
// connection_made, data_received, eof_received, connection_lost,
// pause_writing and resume_writing in CPython 3.11's order, at the same
// loop iterations as a chain of ticking callbacks
// (testdata/protocol_order.expected): echo and half-close, flow control
// with a server that pauses reading, a peer's reset, and a protocol that
// panics.
func TestProtocolTraceMatchesCPython(t *testing.T) {
	want, err := os.ReadFile("testdata/protocol_order.expected")
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	p := func(args ...any) { fmt.Fprintln(&out, args...) }
	run(t, func(c *task.Coro) error {
		l := c.Loop()
		prev := l.ExceptionHandler()
		l.SetExceptionHandler(func(_ *loop.Loop, ctx loop.ExceptionContext) {
			p("exception handler:", ctx.Message, pyExc(ctx.Err))
		})
		defer l.SetExceptionHandler(prev)

		mode := "echo"
		var servers []*traceServer
		srv, err := stream.CreateServer(c, "tcp", "127.0.0.1:0", func() stream.Protocol {
			return &traceServer{p: p, servers: &servers, mode: mode,
				lost: future.New[struct{}](l), allReceived: future.New[struct{}](l)}
		})
		if err != nil {
			return err
		}
		addr := srv.Addrs()[0].String()
		p("serving", pyBool(srv.IsServing()))
		newClient := func() *traceClient {
			return &traceClient{p: p, got: future.New[[]byte](l),
				resumed: future.New[struct{}](l), lost: future.New[struct{}](l)}
		}
		connect := func() (*stream.Transport, *traceClient, error) {
			tr, proto, err := stream.CreateConnection(c, "tcp", addr, func() stream.Protocol { return newClient() })
			if err != nil {
				return nil, nil, err
			}
			return tr, proto.(*traceClient), nil
		}

		// 1. Echo and half-close.
		var tick func(n int)
		tick = func(n int) {
			p("tick", n)
			if n < 16 {
				l.CallSoon(func() { tick(n + 1) })
			}
		}
		l.CallSoon(func() { tick(0) })
		tr, client, err := connect()
		if err != nil {
			return err
		}
		p("client: connected", pyBool(tr.IsReading()), pyBool(tr.CanWriteEOF()))
		tr.Write([]byte("hello"))
		p("client: wrote")
		got, err := task.Await(c, client.got)
		if err != nil {
			return err
		}
		p("client: got", pyBytes(got))
		tr.WriteEOF()
		p("client: wrote eof", pyBool(tr.IsClosing()))
		if err := c.Await(client.lost); err != nil {
			return err
		}
		p("client: closing", pyBool(tr.IsClosing()))
		if err := c.Await(servers[len(servers)-1].lost); err != nil {
			return err
		}
		for range 4 { // let the ticks run out
			if err := c.Yield(); err != nil {
				return err
			}
		}

		// 2. Flow control.
		mode = "bulk"
		if tr, client, err = connect(); err != nil {
			return err
		}
		if err := c.Yield(); err != nil { // let the server's ConnectionMade run
			return err
		}
		sp := servers[len(servers)-1]
		if err := tr.SetWriteBufferLimits(64<<10, 16<<10); err != nil {
			return err
		}
		low, high := tr.WriteBufferLimits()
		p("client: limits", "("+strconv.Itoa(low)+", "+strconv.Itoa(high)+")")
		if _, err := tr.Write(make([]byte, traceTotal)); err != nil {
			return err
		}
		p("client: wrote, buffered more than high:", pyBool(tr.WriteBufferSize() > 64<<10))
		sp.t.ResumeReading()
		p("server: resumed reading, is_reading", pyBool(sp.t.IsReading()))
		if err := c.Await(client.resumed); err != nil {
			return err
		}
		p("client: resumed, buffered at most low:", pyBool(tr.WriteBufferSize() <= 16<<10))
		if err := c.Await(sp.allReceived); err != nil {
			return err
		}
		tr.Close()
		p("client: closing", pyBool(tr.IsClosing()))
		if err := c.Await(client.lost); err != nil {
			return err
		}
		if err := c.Await(sp.lost); err != nil {
			return err
		}

		// 3. A peer that resets its connection.
		mode = "reset"
		if tr, client, err = connect(); err != nil {
			return err
		}
		if err := c.Yield(); err != nil {
			return err
		}
		sp = servers[len(servers)-1]
		if err := unix.SetsockoptLinger(tr.Socket().FD(), unix.SOL_SOCKET, unix.SO_LINGER, &unix.Linger{Onoff: 1, Linger: 0}); err != nil {
			return err
		}
		tr.Abort()
		p("client: aborted", pyBool(tr.IsClosing()))
		if err := c.Await(client.lost); err != nil {
			return err
		}
		if err := c.Await(sp.lost); err != nil {
			return err
		}

		// 4. DataReceived panics.
		mode = "raise"
		if tr, client, err = connect(); err != nil {
			return err
		}
		tr.Write([]byte("hi"))
		if err := c.Await(client.lost); err != nil {
			return err
		}
		if err := c.Await(servers[len(servers)-1].lost); err != nil {
			return err
		}
		p("loop still running")

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
