# The CPython twins of the table tests in package gather: each case here is
# the same program as a case of the Go test named in the file name, and prints
# the trace that case expects (Go prints lists and booleans its own way).
# Run with CPython 3.11 from this directory:  python3.13 as_completed_313.py (Completed: 3.13 form)
# They are not run by go test; they are how the expected traces were checked.
from common import *
import asyncio

def spawn(name, ms, err=None):
    return asyncio.create_task(child(name, ms, name, err), name=name)

async def c1():
    ts = [spawn("c30",30), spawn("a10",10), spawn("bad20",20,Exception("boom"))]
    async for t in asyncio.as_completed(ts):
        try: v = t.result(); e = None
        except Exception as ex: v = ""; e = ex
        add(f'{t.get_name()}: "{v}" {describe(e)} (iter err nil)')
    add("end")
run("originals", c1)

async def c2():
    a = spawn("a",10); b = spawn("b",50)
    try:
        async for t in asyncio.as_completed([b,a,b], timeout=0.02):
            add(f"iter: {t.get_name()}")
    except TimeoutError as e:
        add(f"iter: {describe(e)} (nil task: true)")
    add(f"b cancelled={b.cancelled()}")
    vb = await b; add(f"b: {vb}")
run("timeout", c2)

async def c3():
    loop = asyncio.get_running_loop()
    a = spawn("a",10)
    fi = loop.create_future()
    loop.call_later(0.005, fi.set_result, 5)
    async for aw in asyncio.as_completed([a, fi]):
        if aw is a: add(f"task {aw.result()} nil")
        else: add(f"future {aw.result()} nil")
run("mixed", c3)
