package locks

// A deque is a ring buffer standing for Python's collections.deque of
// waiter futures: O(1) at both ends, and remove by identity (which, for a
// waiter leaving the front of the line, is also O(1)).
type deque[T comparable] struct {
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
	d.buf[d.head] = zero
	d.head = (d.head + 1) % len(d.buf)
	d.size--
	return v
}

// remove deletes the first element equal to v and reports whether there
// was one (deque.remove, without the ValueError).
func (d *deque[T]) remove(v T) bool {
	for i := 0; i < d.size; i++ {
		if d.at(i) != v {
			continue
		}
		if i == 0 {
			d.popFront()
			return true
		}
		for j := i; j < d.size-1; j++ { // close the gap
			d.buf[(d.head+j)%len(d.buf)] = d.at(j + 1)
		}
		var zero T
		d.buf[(d.head+d.size-1)%len(d.buf)] = zero
		d.size--
		return true
	}
	return false
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
