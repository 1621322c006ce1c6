package loop

import (
	"testing"
)

// FuzzReadyQueue drives the block deque with pushes and pops against a
// slice and checks FIFO order and length, across block boundaries and
// block reuse.
func FuzzReadyQueue(f *testing.F) {
	f.Add([]byte{200, 3, 255, 255, 1, 90})
	f.Add([]byte{0, 0, 0, 255, 255, 255, 255, 255})
	f.Fuzz(func(t *testing.T, ops []byte) {
		var q readyQueue
		var model []int
		next := 0
		handles := map[*Handle]int{}
		for _, op := range ops {
			if op < 128 { // push op*4 entries
				for range int(op) * 4 {
					h := &Handle{}
					handles[h] = next
					q.push(entry{h: h})
					model = append(model, next)
					next++
				}
			} else { // pop up to (op-128)*4 entries
				for range int(op-128) * 4 {
					if len(model) == 0 {
						break
					}
					e := q.pop()
					if got := handles[e.h]; got != model[0] {
						t.Fatalf("popped %d, want %d", got, model[0])
					}
					model = model[1:]
				}
			}
			if q.len() != len(model) {
				t.Fatalf("len = %d, want %d", q.len(), len(model))
			}
		}
		q.clear()
		if q.len() != 0 {
			t.Fatalf("len after clear = %d", q.len())
		}
	})
}
