//go:build unix

package aionet_test

import (
	"bytes"
	"fmt"
	"io"

	"github.com/goasyncio/goasyncio/aionet"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

// A server task and a client on one loop, with asyncio's sock_* calls: the
// server upper-cases what it receives until the client shuts down its side.
func Example() {
	task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
		ln, err := aionet.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return struct{}{}, err
		}
		defer ln.Close()
		server := task.Spawn(c.Loop(), func(c *task.Coro) (struct{}, error) {
			conn, _, err := ln.Accept(c)
			if err != nil {
				return struct{}{}, err
			}
			defer conn.Close()
			for {
				data, err := conn.Recv(c, 1024)
				if err == io.EOF {
					return struct{}{}, nil
				}
				if err != nil {
					return struct{}{}, err
				}
				if err := conn.SendAll(c, bytes.ToUpper(data)); err != nil {
					return struct{}{}, err
				}
			}
		})

		cli, err := aionet.NewSocket("tcp")
		if err != nil {
			return struct{}{}, err
		}
		defer cli.Close()
		if err := cli.Connect(c, ln.LocalAddr().String()); err != nil {
			return struct{}{}, err
		}
		cli.SendAll(c, []byte("hello, "))
		cli.SendAll(c, []byte("sockets"))
		cli.CloseWrite()
		var reply []byte
		for {
			b, err := cli.Recv(c, 1024)
			if err == io.EOF {
				break
			}
			reply = append(reply, b...)
		}
		fmt.Println(string(reply))
		return struct{}{}, c.Await(server)
	})
	// Output: HELLO, SOCKETS
}

// An echo over UDP on 127.0.0.1: the server replies to the address each
// datagram came from, as asyncio's sock_recvfrom and sock_sendto do.
func ExampleSocket_RecvFrom() {
	task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
		srv, err := aionet.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			return struct{}{}, err
		}
		defer srv.Close()
		server := task.Spawn(c.Loop(), func(c *task.Coro) (struct{}, error) {
			for range 2 {
				data, from, err := srv.RecvFrom(c, 1500)
				if err != nil {
					return struct{}{}, err
				}
				if err := srv.SendTo(c, bytes.ToUpper(data), from); err != nil {
					return struct{}{}, err
				}
			}
			return struct{}{}, nil
		})

		cli, err := aionet.NewSocket("udp")
		if err != nil {
			return struct{}{}, err
		}
		defer cli.Close()
		for _, msg := range []string{"hello", "datagrams"} {
			if err := cli.SendTo(c, []byte(msg), srv.LocalAddr()); err != nil {
				return struct{}{}, err
			}
			reply, from, err := cli.RecvFrom(c, 1500)
			if err != nil {
				return struct{}{}, err
			}
			fmt.Printf("%s from the server: %v\n", reply, from.String() == srv.LocalAddr().String())
		}
		return struct{}{}, c.Await(server)
	})
	// Output:
	// HELLO from the server: true
	// DATAGRAMS from the server: true
}
