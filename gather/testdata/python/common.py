# Shared helpers of the CPython twins (see gather.py).
import asyncio, gc
lines = []
def add(s): lines.append(s)
def describe(e):
    if e is None: return "nil"
    if isinstance(e, asyncio.CancelledError):
        if e.args: return 'CancelledError("%s")' % e.args[0]
        return "CancelledError()"
    if isinstance(e, TimeoutError): return "TimeoutError"
    return str(e)
def ticks(loop, n):
    def tick(i):
        add(f"tick {i}")
        if i+1 < n: loop.call_soon(tick, i+1)
    loop.call_soon(tick, 0)
def child(name, ms, v, err):
    async def body():
        try:
            if ms == 0: await asyncio.sleep(0)
            else: await asyncio.sleep(ms/1000)
        except asyncio.CancelledError as e:
            add(f"{name}: {describe(e)}"); raise
        if err is not None:
            add(f"{name}: fails"); raise err
        add(f"{name}: returns {v}")
        return v
    return body()
def run(name, main):
    lines.clear()
    def handler(loop, ctx): add(f"handler: {ctx['message']}: {ctx.get('exception')}")
    async def wrap():
        asyncio.get_running_loop().set_exception_handler(handler)
        try:
            await main()
        finally:
            gc.collect()
    try:
        asyncio.run(wrap())
    except BaseException as e:
        add(f"main: {describe(e)}")
    gc.collect()
    print("==", name)
    for l in lines: print("  ", l)
class Boom(Exception): pass
boom = Exception("boom"); boom2 = Exception("boom2")
