# The CPython twins of the table tests in package gather: each case here is
# the same program as a case of the Go test named in the file name, and prints
# the trace that case expects (Go prints lists and booleans its own way).
# Run with CPython 3.11 from this directory:  python3.11 as_completed.py
# They are not run by go test; they are how the expected traces were checked.
from common import *
import asyncio

def spawn(name, ms, err=None):
    return asyncio.create_task(child(name, ms, name, err), name=name)

async def a1():
    loop = asyncio.get_running_loop(); ticks(loop, 7)
    f1, f2, f3 = [loop.create_future() for _ in range(3)]
    loop.call_soon(lambda: (f3.set_result(3), add("set f3")))
    loop.call_soon(lambda: loop.call_soon(lambda: (f1.set_result(1), f2.set_result(2), add("set f1 f2"))))
    for aw in asyncio.as_completed([f1,f2,f3]):
        v = await aw
        add(f"got {v} nil")
    add("end")
run("order", a1)

async def a2():
    ts = [spawn("d30",30), spawn("a10",10), spawn("bad20",20,Exception("boom"))]
    n = 0
    for aw in asyncio.as_completed(ts):
        n += 1
        try: v = await aw; add(f'#{n} "{v}" nil')
        except Exception as e: add(f'#{n} "" {describe(e)}')
    add(f"yielded {n}")
run("error", a2)

async def a3():
    a = spawn("a",10); b = spawn("b",50); c = spawn("c",60)
    n = 0
    for aw in asyncio.as_completed([a,b,c,a,b], timeout=0.02):
        n += 1
        try: v = await aw; add(f'#{n} "{v}" nil')
        except TimeoutError as e: add(f'#{n} "" {describe(e)}')
    add(f"yielded {n}; cancelled {b.cancelled()} {c.cancelled()}")
    vb = await b; vc = await c
    add(f"still finish: {vb} {vc}")
run("timeout", a3)

async def a4():
    a = spawn("a",10)
    for aw in asyncio.as_completed([a], timeout=0.02):
        v = await aw; add(f'"{v}" nil')
    await asyncio.sleep(0.05)
    add("end")
run("timeout never fires", a4)

async def a5():
    loop = asyncio.get_running_loop(); ticks(loop, 4)
    f1, f2 = loop.create_future(), loop.create_future()
    f2.set_result(2); f1.set_result(1)
    for aw in asyncio.as_completed([f1,f2]):
        v = await aw; add(f"got {v} nil")
run("done futures (set order may vary in CPython)", a5)

async def a6():
    loop = asyncio.get_running_loop()
    a = spawn("a",10); b = spawn("b",50)
    async def consumer():
        for aw in asyncio.as_completed([a,b]):
            try: v = await aw; add(f'consumer: "{v}" nil')
            except BaseException as e: add(f'consumer: "" {describe(e)}'); raise
    t = asyncio.create_task(consumer())
    loop.call_later(0.02, lambda: t.cancel("stop"))
    try: await t
    except BaseException as e: add(f"consumer: {describe(e)}; b cancelled={b.cancelled()}")
    await b; add("b: nil")
run("consumer cancelled", a6)

async def a7():
    a = spawn("a",10); b = spawn("b",30)
    for aw in asyncio.as_completed([a,b], timeout=0.02):
        v = await aw; add(f'got "{v}" nil'); break
    vb = await b; add(f"b: {vb} nil")
run("break", a7)
