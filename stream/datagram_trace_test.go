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

	"github.com/goasyncio/goasyncio/aionet"
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/stream"
	"github.com/goasyncio/goasyncio/task"
)

// The flow-control part of datagram_order.py: n datagrams of dgSize bytes.
const (
	dgCount = 1000
	dgSize  = 1024
)

// dgExc formats err as testdata/datagram_order.py's describe does.
func dgExc(err error) string {
	if errors.Is(err, syscall.ECONNREFUSED) {
		return "ConnectionRefusedError"
	}
	return pyExc(err)
}

// pyNone formats a as Python prints an address that may be None; only
// None is printed by the trace.
func pyNone(a net.Addr) string {
	if a == nil {
		return "None"
	}
	return a.String()
}

func sameAddr(a, b net.Addr) bool { return a != nil && b != nil && a.String() == b.String() }

// dgServer is datagram_order.py's Server.
type dgServer struct {
	p          func(...any)
	clientAddr *net.Addr
	t          *stream.DatagramTransport
	lost       *future.Future[struct{}]
}

func (s *dgServer) ConnectionMade(t *stream.DatagramTransport) {
	s.p("server: connection_made")
	s.t = t
}

func (s *dgServer) DatagramReceived(data []byte, addr net.Addr) {
	s.p("server: datagram_received "+pyBytes(data)+" from client", pyBool(sameAddr(addr, *s.clientAddr)))
	if string(data) == "raise" {
		panic(pyError{"RuntimeError", "boom"})
	}
	s.t.SendTo([]byte(strings.ToUpper(string(data))), addr)
}

func (s *dgServer) ErrorReceived(err error) { s.p("server: error_received " + dgExc(err)) }

func (s *dgServer) ConnectionLost(err error) {
	s.p("server: connection_lost " + dgExc(err))
	s.lost.SetResult(struct{}{})
}

func (s *dgServer) PauseWriting()  {}
func (s *dgServer) ResumeWriting() {}

// dgClient is datagram_order.py's Client.
type dgClient struct {
	stream.BaseDatagramProtocol
	p           func(...any)
	name        string
	serverAddr  *net.Addr
	got         *future.Future[[]byte]
	error, lost *future.Future[struct{}]
}

func newDGClient(l *loop.Loop, p func(...any), name string, serverAddr *net.Addr) *dgClient {
	return &dgClient{p: p, name: name, serverAddr: serverAddr,
		error: future.New[struct{}](l), lost: future.New[struct{}](l)}
}

func (cl *dgClient) next(l *loop.Loop) *future.Future[[]byte] {
	cl.got = future.New[[]byte](l)
	return cl.got
}

func (cl *dgClient) ConnectionMade(*stream.DatagramTransport) { cl.p(cl.name + ": connection_made") }

func (cl *dgClient) DatagramReceived(data []byte, addr net.Addr) {
	cl.p(cl.name+": datagram_received "+pyBytes(data)+" from server", pyBool(sameAddr(addr, *cl.serverAddr)))
	if cl.got != nil && !cl.got.Done() {
		cl.got.SetResult([]byte(string(data))) // data is only valid during the call
	}
}

func (cl *dgClient) ErrorReceived(err error) {
	cl.p(cl.name + ": error_received " + dgExc(err))
	cl.error.SetResult(struct{}{})
}

func (cl *dgClient) ConnectionLost(err error) {
	cl.p(cl.name + ": connection_lost " + dgExc(err))
	cl.lost.SetResult(struct{}{})
}

// dgSink is datagram_order.py's Sink.
type dgSink struct {
	stream.BaseDatagramProtocol
	p        func(...any)
	received int
	inOrder  bool
	marker   *future.Future[int]
}

func (s *dgSink) ConnectionMade(*stream.DatagramTransport) { s.p("sink: connection_made") }

func (s *dgSink) DatagramReceived(data []byte, _ net.Addr) {
	if string(data) == "end" {
		s.p("sink: end, in order", pyBool(s.inOrder))
		s.marker.SetResult(s.received)
		s.received = 0
		return
	}
	if len(data) != dgSize || int(binary.BigEndian.Uint32(data)) != s.received {
		s.inOrder = false
	}
	s.received++
}

func (s *dgSink) ConnectionLost(err error) { s.p("sink: connection_lost " + dgExc(err)) }

// dgSource is datagram_order.py's Source.
type dgSource struct {
	stream.BaseDatagramProtocol
	p             func(...any)
	resumed, lost *future.Future[struct{}]
}

func (s *dgSource) ConnectionMade(*stream.DatagramTransport) { s.p("source: connection_made") }
func (s *dgSource) PauseWriting()                            { s.p("source: pause_writing") }

func (s *dgSource) ResumeWriting() {
	s.p("source: resume_writing")
	s.resumed.SetResult(struct{}{})
}

func (s *dgSource) ConnectionLost(err error) {
	s.p("source: connection_lost " + dgExc(err))
	s.lost.SetResult(struct{}{})
}

// TestDatagramTraceMatchesCPython ports testdata/datagram_order.py line
// for line: endpoints made by CreateDatagramEndpoint see connection_made,
// datagram_received, error_received, pause_writing, resume_writing and
// connection_lost in CPython 3.11's order, at the same loop iterations as
// a chain of ticking callbacks (testdata/datagram_order.expected): a UDP
// echo, a protocol that panics, a refused port, and flow control with
// close and abort over Unix-domain datagram sockets.
func TestDatagramTraceMatchesCPython(t *testing.T) {
	want, err := os.ReadFile("testdata/datagram_order.expected")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var out strings.Builder
	p := func(args ...any) { fmt.Fprintln(&out, args...) }
	run(t, func(c *task.Coro) error {
		l := c.Loop()
		prev := l.ExceptionHandler()
		l.SetExceptionHandler(func(_ *loop.Loop, ctx loop.ExceptionContext) {
			p("exception handler:", pyBool(strings.HasPrefix(ctx.Message, "Exception in callback")), pyExc(ctx.Err))
		})
		defer l.SetExceptionHandler(prev)

		var tick func(n, last int)
		tick = func(n, last int) {
			p("tick", n)
			if n < last {
				l.CallSoon(func() { tick(n+1, last) })
			}
		}
		await := func(f future.Awaitable) error { return c.Await(f) }

		// 1. Echo.
		l.CallSoon(func() { tick(0, 24) })
		var serverAddr, clientAddr net.Addr
		serverT, sp, err := stream.CreateDatagramEndpoint(c, "udp", func() stream.DatagramProtocol {
			return &dgServer{p: p, clientAddr: &clientAddr, lost: future.New[struct{}](l)}
		}, stream.WithLocalAddr("127.0.0.1:0"))
		if err != nil {
			return err
		}
		server := sp.(*dgServer)
		serverAddr = serverT.LocalAddr()
		p("server: created", pyBool(serverT.IsClosing()), pyNone(serverT.RemoteAddr()))
		clientT, cp, err := stream.CreateDatagramEndpoint(c, "udp", func() stream.DatagramProtocol {
			return newDGClient(l, p, "client", &serverAddr)
		}, stream.WithRemoteAddr(serverAddr.String()))
		if err != nil {
			return err
		}
		client := cp.(*dgClient)
		clientAddr = clientT.LocalAddr()
		p("client: created, peername is server", pyBool(sameAddr(clientT.RemoteAddr(), serverAddr)))
		gotNext := func() error {
			got, err := task.Await(c, client.next(l))
			if err != nil {
				return err
			}
			p("client: got", pyBytes(got))
			return nil
		}
		if err := clientT.SendTo([]byte("hello"), nil); err != nil {
			return err
		}
		p("client: sent")
		if err := gotNext(); err != nil {
			return err
		}
		if err := clientT.SendTo([]byte("to"), serverAddr); err != nil {
			return err
		}
		if err := gotNext(); err != nil {
			return err
		}
		if err := clientT.SendTo([]byte("x"), &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9}); errors.Is(err, stream.ErrInvalidAddress) {
			p("client: sendto another address: ValueError")
		}
		clientT.SendTo(nil, nil)
		clientT.SendTo([]byte("after"), nil)
		if err := gotNext(); err != nil {
			return err
		}

		// 2. DatagramReceived panics.
		clientT.SendTo([]byte("raise"), nil)
		clientT.SendTo([]byte("again"), nil)
		if err := gotNext(); err != nil {
			return err
		}
		p("server: closing", pyBool(serverT.IsClosing()))

		// 3. A closed port.
		s, err := aionet.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		closedAddr := s.LocalAddr()
		s.Close()
		l.CallSoon(func() { tick(100, 106) })
		refusedT, rp, err := stream.CreateDatagramEndpoint(c, "udp", func() stream.DatagramProtocol {
			return newDGClient(l, p, "refused", &serverAddr)
		}, stream.WithRemoteAddr(closedAddr.String()))
		if err != nil {
			return err
		}
		refused := rp.(*dgClient)
		refusedT.SendTo([]byte("ping"), nil)
		p("refused: sent")
		if err := await(refused.error); err != nil {
			return err
		}
		p("refused: closing", pyBool(refusedT.IsClosing()))
		refusedT.Close()
		if err := await(refused.lost); err != nil {
			return err
		}

		// 4. Flow control.
		path := filepath.Join(dir, "sink")
		sinkT, skp, err := stream.CreateDatagramEndpoint(c, "unixgram", func() stream.DatagramProtocol {
			return &dgSink{p: p, inOrder: true}
		}, stream.WithLocalAddr(path))
		if err != nil {
			return err
		}
		sink := skp.(*dgSink)
		for _, mode := range []string{"close", "abort"} {
			sink.marker = future.New[int](l)
			sinkT.PauseReading()
			p("sink: paused reading, is_reading", pyBool(sinkT.IsReading()))
			srcT, srp, err := stream.CreateDatagramEndpoint(c, "unixgram", func() stream.DatagramProtocol {
				return &dgSource{p: p, resumed: future.New[struct{}](l), lost: future.New[struct{}](l)}
			}, stream.WithRemoteAddr(path))
			if err != nil {
				return err
			}
			src := srp.(*dgSource)
			if err := srcT.SetWriteBufferLimits(16<<10, 4<<10); err != nil {
				return err
			}
			low, high := srcT.WriteBufferLimits()
			p(fmt.Sprintf("source: limits (%d, %d)", low, high))
			msg := make([]byte, dgSize)
			for i := range dgCount {
				binary.BigEndian.PutUint32(msg, uint32(i))
				if err := srcT.SendTo(msg, nil); err != nil {
					return err
				}
			}
			p("source: sent, buffered more than high:", pyBool(srcT.WriteBufferSize() > 16<<10))
			if mode == "close" {
				srcT.Close()
				p("source: closing", pyBool(srcT.IsClosing()))
				sinkT.ResumeReading()
				if err := await(src.resumed); err != nil {
					return err
				}
				if err := await(src.lost); err != nil {
					return err
				}
			} else {
				srcT.Abort()
				p("source: aborted", pyBool(srcT.IsClosing()))
				if err := await(src.lost); err != nil {
					return err
				}
				sinkT.ResumeReading()
			}
			markerT, _, err := stream.CreateDatagramEndpoint(c, "unixgram", func() stream.DatagramProtocol {
				return stream.BaseDatagramProtocol{}
			})
			if err != nil {
				return err
			}
			markerT.SendTo([]byte("end"), &net.UnixAddr{Name: path, Net: "unixgram"})
			received, err := task.Await(c, sink.marker)
			if err != nil {
				return err
			}
			p("sink: received some", pyBool(received > 0), "all", pyBool(received == dgCount))
			markerT.Close()
		}
		sinkT.Close()
		os.Remove(path)

		// 5. Close.
		clientT.Close()
		serverT.Close()
		p("closing", pyBool(clientT.IsClosing()), pyBool(serverT.IsClosing()))
		if err := await(client.lost); err != nil {
			return err
		}
		if err := await(server.lost); err != nil {
			return err
		}
		return c.Yield()
	})
	if diff := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(out.String(), "\n")); diff != "" {
		t.Errorf("trace differs from CPython's (-want +got):\n%s", diff)
	}
}
