//go:build unix

package stream_test

import (
	"fmt"
	"net"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/stream"
	"github.com/goasyncio/goasyncio/task"
)

// udpEchoServer is asyncio's EchoServerProtocol for UDP: it sends each
// datagram back to where it came from.
type udpEchoServer struct {
	stream.BaseDatagramProtocol // the methods it does not need do nothing
	t                           *stream.DatagramTransport
}

func (e *udpEchoServer) ConnectionMade(t *stream.DatagramTransport) { e.t = t }

func (e *udpEchoServer) DatagramReceived(data []byte, addr net.Addr) {
	fmt.Printf("server received %q\n", data)
	e.t.SendTo(data, addr) // SendTo copies what it buffers: data is only valid during the call
}

// udpEchoClient is asyncio's EchoClientProtocol for UDP: it sends a
// message, prints the answer and closes its endpoint, then completes done.
type udpEchoClient struct {
	stream.BaseDatagramProtocol
	t       *stream.DatagramTransport
	message string
	done    *future.Future[struct{}]
}

func (e *udpEchoClient) ConnectionMade(t *stream.DatagramTransport) {
	e.t = t
	t.SendTo([]byte(e.message), nil) // nil: to the remote address
}

func (e *udpEchoClient) DatagramReceived(data []byte, _ net.Addr) {
	fmt.Printf("client received %q\n", data)
	e.t.Close()
}

func (e *udpEchoClient) ErrorReceived(err error) { fmt.Println("client: error received:", err) }

func (e *udpEchoClient) ConnectionLost(err error) {
	fmt.Println("client: connection lost:", err)
	e.done.SetResult(struct{}{})
}

// A UDP echo server and client on 127.0.0.1 (asyncio's
// loop.create_datagram_endpoint with asyncio.DatagramProtocol): the server
// binds a local address, the client connects to it.
func ExampleCreateDatagramEndpoint() {
	task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
		server, _, err := stream.CreateDatagramEndpoint(c, "udp", func() stream.DatagramProtocol { return &udpEchoServer{} },
			stream.WithLocalAddr("127.0.0.1:0"))
		if err != nil {
			return struct{}{}, err
		}
		defer server.Close()

		client := &udpEchoClient{message: "Hello World!", done: future.New[struct{}](c.Loop())}
		_, _, err = stream.CreateDatagramEndpoint(c, "udp", func() stream.DatagramProtocol { return client },
			stream.WithRemoteAddr(server.LocalAddr().String()))
		if err != nil {
			return struct{}{}, err
		}
		return struct{}{}, c.Await(client.done)
	})
	// Output:
	// server received "Hello World!"
	// client received "Hello World!"
	// client: connection lost: <nil>
}
