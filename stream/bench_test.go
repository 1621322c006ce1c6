//go:build unix

package stream_test

import (
	"io"
	"net"
	"testing"

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
