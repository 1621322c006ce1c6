//go:build unix

package stream_test

import (
	"fmt"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/stream"
	"github.com/goasyncio/goasyncio/task"
)

// echoServer is asyncio's EchoServerProtocol: it sends back what it
// receives, then closes the connection.
type echoServer struct {
	stream.BaseProtocol // the methods it does not need do nothing
	t                   *stream.Transport
}

func (e *echoServer) ConnectionMade(t *stream.Transport) { e.t = t }

func (e *echoServer) DataReceived(data []byte) {
	fmt.Printf("server received %q\n", data)
	e.t.Write(data) // Write copies what it buffers: data is only valid during the call
	e.t.Close()
}

// echoClient is asyncio's EchoClientProtocol: it sends a message, prints
// the answer, and completes done when the connection is gone.
type echoClient struct {
	stream.BaseProtocol
	message string
	done    *future.Future[struct{}]
}

func (e *echoClient) ConnectionMade(t *stream.Transport) { t.Write([]byte(e.message)) }

func (e *echoClient) DataReceived(data []byte) { fmt.Printf("client received %q\n", data) }

func (e *echoClient) ConnectionLost(err error) {
	fmt.Println("client: connection lost:", err)
	e.done.SetResult(struct{}{})
}

// A TCP echo server and client written with protocols (asyncio's
// loop.create_server and loop.create_connection with asyncio.Protocol).
func ExampleCreateServer() {
	task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
		srv, err := stream.CreateServer(c, "tcp", "127.0.0.1:0", func() stream.Protocol { return &echoServer{} })
		if err != nil {
			return struct{}{}, err
		}
		defer srv.Close()

		client := &echoClient{message: "Hello World!", done: future.New[struct{}](c.Loop())}
		_, _, err = stream.CreateConnection(c, "tcp", srv.Addrs()[0].String(), func() stream.Protocol { return client })
		if err != nil {
			return struct{}{}, err
		}
		// The server closes the connection; the client's BaseProtocol
		// EOFReceived returns false, so its transport closes too.
		return struct{}{}, c.Await(client.done)
	})
	// Output:
	// server received "Hello World!"
	// client received "Hello World!"
	// client: connection lost: <nil>
}
