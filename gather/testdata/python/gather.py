# The CPython twins of the table tests in package gather: each case here is
# the same program as a case of the Go test named in the file name, and prints
# the trace that case expects (Go prints lists and booleans its own way).
# Run with CPython 3.11 from this directory:  python3.11 gather.py
# They are not run by go test; they are how the expected traces were checked.
from common import *
import asyncio

async def c1():
    loop = asyncio.get_running_loop(); ticks(loop, 5)
    f1, f2, f3 = [loop.create_future() for _ in range(3)]
    g = asyncio.gather(f1, f2, f3)
    loop.call_soon(lambda: (f3.set_result(3), add("set f3")))
    loop.call_soon(lambda: (f1.set_result(1), f2.set_result(2), add("set f1 f2")))
    vs = await g
    add(f"gathered {vs} nil")
run("order", c1)

async def c2():
    g = asyncio.gather(child("a",10,1,None), child("b",5,0,Exception("boom")), child("c",20,0,Exception("boom2")))
    try: await g
    except Exception as e: add(f"gather: {describe(e)}")
    add(f"cancel after the error: {g.cancel()}")
    await asyncio.sleep(0.03)
    add("end")
run("first error", c2)

async def c3():
    loop = asyncio.get_running_loop()
    f1, f2 = loop.create_future(), loop.create_future()
    g = asyncio.gather(f1, f2)
    loop.call_soon(lambda: f1.cancel("x"))
    try: await g
    except BaseException as e: add(f"gather: {describe(e)} cancelled={g.cancelled()} done={g.done()}")
    add(f"f2 pending: {not f2.done()}")
run("cancelled child", c3)

async def c4():
    loop = asyncio.get_running_loop()
    t1 = asyncio.create_task(child("t1",10,1,None)); t2 = asyncio.create_task(child("t2",20,2,None))
    g = asyncio.gather(t1, t2)
    loop.call_soon(lambda: t1.cancel("stop t1"))
    try: await g
    except BaseException as e: add(f"gather: {describe(e)}")
    await t2; add("t2: nil")
run("task child cancelled", c4)

async def c5():
    k1 = asyncio.create_task(child("k1",50,1,None)); k2 = asyncio.create_task(child("k2",0,2,None)); k3 = asyncio.create_task(child("k3",50,3,None))
    g = asyncio.gather(k1,k2,k3)
    await asyncio.sleep(0.01)
    add(f"cancel: {g.cancel('enough')}")
    try: await g
    except BaseException as e: add(f"gather: {describe(e)} cancelled={g.cancelled()}")
    add(f"children cancelled: {k1.cancelled()} {k2.cancelled()} {k3.cancelled()}")
    add(f"cancel again: {g.cancel()}")
run("cancel msg", c5)

async def c6():
    async def parent():
        try: return await asyncio.gather(child("p1",50,1,None), child("p2",50,2,None))
        except BaseException as e: add(f"parent: {describe(e)}"); raise
    p = asyncio.create_task(parent())
    await asyncio.sleep(0.01)
    add(f"cancel parent: {p.cancel('bye')}")
    try: await p
    except BaseException as e: add(f"main: {describe(e)} parent cancelled={p.cancelled()}")
run("cancel parent", c6)

async def c7():
    loop = asyncio.get_running_loop(); ticks(loop, 2)
    g = asyncio.gather()
    add(f"done={g.done()} cancel={g.cancel()}")
    vs = await g
    add(f"gathered {vs} len={len(vs)} nil=False nil")
run("zero", c7)

async def c8():
    loop = asyncio.get_running_loop(); ticks(loop, 4)
    f, g2 = loop.create_future(), loop.create_future()
    g = asyncio.gather(f, g2, f)
    loop.call_soon(lambda: (f.set_result("f"), g2.set_result("g")))
    vs = await g
    add(f"gathered {vs} nil")
run("dup", c8)

async def c9():
    async def b():
        try: await asyncio.sleep(0.05)
        except asyncio.CancelledError as e:
            add(f"t1: {describe(e)} cancelling={asyncio.current_task().cancelling()}"); raise
    t1 = asyncio.create_task(b())
    g = asyncio.gather(t1, t1)
    await asyncio.sleep(0)
    add(f"cancel: {g.cancel()}")
    try: await g
    except BaseException as e: add(f"gather: {describe(e)}")
run("dup cancel", c9)

async def c10():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    g = asyncio.gather(f)
    f.set_result(42)
    add(f"cancel: {g.cancel()}")
    vs = await g
    add(f"gathered {vs} nil")
run("cancel after children done", c10)

async def c11():
    async def b():
        try: await asyncio.sleep(0.05)
        except asyncio.CancelledError as e: add(f"stubborn: swallowed {describe(e)}")
        return 7
    s = asyncio.create_task(b())
    g = asyncio.gather(s)
    await asyncio.sleep(0)
    add(f"cancel: {g.cancel('please')}")
    try: vs = await g
    except BaseException as e: add(f"gather: [] {describe(e)}; stubborn cancelled={s.cancelled()}")
run("swallow", c11)

print("######## settled")
async def s1():
    loop = asyncio.get_running_loop()
    f1, f2, f3, f4 = [loop.create_future() for _ in range(4)]
    t5 = asyncio.create_task(child("t5",50,5,None))
    g = asyncio.gather(f1,f2,f3,f4,t5, return_exceptions=True)
    def act():
        f1.set_result(1); f2.set_exception(Exception("boom")); f3.cancel("m"); f4.cancel(); t5.cancel("tm")
    loop.call_soon(act)
    rs = await g
    add("gather: nil")
    for i, s in enumerate(rs):
        if isinstance(s, BaseException): add(f"slot {i}: 0 {describe(s)}")
        else: add(f"slot {i}: {s} nil")
run("settled slots", s1)

async def s2():
    rs = await asyncio.gather(child("a",30,1,None), child("b",10,0,Exception("boom")), child("c",20,3,None), return_exceptions=True)
    add(f"gather: {rs} nil")
run("settled waits", s2)

async def s3():
    g = asyncio.gather(child("slow",50,1,None), child("quick",0,2,None), return_exceptions=True)
    await asyncio.sleep(0.01)
    add(f"cancel: {g.cancel('m')}")
    try: await g
    except BaseException as e: add(f"gather: {describe(e)}")
run("settled cancel last finished", s3)

async def s4():
    g = asyncio.gather(child("quick",0,1,None), child("slow",50,2,None), return_exceptions=True)
    await asyncio.sleep(0.01)
    add(f"cancel: {g.cancel('m')}")
    try: await g
    except BaseException as e: add(f"gather: {describe(e)}")
run("settled cancel last cancelled", s4)

async def s5():
    async def parent():
        try: return await asyncio.gather(child("p1",50,1,None), child("p2",50,2,None), return_exceptions=True)
        except BaseException as e: add(f"parent: {describe(e)}"); raise
    p = asyncio.create_task(parent())
    await asyncio.sleep(0.01)
    add(f"cancel parent: {p.cancel('bye')}")
    try: await p
    except BaseException as e: add(f"main: {describe(e)} parent cancelled={p.cancelled()}")
run("settled cancel parent", s5)

print("######## mixed")
async def m3():
    loop = asyncio.get_running_loop()
    ti = asyncio.create_task(child("bad",10,0,Exception("boom")))
    fs = loop.create_future()
    try: await asyncio.gather(fs, ti)
    except Exception as e: add(f"gather: {describe(e)}; fs pending={not fs.done()}")
run("mixed first error", m3)
