# The reads of stream/reader_test.go TestReader under CPython 3.11.7; the
# expected values there are this program's output (b"" is io.EOF in Go,
# ValueError a *LimitOverrunError).
import asyncio
async def case(limit, feeds, reads):
    r = asyncio.StreamReader(limit=limit or 2**16)
    async def feeder():
        for f in feeds:
            if f is None: r.feed_eof()
            else: r.feed_data(f)
            await asyncio.sleep(0)
    ft = asyncio.create_task(feeder())
    out = []
    for rd in reads:
        try:
            v = await rd(r)
            out.append(repr(v))
        except asyncio.IncompleteReadError as e:
            out.append(f"Incomplete {e.partial!r} expected {e.expected}")
        except asyncio.LimitOverrunError as e:
            out.append(f"LimitOverrun {e.args[0]!r} consumed {e.consumed}")
        except ValueError as e:
            out.append(f"ValueError {e}")
    await ft
    return out
R=lambda n: (lambda r: r.read(n))
E=lambda n: (lambda r: r.readexactly(n))
U=lambda s: (lambda r: r.readuntil(s))
L=lambda r: r.readline()
async def main():
    print(await case(0,[b"hello",b" world",None],[R(3),R(100),R(100),R(100),R(0)]))
    print(await case(4,[b"abcdef",b"ghij",None],[R(-1),R(-1)]))
    print(await case(0,[b"ab",b"cde",b"f",None],[E(4),E(3),E(0)]))
    print(await case(2,[b"abc",b"def",b"g"],[E(7)]))
    print(await case(0,[b"one<",b"<>two",b"<<>",None],[U(b"<<>"),U(b"<<>"),U(b"<<>")]))
    print(await case(0,[b"abc",None],[U(b"\n"),R(10)]))
    print(await case(4,[b"abcdefgh",b"ij\n"],[U(b"\n"),R(100)]))
    print(await case(4,[b"abcdef\nxy"],[U(b"\n"),R(100)]))
    print(await case(0,[b"a\nb",b"c\nd",None],[L,L,L,L]))
    print(await case(3,[b"abcdef\nok\n"],[L,L]))
    print(await case(3,[b"abcdef",b"\nok\n"],[L,L]))
asyncio.run(main())
