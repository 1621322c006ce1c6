// Package deque is a ring buffer standing for Python's collections.deque:
// O(1) at both ends. The queues keep their items and their lines of
// waiting getters and putters in one; the locks their lines of waiters.
//
// A Deque is not safe for concurrent use; its owners use it on their loop's
// goroutine.
package deque

// A Deque is a double-ended queue. The zero value is empty and ready.
type Deque[T any] struct {
	buf        []T
	head, size int
}

// Len returns the number of elements.
func (d *Deque[T]) Len() int { return d.size }

// At returns the i-th element from the front.
func (d *Deque[T]) At(i int) T { return d.buf[(d.head+i)%len(d.buf)] }

// PushBack appends v at the back.
func (d *Deque[T]) PushBack(v T) {
	if d.size == len(d.buf) {
		d.grow()
	}
	d.buf[(d.head+d.size)%len(d.buf)] = v
	d.size++
}

// PopFront removes and returns the front element; the deque must not be
// empty.
func (d *Deque[T]) PopFront() T {
	var zero T
	v := d.buf[d.head]
	d.buf[d.head] = zero // let the element be collected
	d.head = (d.head + 1) % len(d.buf)
	d.size--
	return v
}

// PopBack removes and returns the back element; the deque must not be
// empty.
func (d *Deque[T]) PopBack() T {
	var zero T
	i := (d.head + d.size - 1) % len(d.buf)
	v := d.buf[i]
	d.buf[i] = zero
	d.size--
	return v
}

// RemoveAt deletes the i-th element, closing the gap from the back.
func (d *Deque[T]) RemoveAt(i int) {
	if i == 0 {
		d.PopFront()
		return
	}
	for j := i; j < d.size-1; j++ {
		d.buf[(d.head+j)%len(d.buf)] = d.At(j + 1)
	}
	d.PopBack()
}

// Items returns the elements, front first.
func (d *Deque[T]) Items() []T {
	out := make([]T, d.size)
	for i := range out {
		out[i] = d.At(i)
	}
	return out
}

func (d *Deque[T]) grow() {
	n := 2 * len(d.buf)
	if n == 0 {
		n = 4
	}
	buf := make([]T, n)
	for i := 0; i < d.size; i++ {
		buf[i] = d.At(i)
	}
	d.buf, d.head = buf, 0
}

// Remove deletes the first element equal to v and reports whether there
// was one (deque.remove, without the ValueError).
func Remove[T comparable](d *Deque[T], v T) bool {
	for i := 0; i < d.size; i++ {
		if d.At(i) == v {
			d.RemoveAt(i)
			return true
		}
	}
	return false
}
