# The order in which a stream server and client see each other, under
# CPython 3.11's asyncio. stream/trace_test.go ports it line for line.
import asyncio

async def main():
    loop = asyncio.get_running_loop()

    async def handle(reader, writer):
        print("server: handler starts")
        line = await reader.readline()
        print("server: got", line)
        writer.write(line.upper())
        await writer.drain()
        print("server: drained")
        data = await reader.read(100)
        print("server: read at eof", data, reader.at_eof())
        writer.close()
        await writer.wait_closed()
        print("server: closed")

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    print("serving", server.is_serving())

    def tick(n):
        print("tick", n)
        if n < 12:
            loop.call_soon(tick, n + 1)
    loop.call_soon(tick, 0)

    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    print("client: connected")
    writer.write(b"hello\n")
    print("client: wrote")
    await writer.drain()
    line = await reader.readline()
    print("client: got", line)
    writer.write_eof()
    data = await reader.read(100)
    print("client: read at eof", data, reader.at_eof())
    writer.close()
    await writer.wait_closed()
    print("client: closed")
    server.close()
    await server.wait_closed()
    print("server closed", server.is_serving())

asyncio.run(main())
