//go:build unix

package stream_test

import (
	"io"
	"net"
	"testing"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/stream"
	"github.com/goasyncio/goasyncio/task"
)

const benchMsg = 100

// BenchmarkEchoRoundTrip: one 100-byte message to an echo server and back
// over loopback TCP, client and server as tasks on one loop (the server as
// in bench/echo: Read up to 1 MB, Write it back).
func BenchmarkEchoRoundTrip(b *testing.B) {
	b.ReportAllocs()
	_, err := task.RunOn(loop.New(), func(c *task.Coro) (struct{}, error) {
		srv, err := stream.StartServer(c, func(c *task.Coro, r *stream.Reader, w *stream.Writer) error {
			defer w.Close()
			for {
				data, err := r.Read(c, 1000000)
				if err != nil {
					return nil
				}
				w.Write(data)
			}
		}, "127.0.0.1", 0)
		if err != nil {
			return struct{}{}, err
		}
		defer srv.Close()
		r, w, err := stream.OpenConnection(c, "127.0.0.1", srv.Addrs()[0].(*net.TCPAddr).Port)
		if err != nil {
			return struct{}{}, err
		}
		defer w.Close()
		msg := make([]byte, benchMsg)
		b.ResetTimer()
		for range b.N {
			w.Write(msg)
			if _, err := r.ReadExactly(c, benchMsg); err != nil {
				return struct{}{}, err
			}
		}
		b.StopTimer()
		return struct{}{}, nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// pingProtocol sends a message, waits for all of it to come back, and
// sends it again, n times; then it completes done.
type pingProtocol struct {
	stream.BaseProtocol
	t      *stream.Transport
	msg    []byte
	got, n int
	done   *future.Future[struct{}]
}

func (p *pingProtocol) ConnectionMade(t *stream.Transport) { p.t = t }

func (p *pingProtocol) DataReceived(data []byte) {
	if p.got += len(data); p.got < len(p.msg) {
		return
	}
	p.got = 0
	if p.n--; p.n > 0 {
		p.t.Write(p.msg)
	} else {
		p.done.SetResult(struct{}{})
	}
}

// BenchmarkProtocolEchoRoundTrip: the same round trip with protocols
// (CreateServer, CreateConnection): callbacks only, no task switches.
func BenchmarkProtocolEchoRoundTrip(b *testing.B) {
	b.ReportAllocs()
	_, err := task.RunOn(loop.New(), func(c *task.Coro) (struct{}, error) {
		srv, err := stream.CreateServer(c, "tcp", "127.0.0.1:0", func() stream.Protocol { return &echoProtocol{} })
		if err != nil {
			return struct{}{}, err
		}
		defer srv.Close()
		p := &pingProtocol{msg: make([]byte, benchMsg), n: b.N, done: future.New[struct{}](c.Loop())}
		t, _, err := stream.CreateConnection(c, "tcp", srv.Addrs()[0].String(), func() stream.Protocol { return p })
		if err != nil {
			return struct{}{}, err
		}
		defer t.Close()
		b.ResetTimer()
		t.Write(p.msg)
		err = c.Await(p.done)
		b.StopTimer()
		return struct{}{}, err
	})
	if err != nil {
		b.Fatal(err)
	}
}

// echoProtocol writes back what it receives.
type echoProtocol struct {
	stream.BaseProtocol
	t *stream.Transport
}

func (e *echoProtocol) ConnectionMade(t *stream.Transport) { e.t = t }
func (e *echoProtocol) DataReceived(data []byte)           { e.t.Write(data) }

// BenchmarkEchoRoundTripGoNet is the plain-Go baseline: the same round
// trip with package net, a goroutine serving the connection.
func BenchmarkEchoRoundTripGoNet(b *testing.B) {
	b.ReportAllocs()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	done := make(chan struct{})
	go func() {
		defer close(done)
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		buf := make([]byte, 64<<10)
		for {
			n, err := conn.Read(buf)
			if err != nil {
				return
			}
			conn.Write(buf[:n])
		}
	}()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	msg, buf := make([]byte, benchMsg), make([]byte, benchMsg)
	b.ResetTimer()
	for range b.N {
		conn.Write(msg)
		if _, err := io.ReadFull(conn, buf); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	conn.Close()
	<-done
}
