//go:build unix

package aionet_test

import (
	"net"
	"testing"

	"github.com/goasyncio/goasyncio/aionet"
	"github.com/goasyncio/goasyncio/loop"
	"github.com/goasyncio/goasyncio/task"
)

const benchDatagram = 64

// BenchmarkUDPRoundTrip: one 64-byte datagram to an echo server and back
// over loopback UDP, client and server as tasks on one loop (on real
// time: loop.New). Each side waits for its datagram in the loop's poller,
// as asyncio's sock_recvfrom does when the datagram is not there yet.
func BenchmarkUDPRoundTrip(b *testing.B) {
	b.ReportAllocs()
	_, err := task.RunOn(loop.New(), func(c *task.Coro) (struct{}, error) {
		srv, err := aionet.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			return struct{}{}, err
		}
		defer srv.Close()
		cli, err := aionet.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			return struct{}{}, err
		}
		defer cli.Close()
		server := task.Spawn(c.Loop(), func(c *task.Coro) (struct{}, error) {
			buf := make([]byte, 1500)
			for {
				n, from, err := srv.RecvFromInto(c, buf)
				if err != nil {
					return struct{}{}, nil // closed at the end
				}
				if err := srv.SendTo(c, buf[:n], from); err != nil {
					return struct{}{}, err
				}
			}
		})
		msg := make([]byte, benchDatagram)
		buf := make([]byte, 1500)
		to := srv.LocalAddr()
		b.ResetTimer()
		for range b.N {
			if err := cli.SendTo(c, msg, to); err != nil {
				return struct{}{}, err
			}
			if _, _, err := cli.RecvFromInto(c, buf); err != nil {
				return struct{}{}, err
			}
		}
		b.StopTimer()
		srv.Close() // fails the server's waiting RecvFromInto
		return struct{}{}, c.Await(server)
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkUDPRoundTripGoNet is the plain-Go baseline: the same round
// trip with package net, a goroutine per side.
func BenchmarkUDPRoundTripGoNet(b *testing.B) {
	b.ReportAllocs()
	srv, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		b.Fatal(err)
	}
	cli, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		srv.Close()
		b.Fatal(err)
	}
	defer cli.Close()
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
	msg := make([]byte, benchDatagram)
	buf := make([]byte, 1500)
	to := srv.LocalAddr().(*net.UDPAddr).AddrPort()
	b.ResetTimer()
	for range b.N {
		if _, err := cli.WriteToUDPAddrPort(msg, to); err != nil {
			b.Fatal(err)
		}
		if _, _, err := cli.ReadFromUDPAddrPort(buf); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	srv.Close()
	<-done
}
