package aqueue

// heapPush and heapPop are CPython's heapq.heappush and heapq.heappop,
// step for step (including heappop's sift to a leaf and back up), so that
// items a priority queue's less function does not order pop in the same
// order as in CPython.

func heapPush[T any](h []T, v T, less func(a, b T) bool) []T {
	h = append(h, v)
	siftDown(h, 0, len(h)-1, less)
	return h
}

func heapPop[T any](h []T, less func(a, b T) bool) (T, []T) {
	var zero T
	n := len(h) - 1
	last := h[n]
	h[n] = zero
	h = h[:n]
	if n == 0 {
		return last, h
	}
	top := h[0]
	h[0] = last
	siftUp(h, 0, less)
	return top, h
}

// siftDown moves h[pos] up towards startpos while it is less than its
// parent (heapq._siftdown).
func siftDown[T any](h []T, startpos, pos int, less func(a, b T) bool) {
	item := h[pos]
	for pos > startpos {
		parentpos := (pos - 1) >> 1
		parent := h[parentpos]
		if !less(item, parent) {
			break
		}
		h[pos] = parent
		pos = parentpos
	}
	h[pos] = item
}

// siftUp moves the smaller child up until a leaf is reached, then puts
// h[pos]'s item there and sifts it back (heapq._siftup).
func siftUp[T any](h []T, pos int, less func(a, b T) bool) {
	end := len(h)
	start := pos
	item := h[pos]
	child := 2*pos + 1
	for child < end {
		if right := child + 1; right < end && !less(h[child], h[right]) {
			child = right
		}
		h[pos] = h[child]
		pos = child
		child = 2*pos + 1
	}
	h[pos] = item
	siftDown(h, start, pos, less)
}
