//go:build unix

package stream_test

import (
	"net"
	"testing"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/stream"
	"github.com/goasyncio/goasyncio/task"
)

// dgPing sends a datagram, waits for the answer, and sends it again, n
// times; then it completes done.
type dgPing struct {
	stream.BaseDatagramProtocol
	t    *stream.DatagramTransport
	msg  []byte
	n    int
	done *future.Future[struct{}]
}

func (p *dgPing) ConnectionMade(t *stream.DatagramTransport) { p.t = t }

func (p *dgPing) DatagramReceived([]byte, net.Addr) {
	if p.n--; p.n > 0 {
		p.t.SendTo(p.msg, nil)
	} else {
		p.done.SetResult(struct{}{})
	}
}

// dgEchoProtocol sends each datagram back to its sender.
type dgEchoProtocol struct {
	stream.BaseDatagramProtocol
	t *stream.DatagramTransport
}

func (e *dgEchoProtocol) ConnectionMade(t *stream.DatagramTransport)  { e.t = t }
func (e *dgEchoProtocol) DatagramReceived(data []byte, addr net.Addr) { e.t.SendTo(data, addr) }

// BenchmarkDatagramEchoRoundTrip: one 100-byte datagram to a UDP echo
// endpoint and back over loopback, both endpoints made by
// CreateDatagramEndpoint on one loop (the client connected): callbacks
// only, no task switches. Compare aionet's BenchmarkUDPRoundTrip (tasks
// on RecvFromInto and SendTo) and the plain-Go baseline below.
func BenchmarkDatagramEchoRoundTrip(b *testing.B) {
	b.ReportAllocs()
	_, err := task.RunOn(loop.New(), func(c *task.Coro) (struct{}, error) {
		st, _, err := stream.CreateDatagramEndpoint(c, "udp4", func() stream.DatagramProtocol { return &dgEchoProtocol{} },
			stream.WithLocalAddr("127.0.0.1:0"))
		if err != nil {
			return struct{}{}, err
		}
		defer st.Close()
		p := &dgPing{msg: make([]byte, benchMsg), n: b.N, done: future.New[struct{}](c.Loop())}
		ct, _, err := stream.CreateDatagramEndpoint(c, "udp4", func() stream.DatagramProtocol { return p },
			stream.WithRemoteAddr(st.LocalAddr().String()))
		if err != nil {
			return struct{}{}, err
		}
		defer ct.Close()
		b.ResetTimer()
		ct.SendTo(p.msg, nil)
		err = c.Await(p.done)
		b.StopTimer()
		return struct{}{}, err
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkDatagramEchoRoundTripGoNet is the plain-Go baseline: the same
// round trip with package net, a goroutine serving the echo and the
// client connected.
func BenchmarkDatagramEchoRoundTripGoNet(b *testing.B) {
	b.ReportAllocs()
	srv, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 1500)
		for {
			n, from, err := srv.ReadFromUDPAddrPort(buf)
			if err != nil {
				return // closed at the end
			}
			if _, err := srv.WriteToUDPAddrPort(buf[:n], from); err != nil {
				return
			}
		}
	}()
	cli, err := net.DialUDP("udp4", nil, srv.LocalAddr().(*net.UDPAddr))
	if err != nil {
		srv.Close()
		b.Fatal(err)
	}
	defer cli.Close()
	msg, buf := make([]byte, benchMsg), make([]byte, 1500)
	b.ResetTimer()
	for range b.N {
		if _, err := cli.Write(msg); err != nil {
			b.Fatal(err)
		}
		if _, err := cli.Read(buf); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	srv.Close()
	<-done
}
