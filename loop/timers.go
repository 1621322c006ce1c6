package loop

// timerHeap is the loop's heap of scheduled timers (CPython's _scheduled).
//
// The sift operations are a line-for-line port of CPython's heapq
// (heappush, heappop, heapify with _siftdown/_siftup), which compares
// TimerHandles by deadline only. Timers with equal deadlines therefore pop in
// exactly the order CPython pops them, which is not insertion order; a port
// of an asyncio program prints the same trace. With stable set, ties are
// broken by insertion sequence instead (FIFO among equal deadlines).
//
// Each slot keeps the deadline and sequence beside the handle, so that
// sifting compares without following pointers: with 100k timers the
// comparisons would otherwise miss the cache at every level.
type timerHeap struct {
	h      []timerSlot
	stable bool
}

type timerSlot struct {
	when int64
	seq  uint64
	th   *TimerHandle
}

func (t *timerHeap) less(a, b *timerSlot) bool {
	if a.when != b.when {
		return a.when < b.when
	}
	return t.stable && a.seq < b.seq
}

func (t *timerHeap) len() int { return len(t.h) }

func (t *timerHeap) top() *TimerHandle { return t.h[0].th }

// push is heapq.heappush.
func (t *timerHeap) push(x *TimerHandle) {
	t.h = append(t.h, timerSlot{when: x.when, seq: x.seq, th: x})
	t.siftDown(0, len(t.h)-1)
}

// pop is heapq.heappop.
func (t *timerHeap) pop() *TimerHandle {
	n := len(t.h) - 1
	last := t.h[n]
	t.h[n] = timerSlot{}
	t.h = t.h[:n]
	if n == 0 {
		return last.th
	}
	ret := t.h[0].th
	t.h[0] = last
	t.siftUp(0)
	return ret
}

// heapify is heapq.heapify.
func (t *timerHeap) heapify() {
	for i := len(t.h)/2 - 1; i >= 0; i-- {
		t.siftUp(i)
	}
}

// siftDown is heapq._siftdown: move the item at pos up towards start.
func (t *timerHeap) siftDown(start, pos int) {
	h := t.h
	item := h[pos]
	for pos > start {
		parent := (pos - 1) >> 1
		if t.less(&item, &h[parent]) {
			h[pos] = h[parent]
			pos = parent
			continue
		}
		break
	}
	h[pos] = item
}

// siftUp is heapq._siftup: move the smaller child up until a leaf is
// reached, then sift the item down from there (Floyd's trick, as heapq does).
func (t *timerHeap) siftUp(pos int) {
	h := t.h
	end := len(h)
	start := pos
	item := h[pos]
	child := 2*pos + 1
	for child < end {
		right := child + 1
		if right < end && !t.less(&h[child], &h[right]) {
			child = right
		}
		h[pos] = h[child]
		pos = child
		child = 2*pos + 1
	}
	h[pos] = item
	t.siftDown(start, pos)
}

// removeCancelled rebuilds the heap without cancelled timers, as _run_once
// does when they are too many.
func (t *timerHeap) removeCancelled() {
	kept := t.h[:0]
	for _, x := range t.h {
		if x.th.cancelled {
			x.th.scheduled = false
		} else {
			kept = append(kept, x)
		}
	}
	clear(t.h[len(kept):])
	t.h = kept
	t.heapify()
}

func (t *timerHeap) clear() {
	for _, x := range t.h {
		x.th.scheduled = false
	}
	clear(t.h)
	t.h = t.h[:0]
}
