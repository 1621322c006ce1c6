package loop

// entry is one callback waiting in the ready queue.
type entry struct {
	fn     func()
	h      *Handle // nil for callbacks queued without a handle (Enqueue)
	source any     // what error reports name; nil means fn
}

// readyQueue is the FIFO of callbacks ready to run (CPython's _ready deque).
// It is a ring buffer that grows by doubling and never shrinks below its
// initial size, so a steady stream of callbacks allocates nothing.
type readyQueue struct {
	buf  []entry
	head int // index of the first entry
	n    int // number of entries
}

func (q *readyQueue) len() int { return q.n }

func (q *readyQueue) push(e entry) {
	if q.n == len(q.buf) {
		q.grow()
	}
	i := q.head + q.n
	if i >= len(q.buf) {
		i -= len(q.buf)
	}
	q.buf[i] = e
	q.n++
}

func (q *readyQueue) pop() entry {
	e := q.buf[q.head]
	q.buf[q.head] = entry{} // drop references for the garbage collector
	q.head++
	if q.head == len(q.buf) {
		q.head = 0
	}
	q.n--
	return e
}

func (q *readyQueue) grow() {
	size := 2 * len(q.buf)
	if size == 0 {
		size = 64
	}
	buf := make([]entry, size)
	k := copy(buf, q.buf[q.head:])
	copy(buf[k:], q.buf[:q.head])
	q.buf = buf
	q.head = 0
}

func (q *readyQueue) clear() {
	clear(q.buf)
	q.head, q.n = 0, 0
}
