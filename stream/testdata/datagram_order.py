# The order in which datagram protocols see their endpoints under CPython
# 3.11's asyncio (loop.create_datagram_endpoint, asyncio.DatagramProtocol).
# stream/datagram_trace_test.go ports it line for line and compares its
# output with datagram_order.expected.
#
#  1. a UDP server endpoint and a connected client endpoint on 127.0.0.1,
#     with a chain of callbacks ticking once per loop iteration to pin each
#     event to its iteration: echo with the peers' addresses, sendto with
#     the remote address or none, a wrong address (ValueError), an empty
#     datagram (not sent);
#  2. datagram_received raises: the exception handler hears of it as of
#     any callback, and the endpoint carries on;
#  3. a connected endpoint sending to a closed port: error_received gets
#     ConnectionRefusedError, and the endpoint stays open;
#  4. flow control over Unix-domain datagram sockets: a sink that does not
#     read, a connected source whose datagrams are buffered, pause_writing,
#     close with datagrams buffered (they are all delivered, then
#     connection_lost), and abort (they are dropped);
#  5. close.
import asyncio
import os
import socket
import tempfile

N = 1000  # datagrams of SIZE bytes: far more than a socket queues
SIZE = 1024


def describe(exc):
    if exc is None:
        return "None"
    if isinstance(exc, ConnectionRefusedError):
        return "ConnectionRefusedError"
    return repr(exc)


class Server(asyncio.DatagramProtocol):
    client_addr = None

    def __init__(self):
        self.lost = asyncio.get_running_loop().create_future()

    def connection_made(self, transport):
        print("server: connection_made")
        self.transport = transport

    def datagram_received(self, data, addr):
        print(f"server: datagram_received {data!r} from client {addr == Server.client_addr}")
        if data == b"raise":
            raise RuntimeError("boom")
        self.transport.sendto(data.upper(), addr)

    def error_received(self, exc):
        print(f"server: error_received {describe(exc)}")

    def connection_lost(self, exc):
        print(f"server: connection_lost {describe(exc)}")
        self.lost.set_result(None)


class Client(asyncio.DatagramProtocol):
    server_addr = None

    def __init__(self, name="client"):
        self.name = name
        loop = asyncio.get_running_loop()
        self.got = None
        self.error = loop.create_future()
        self.lost = loop.create_future()

    def next(self):
        self.got = asyncio.get_running_loop().create_future()
        return self.got

    def connection_made(self, transport):
        print(f"{self.name}: connection_made")

    def datagram_received(self, data, addr):
        print(f"{self.name}: datagram_received {data!r} from server {addr == Client.server_addr}")
        if self.got is not None and not self.got.done():
            self.got.set_result(data)

    def error_received(self, exc):
        print(f"{self.name}: error_received {describe(exc)}")
        self.error.set_result(None)

    def connection_lost(self, exc):
        print(f"{self.name}: connection_lost {describe(exc)}")
        self.lost.set_result(None)


class Sink(asyncio.DatagramProtocol):
    def __init__(self):
        self.received = 0
        self.in_order = True
        self.marker = asyncio.get_running_loop().create_future()

    def connection_made(self, transport):
        print("sink: connection_made")

    def datagram_received(self, data, addr):
        if data == b"end":
            print(f"sink: end, in order {self.in_order}")
            self.marker.set_result(self.received)
            self.received = 0
            return
        if int.from_bytes(data[:4], "big") != self.received or len(data) != SIZE:
            self.in_order = False
        self.received += 1

    def connection_lost(self, exc):
        print(f"sink: connection_lost {describe(exc)}")


class Source(asyncio.DatagramProtocol):
    def __init__(self):
        loop = asyncio.get_running_loop()
        self.resumed = loop.create_future()
        self.lost = loop.create_future()

    def connection_made(self, transport):
        print("source: connection_made")

    def pause_writing(self):
        print("source: pause_writing")

    def resume_writing(self):
        print("source: resume_writing")
        self.resumed.set_result(None)

    def connection_lost(self, exc):
        print(f"source: connection_lost {describe(exc)}")
        self.lost.set_result(None)


async def main():
    loop = asyncio.get_running_loop()

    def handler(loop, context):
        print("exception handler:", context["message"].startswith("Exception in callback"),
              repr(context["exception"]))

    loop.set_exception_handler(handler)

    def tick(n, last):
        print("tick", n)
        if n < last:
            loop.call_soon(tick, n + 1, last)

    # 1. Echo.
    loop.call_soon(tick, 0, 24)
    server_t, server = await loop.create_datagram_endpoint(Server, local_addr=("127.0.0.1", 0))
    Client.server_addr = server_t.get_extra_info("sockname")
    print("server: created", server_t.is_closing(), server_t.get_extra_info("peername"))
    client_t, client = await loop.create_datagram_endpoint(Client, remote_addr=Client.server_addr)
    Server.client_addr = client_t.get_extra_info("sockname")
    print("client: created, peername is server", client_t.get_extra_info("peername") == Client.server_addr)
    client_t.sendto(b"hello")
    print("client: sent")
    print("client: got", await client.next())
    client_t.sendto(b"to", Client.server_addr)
    print("client: got", await client.next())
    try:
        client_t.sendto(b"x", ("127.0.0.1", 9))
    except ValueError:
        print("client: sendto another address: ValueError")
    client_t.sendto(b"")
    client_t.sendto(b"after")
    print("client: got", await client.next())

    # 2. datagram_received raises.
    client_t.sendto(b"raise")
    client_t.sendto(b"again")
    print("client: got", await client.next())
    print("server: closing", server_t.is_closing())

    # 3. A closed port.
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    closed_addr = s.getsockname()
    s.close()
    loop.call_soon(tick, 100, 106)
    refused_t, refused = await loop.create_datagram_endpoint(
        lambda: Client("refused"), remote_addr=closed_addr)
    refused_t.sendto(b"ping")
    print("refused: sent")
    await refused.error
    print("refused: closing", refused_t.is_closing())
    refused_t.close()
    await refused.lost

    # 4. Flow control.
    path = os.path.join(tempfile.mkdtemp(), "sink")
    sink_t, sink = await loop.create_datagram_endpoint(Sink, local_addr=path, family=socket.AF_UNIX)
    for mode in ("close", "abort"):
        sink.marker = loop.create_future()
        sink_t.pause_reading()
        print("sink: paused reading, is_reading", sink_t.is_reading())
        src_t, src = await loop.create_datagram_endpoint(Source, remote_addr=path, family=socket.AF_UNIX)
        src_t.set_write_buffer_limits(high=16 << 10, low=4 << 10)
        print("source: limits", src_t.get_write_buffer_limits())
        for i in range(N):
            src_t.sendto(i.to_bytes(4, "big") + bytes(SIZE - 4))
        print("source: sent, buffered more than high:", src_t.get_write_buffer_size() > 16 << 10)
        if mode == "close":
            src_t.close()
            print("source: closing", src_t.is_closing())
            sink_t.resume_reading()
            await src.resumed
            await src.lost
        else:
            src_t.abort()
            print("source: aborted", src_t.is_closing())
            await src.lost
            sink_t.resume_reading()
        marker_t, _ = await loop.create_datagram_endpoint(asyncio.DatagramProtocol, family=socket.AF_UNIX)
        marker_t.sendto(b"end", path)
        received = await sink.marker
        print("sink: received some", received > 0, "all", received == N)
        marker_t.close()
    sink_t.close()
    os.unlink(path)

    # 5. Close.
    client_t.close()
    server_t.close()
    print("closing", client_t.is_closing(), server_t.is_closing())
    await client.lost
    await server.lost
    await asyncio.sleep(0)


asyncio.run(main())
