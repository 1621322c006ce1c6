# Generates heapq_golden.txt: operation sequences on a heap of timers that
# compare by deadline only (as asyncio's TimerHandle does), and the order in
# which CPython's heapq (its C implementation, _heapq) pops them.
# timers_test.go replays each sequence on the loop's timer heap and on its
# Go model of heapq and checks both against this file.
#
#   python3 heapq_golden.py > heapq_golden.txt
#
# Ops: "+W" push a timer with deadline W (timers are numbered from 0 in push
# order); "-" pop; "cK" cancel timer K (only marks it); "h" drop the
# cancelled timers and heapify, as BaseEventLoop._run_once does when they
# are many. Output: one line "ops<TAB>popped ids" per sequence.
import heapq
import random


class Timer:
    def __init__(self, id, when):
        self.id, self.when, self.cancelled = id, when, False

    def __lt__(self, other):
        return self.when < other.when


def run(ops):
    """Runs ops (skipping pops of an empty heap); returns the ops it ran and
    the ids in the order they were popped, emptying the heap at the end."""
    heap, timers, popped, ran = [], [], [], []
    for op in ops:
        if op == "-" and not heap:
            continue
        ran.append(op)
        if op[0] == "+":
            t = Timer(len(timers), int(op[1:]))
            timers.append(t)
            heapq.heappush(heap, t)
        elif op == "-":
            popped.append(heapq.heappop(heap).id)
        elif op[0] == "c":
            timers[int(op[1:])].cancelled = True
        elif op == "h":
            heap = [t for t in heap if not t.cancelled]
            heapq.heapify(heap)
    while heap:
        popped.append(heapq.heappop(heap).id)
    return ran, popped


def gen(rng):
    ops, pushed = [], 0
    span = rng.choice([1, 2, 3, 5, 50])  # small spans: many equal deadlines
    for _ in range(rng.randrange(1, 80)):
        r = rng.random()
        if r < 0.55 or pushed == 0:
            ops.append(f"+{rng.randrange(span)}")
            pushed += 1
        elif r < 0.8:
            ops.append("-")
        elif r < 0.95:
            ops.append(f"c{rng.randrange(pushed)}")
        else:
            ops.append("h")
    return ops


def main():
    rng = random.Random(20231107)
    for _ in range(400):
        ran, popped = run(gen(rng))
        print(" ".join(ran) + "\t" + " ".join(map(str, popped)))


main()
