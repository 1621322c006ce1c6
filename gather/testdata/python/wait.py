# The CPython twins of the table tests in package gather: each case here is
# the same program as a case of the Go test named in the file name, and prints
# the trace that case expects (Go prints lists and booleans its own way).
# Run with CPython 3.11 from this directory:  python3.11 wait.py
# They are not run by go test; they are how the expected traces were checked.
from common import *
import asyncio

def spawn(name, ms, err=None):
    return asyncio.create_task(child(name, ms, ms, err), name=name)
def names(ts): return sorted(t.get_name() for t in ts)

async def w1():
    loop = asyncio.get_running_loop(); ticks(loop, 5)
    f1, f2, f3 = [loop.create_future() for _ in range(3)]
    loop.call_soon(lambda: (f2.set_result(2), add("set f2")))
    loop.call_soon(lambda: (f3.set_result(3), add("set f3")))
    done, pending = await asyncio.wait([f1,f2,f3], return_when=asyncio.FIRST_COMPLETED)
    add(f"done {sorted(f.result() for f in done)} pending {len(pending)} err nil")
run("first completed", w1)

async def w2():
    a = spawn("a",10); b = spawn("b",20); bad = spawn("bad",30,Exception("boom")); d = spawn("d",50)
    loop = asyncio.get_running_loop()
    loop.call_later(0.015, b.cancel)
    done, pending = await asyncio.wait([a,b,bad,d], return_when=asyncio.FIRST_EXCEPTION)
    add(f"done {names(done)} pending {names(pending)} err nil")
    add(f"bad's error retrieved by Wait: {describe(bad.exception())}")
run("first exception", w2)

async def w3():
    a = spawn("a",10); b = spawn("b",20)
    done, pending = await asyncio.wait([b,a], return_when=asyncio.FIRST_EXCEPTION)
    add(f"done {names(done)} pending {names(pending)} err nil")
run("first exception no errors", w3)

async def w4():
    a = spawn("a",10); b = spawn("b",50); c = spawn("c",40,Exception("boom"))
    done, pending = await asyncio.wait([a,b,c], timeout=0.03)
    add(f"done {names(done)} pending {names(pending)} err nil")
    add(f"cancelled: {b.cancelled()} {c.cancelled()}")
    done, pending = await asyncio.wait(pending)
    add(f"done {names(done)} pending {names(pending)} err nil")
    del done, pending, c
run("timeout all", w4)

async def w5():
    a = spawn("a",50)
    done, pending = await asyncio.wait([a], return_when=asyncio.FIRST_COMPLETED, timeout=0.01)
    add(f"done {names(done)} pending {names(pending)} err nil")
    await a; add("a: nil")
run("timeout first", w5)

async def w6():
    loop = asyncio.get_running_loop(); ticks(loop, 4)
    f1, f2 = loop.create_future(), loop.create_future()
    f1.set_result(1); f2.set_result(2)
    done, pending = await asyncio.wait([f1,f2], timeout=0)
    add(f"done {len(done)} pending {len(pending)} err nil")
run("zero timeout done", w6)

async def w7():
    loop = asyncio.get_running_loop(); ticks(loop, 3)
    f1 = loop.create_future()
    done, pending = await asyncio.wait([f1], timeout=0)
    add(f"done {len(done)} pending {len(pending)} err nil")
run("zero timeout pending", w7)

async def w8():
    a = spawn("a",10); b = spawn("b",20)
    done, pending = await asyncio.wait([a,b,a])
    add(f"done {names(done)} pending {names(pending)} err nil")
run("dups", w8)

async def w10():
    loop = asyncio.get_running_loop()
    f1 = loop.create_future()
    async def waiter():
        try: await asyncio.wait([f1], timeout=0.1)
        except BaseException as e: add(f"waiter: {describe(e)}"); raise
    w = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    add(f"cancel: {w.cancel('go')}")
    try: await w
    except BaseException as e: add(f"main: {describe(e)}; f1 cancelled={f1.cancelled()}")
    f1.set_result(1)
    await asyncio.sleep(0.2)
    add("end")
run("waiter cancelled", w10)
