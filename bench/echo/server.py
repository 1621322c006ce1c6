# The streams echo server of uvloop's benchmark (examples/bench/echoserver.py
# --streams), on asyncio or, with --uvloop, on uvloop.
import argparse
import asyncio
import signal
import socket


async def echo_client_streams(reader, writer):
    sock = writer.get_extra_info('socket')
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except (OSError, NameError):
        pass
    while True:
        data = await reader.read(1000000)
        if not data:
            break
        writer.write(data)
    writer.close()


async def main(host, port):
    server = await asyncio.start_server(echo_client_streams, host, port, backlog=4096)
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, stop.set_result, None)
    print("ready", flush=True)
    async with server:
        await stop


if __name__ == '__main__':
    p = argparse.ArgumentParser()
    p.add_argument('--uvloop', action='store_true')
    p.add_argument('--addr', default='127.0.0.1:25000')
    a = p.parse_args()
    host, port = a.addr.rsplit(':', 1)
    if a.uvloop:
        import uvloop
        uvloop.install()
    asyncio.run(main(host, int(port)))
