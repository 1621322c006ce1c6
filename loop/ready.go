package loop

// entry is one callback waiting in the ready queue.
type entry struct {
	// fn is the callback, or nil when h holds it: a CallSoon or timer
	// handle keeps its callback only in the handle, so that Cancel releases
	// it at once (as asyncio's Handle.cancel does) and the garbage collector
	// has one reference less to trace per queued callback.
	fn func()
	h  *Handle // nil for callbacks queued without a handle (Enqueue)
}

// blockSize is the number of entries in one block of the ready queue.
const blockSize = 256

type block struct {
	entries [blockSize]entry
	next    *block
}

// readyQueue is the FIFO of callbacks ready to run (CPython's _ready
// deque). Like CPython's deque it is a linked list of fixed-size blocks:
// growing never copies what is queued, and drained blocks are kept for
// reuse, so a steady stream of callbacks allocates nothing and a burst of a
// million costs one block allocation per 256 callbacks.
type readyQueue struct {
	head, tail *block
	hi, ti     int // next pop index in head, next push index in tail
	n          int
	spare      *block // drained blocks kept for reuse, linked by next
	nspare     int
}

// maxSpareBlocks bounds the drained blocks kept for reuse (4096 entries).
const maxSpareBlocks = 16

func (q *readyQueue) len() int { return q.n }

func (q *readyQueue) push(e entry) {
	if q.tail == nil {
		q.head = q.newBlock()
		q.tail = q.head
		q.hi, q.ti = 0, 0
	} else if q.ti == blockSize {
		b := q.newBlock()
		q.tail.next = b
		q.tail = b
		q.ti = 0
	}
	q.tail.entries[q.ti] = e
	q.ti++
	q.n++
}

func (q *readyQueue) pop() entry {
	b := q.head
	e := b.entries[q.hi]
	b.entries[q.hi] = entry{} // drop references for the garbage collector
	q.hi++
	q.n--
	if q.hi == blockSize || q.n == 0 {
		if b == q.tail { // empty: restart the block from its beginning
			q.hi, q.ti = 0, 0
		} else {
			q.head = b.next
			q.hi = 0
			b.next = nil
			if q.nspare < maxSpareBlocks {
				b.next = q.spare
				q.spare = b
				q.nspare++
			}
		}
	}
	return e
}

func (q *readyQueue) newBlock() *block {
	if b := q.spare; b != nil {
		q.spare = b.next
		q.nspare--
		b.next = nil
		return b
	}
	return new(block)
}

func (q *readyQueue) clear() {
	for q.n > 0 {
		q.pop()
	}
}
