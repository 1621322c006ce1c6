# The order in which protocols see their connections under CPython 3.11's
# asyncio (loop.create_server, loop.create_connection, asyncio.Protocol).
# stream/protocol_trace_test.go ports it line for line and compares its
# output with protocol_order.expected.
#
#  1. echo and half-close, with a chain of callbacks ticking once per loop
#     iteration to pin each event to its iteration: the server keeps its
#     side open after EOF (eof_received returns True), the client does not;
#  2. flow control: the server pauses reading, the client writes more than
#     the socket takes, is paused, and resumed once the server reads again;
#  3. a peer that resets its connection: connection_lost gets the error;
#  4. data_received raises: the exception handler hears of it, the
#     transport is closed with the exception, and the loop runs on.
import asyncio
import socket
import struct

TOTAL = 64 << 20  # far more than the socket buffers hold


def describe(exc):
    if exc is None:
        return "None"
    if isinstance(exc, ConnectionResetError):
        return "ConnectionResetError"
    return repr(exc)


class Server(asyncio.Protocol):
    """The server's protocol; main tells it what to do with each connection."""

    mode = "echo"
    transports = []

    def __init__(self):
        self.name = "server"
        self.received = 0
        self.mode = Server.mode
        self.lost = asyncio.get_running_loop().create_future()
        self.all_received = asyncio.get_running_loop().create_future()

    def connection_made(self, transport):
        print(f"{self.name}: connection_made")
        self.transport = transport
        Server.transports.append((transport, self))
        if self.mode == "bulk":
            transport.pause_reading()
            print(f"{self.name}: paused reading, is_reading {transport.is_reading()}")

    def data_received(self, data):
        if self.mode == "bulk":
            self.received += len(data)
            if self.received == TOTAL:
                print(f"{self.name}: received all {self.received} bytes")
                self.all_received.set_result(None)
            return
        if self.mode == "raise":
            print(f"{self.name}: data_received {data!r}, raising")
            raise RuntimeError("boom")
        print(f"{self.name}: data_received {data!r}")
        self.transport.write(data.upper())

    def eof_received(self):
        print(f"{self.name}: eof_received")
        if self.mode == "echo":
            self.transport.write(b"bye")
            self.transport.close()
            return True
        return False

    def connection_lost(self, exc):
        print(f"{self.name}: connection_lost {describe(exc)}")
        self.lost.set_result(None)


class Client(asyncio.Protocol):
    def __init__(self):
        loop = asyncio.get_running_loop()
        self.got = loop.create_future()
        self.resumed = loop.create_future()
        self.lost = loop.create_future()

    def connection_made(self, transport):
        print("client: connection_made")

    def data_received(self, data):
        print(f"client: data_received {data!r}")
        if not self.got.done():
            self.got.set_result(data)

    def eof_received(self):
        print("client: eof_received")
        # None: the transport closes itself.

    def connection_lost(self, exc):
        print(f"client: connection_lost {describe(exc)}")
        self.lost.set_result(None)

    def pause_writing(self):
        print("client: pause_writing")

    def resume_writing(self):
        print("client: resume_writing")
        self.resumed.set_result(None)


async def main():
    loop = asyncio.get_running_loop()

    def handler(loop, context):
        print("exception handler:", context["message"], repr(context["exception"]))

    loop.set_exception_handler(handler)

    server = await loop.create_server(Server, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    print("serving", server.is_serving())

    # 1. Echo and half-close.
    def tick(n):
        print("tick", n)
        if n < 16:
            loop.call_soon(tick, n + 1)

    loop.call_soon(tick, 0)
    transport, client = await loop.create_connection(Client, "127.0.0.1", port)
    print("client: connected", transport.is_reading(), transport.can_write_eof())
    transport.write(b"hello")
    print("client: wrote")
    print("client: got", await client.got)
    transport.write_eof()
    print("client: wrote eof", transport.is_closing())
    await client.lost
    print("client: closing", transport.is_closing())
    await Server.transports[-1][1].lost
    for _ in range(4):  # let the ticks run out
        await asyncio.sleep(0)

    # 2. Flow control.
    Server.mode = "bulk"
    transport, client = await loop.create_connection(Client, "127.0.0.1", port)
    await asyncio.sleep(0)  # let the server's connection_made run
    server_transport, server_proto = Server.transports[-1]
    transport.set_write_buffer_limits(high=64 << 10, low=16 << 10)
    print("client: limits", transport.get_write_buffer_limits())
    transport.write(bytes(TOTAL))
    print("client: wrote, buffered more than high:", transport.get_write_buffer_size() > 64 << 10)
    server_transport.resume_reading()
    print("server: resumed reading, is_reading", server_transport.is_reading())
    await client.resumed
    print("client: resumed, buffered at most low:", transport.get_write_buffer_size() <= 16 << 10)
    await server_proto.all_received
    transport.close()
    print("client: closing", transport.is_closing())
    await client.lost
    await server_proto.lost

    # 3. A peer that resets its connection.
    Server.mode = "reset"
    transport, client = await loop.create_connection(Client, "127.0.0.1", port)
    await asyncio.sleep(0)
    server_proto = Server.transports[-1][1]
    sock = transport.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    print("client: aborted", transport.is_closing())
    await client.lost
    await server_proto.lost

    # 4. data_received raises.
    Server.mode = "raise"
    transport, client = await loop.create_connection(Client, "127.0.0.1", port)
    transport.write(b"hi")
    await client.lost
    server_proto = Server.transports[-1][1]
    await server_proto.lost
    print("loop still running")

    server.close()
    await server.wait_closed()
    print("server closed", server.is_serving())


asyncio.run(main())
