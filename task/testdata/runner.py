# asyncio.Runner (3.11): two bodies on one loop; a task the first leaves
# pending runs on during the second and is cancelled by close().
# Its output is the golden trace of TestRunner (task/runner_test.go).
import asyncio


async def ticker(name):
    i = 0
    try:
        while True:
            print(f"{name} tick {i}")
            i += 1
            await asyncio.sleep(0)
    except asyncio.CancelledError:
        print(f"{name} cancelled")
        raise


async def first():
    asyncio.get_running_loop().create_task(ticker("bg"))
    print("first start")
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print("first end")
    return 1


async def second():
    print("second start")
    await asyncio.sleep(0)
    print("second end")
    return 2


with asyncio.Runner() as runner:
    print("run first ->", runner.run(first()))
    print("run second ->", runner.run(second()))
    print("closing")
print("closed")
