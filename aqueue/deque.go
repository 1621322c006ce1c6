package aqueue

// A deque is a ring buffer standing for Python's collections.deque: the
// FIFO and LIFO queues' items, and the lines of waiting getters and
// putters.
type deque[T any] struct {
	buf        []T
	head, size int
}

func (d *deque[T]) len() int { return d.size }

func (d *deque[T]) at(i int) T { return d.buf[(d.head+i)%len(d.buf)] }

func (d *deque[T]) pushBack(v T) {
	if d.size == len(d.buf) {
		d.grow()
	}
	d.buf[(d.head+d.size)%len(d.buf)] = v
	d.size++
}

func (d *deque[T]) popFront() T {
	var zero T
	v := d.buf[d.head]
	d.buf[d.head] = zero // let the item be collected
	d.head = (d.head + 1) % len(d.buf)
	d.size--
	return v
}

func (d *deque[T]) popBack() T {
	var zero T
	i := (d.head + d.size - 1) % len(d.buf)
	v := d.buf[i]
	d.buf[i] = zero
	d.size--
	return v
}

// removeAt deletes the i-th element, closing the gap from the back.
func (d *deque[T]) removeAt(i int) {
	if i == 0 {
		d.popFront()
		return
	}
	for j := i; j < d.size-1; j++ {
		d.buf[(d.head+j)%len(d.buf)] = d.at(j + 1)
	}
	d.popBack()
}

// items returns the elements, front first.
func (d *deque[T]) items() []T {
	out := make([]T, d.size)
	for i := range out {
		out[i] = d.at(i)
	}
	return out
}

func (d *deque[T]) grow() {
	n := 2 * len(d.buf)
	if n == 0 {
		n = 4
	}
	buf := make([]T, n)
	for i := 0; i < d.size; i++ {
		buf[i] = d.at(i)
	}
	d.buf, d.head = buf, 0
}
