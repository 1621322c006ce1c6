package loop

import (
	"bufio"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// heapqModel is CPython's Lib/heapq.py (heappush, heappop, heapify with
// _siftdown and _siftup), transliterated independently of timerHeap, on
// items compared by deadline only, as asyncio's TimerHandle.__lt__ does.
// TestHeapqModel anchors it to CPython's own output.
type heapqModel []*modelTimer

type modelTimer struct {
	id, when  int
	cancelled bool
}

func (h *heapqModel) push(t *modelTimer) {
	*h = append(*h, t)
	h.siftdown(0, len(*h)-1)
}

func (h *heapqModel) pop() *modelTimer {
	heap := *h
	last := heap[len(heap)-1]
	heap = heap[:len(heap)-1]
	*h = heap
	if len(heap) > 0 {
		ret := heap[0]
		heap[0] = last
		h.siftup(0)
		return ret
	}
	return last
}

func (h *heapqModel) heapify() {
	for i := len(*h)/2 - 1; i >= 0; i-- {
		h.siftup(i)
	}
}

func (h heapqModel) siftdown(startpos, pos int) {
	newitem := h[pos]
	for pos > startpos {
		parentpos := (pos - 1) >> 1
		parent := h[parentpos]
		if newitem.when < parent.when {
			h[pos] = parent
			pos = parentpos
			continue
		}
		break
	}
	h[pos] = newitem
}

func (h heapqModel) siftup(pos int) {
	endpos := len(h)
	startpos := pos
	newitem := h[pos]
	childpos := 2*pos + 1
	for childpos < endpos {
		rightpos := childpos + 1
		if rightpos < endpos && !(h[childpos].when < h[rightpos].when) {
			childpos = rightpos
		}
		h[pos] = h[childpos]
		pos = childpos
		childpos = 2*pos + 1
	}
	h[pos] = newitem
	h.siftdown(startpos, pos)
}

// A heapOp is one step of a heap scenario, as heapq_golden.py spells it.
type heapOp struct {
	kind byte // '+' push, '-' pop, 'c' cancel, 'h' rebuild
	arg  int  // the deadline of a push, the timer id of a cancel
}

// replayModel runs ops on heapqModel and returns the ids in pop order,
// popping what is left at the end. Pops of an empty heap are skipped.
func replayModel(ops []heapOp) []int {
	var h heapqModel
	var timers []*modelTimer
	var popped []int
	for _, op := range ops {
		switch op.kind {
		case '+':
			t := &modelTimer{id: len(timers), when: op.arg}
			timers = append(timers, t)
			h.push(t)
		case '-':
			if len(h) > 0 {
				popped = append(popped, h.pop().id)
			}
		case 'c':
			if op.arg < len(timers) {
				timers[op.arg].cancelled = true
			}
		case 'h':
			h = slices.DeleteFunc(h, func(t *modelTimer) bool { return t.cancelled })
			h.heapify()
		}
	}
	for len(h) > 0 {
		popped = append(popped, h.pop().id)
	}
	return popped
}

// replayHeap runs ops on the loop's timerHeap, as replayModel does.
func replayHeap(ops []heapOp, stable bool) []int {
	th := timerHeap{stable: stable}
	var timers []*TimerHandle
	ids := map[*TimerHandle]int{}
	var popped []int
	for _, op := range ops {
		switch op.kind {
		case '+':
			t := &TimerHandle{when: int64(op.arg), seq: uint64(len(timers)), scheduled: true}
			ids[t] = len(timers)
			timers = append(timers, t)
			th.push(t)
		case '-':
			if th.len() > 0 {
				popped = append(popped, ids[th.pop()])
			}
		case 'c':
			if op.arg < len(timers) {
				timers[op.arg].cancelled = true
			}
		case 'h':
			th.removeCancelled()
		}
	}
	for th.len() > 0 {
		popped = append(popped, ids[th.pop()])
	}
	return popped
}

// replayStable is the model of WithStableTimerOrder: every pop takes the
// earliest deadline, and among equal deadlines the earliest pushed.
func replayStable(ops []heapOp) []int {
	type timer struct{ id, when int }
	var live []timer
	cancelled := map[int]bool{}
	n := 0
	var popped []int
	popMin := func() {
		i := 0
		for j, t := range live {
			if t.when < live[i].when || t.when == live[i].when && t.id < live[i].id {
				i = j
			}
		}
		popped = append(popped, live[i].id)
		live = slices.Delete(live, i, i+1)
	}
	for _, op := range ops {
		switch op.kind {
		case '+':
			live = append(live, timer{n, op.arg})
			n++
		case '-':
			if len(live) > 0 {
				popMin()
			}
		case 'c':
			cancelled[op.arg] = true
		case 'h':
			live = slices.DeleteFunc(live, func(t timer) bool { return cancelled[t.id] })
		}
	}
	for len(live) > 0 {
		popMin()
	}
	return popped
}

func parseOps(t testing.TB, s string) []heapOp {
	var ops []heapOp
	for _, f := range strings.Fields(s) {
		op := heapOp{kind: f[0]}
		if len(f) > 1 {
			n, err := strconv.Atoi(f[1:])
			if err != nil {
				t.Fatalf("bad op %q", f)
			}
			op.arg = n
		}
		ops = append(ops, op)
	}
	return ops
}

func parseInts(t testing.TB, s string) []int {
	var out []int
	for _, f := range strings.Fields(s) {
		n, err := strconv.Atoi(f)
		if err != nil {
			t.Fatalf("bad id %q", f)
		}
		out = append(out, n)
	}
	return out
}

// TestHeapqModel checks the timer heap and its model against the pop order
// of CPython's heapq itself, recorded by testdata/heapq_golden.py on
// scenarios full of equal deadlines.
func TestHeapqModel(t *testing.T) {
	f, err := os.Open("testdata/heapq_golden.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		n++
		opsText, wantText, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			t.Fatalf("line %d: no tab", n)
		}
		ops, want := parseOps(t, opsText), parseInts(t, wantText)
		if diff := cmp.Diff(want, replayModel(ops)); diff != "" {
			t.Errorf("line %d: model differs from CPython's heapq (-cpython +model):\n%s", n, diff)
		}
		if diff := cmp.Diff(want, replayHeap(ops, false)); diff != "" {
			t.Errorf("line %d: timerHeap differs from CPython's heapq (-cpython +timerHeap):\n%s", n, diff)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Fatalf("only %d scenarios in heapq_golden.txt", n)
	}
}

// decodeOps turns fuzz bytes into heap operations. Deadlines come from a
// small range so that many are equal, which is where heapq's order is not
// insertion order.
func decodeOps(data []byte) []heapOp {
	var ops []heapOp
	pushed := 0
	for i := 0; i < len(data); i++ {
		b := data[i]
		switch {
		case b < 140:
			ops = append(ops, heapOp{kind: '+', arg: int(b % 5)})
			pushed++
		case b < 210:
			ops = append(ops, heapOp{kind: '-'})
		case b < 250:
			if pushed > 0 && i+1 < len(data) {
				i++
				ops = append(ops, heapOp{kind: 'c', arg: int(data[i]) % pushed})
			}
		default:
			ops = append(ops, heapOp{kind: 'h'})
		}
	}
	return ops
}

// FuzzTimerHeap drives the loop's timer heap with random pushes, pops,
// cancellations and rebuilds, and checks that timers come out in the order
// the heapq model pops them (default) or in (deadline, insertion) order
// (WithStableTimerOrder).
func FuzzTimerHeap(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 0, 200, 200, 200, 200, 200})
	f.Add([]byte{4, 3, 2, 1, 0, 5, 6, 7, 210, 3, 255, 200, 8, 9, 200})
	f.Add([]byte{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 220, 0, 220, 4, 255, 150, 2, 2, 2, 150, 150})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 { // the stable model is quadratic
			data = data[:4096]
		}
		ops := decodeOps(data)
		if diff := cmp.Diff(replayModel(ops), replayHeap(ops, false)); diff != "" {
			t.Errorf("heapq order (-model +timerHeap):\n%s", diff)
		}
		if diff := cmp.Diff(replayStable(ops), replayHeap(ops, true)); diff != "" {
			t.Errorf("stable order (-model +timerHeap):\n%s", diff)
		}
	})
}
