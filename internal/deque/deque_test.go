package deque

import (
	"slices"
	"testing"
)

// FuzzDeque drives a Deque against a slice model: pushes, pops at both ends,
// removals by index and by value, across growth and wrap-around.
func FuzzDeque(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 0, 1, 0, 2, 3, 0, 4})
	f.Add([]byte{0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 5, 2, 2})
	f.Fuzz(func(t *testing.T, ops []byte) {
		var d Deque[int]
		var model []int
		next := 0
		for _, op := range ops {
			switch op % 6 {
			case 0:
				d.PushBack(next)
				model = append(model, next)
				next++
			case 1:
				if len(model) > 0 {
					if got := d.PopFront(); got != model[0] {
						t.Fatalf("PopFront = %d, want %d", got, model[0])
					}
					model = model[1:]
				}
			case 2:
				if len(model) > 0 {
					if got := d.PopBack(); got != model[len(model)-1] {
						t.Fatalf("PopBack = %d, want %d", got, model[len(model)-1])
					}
					model = model[:len(model)-1]
				}
			case 3:
				if len(model) > 0 {
					i := int(op/6) % len(model)
					d.RemoveAt(i)
					model = slices.Delete(model, i, i+1)
				}
			case 4:
				v := int(op / 6)
				i := slices.Index(model, v)
				if got := Remove(&d, v); got != (i >= 0) {
					t.Fatalf("Remove(%d) = %v, want %v", v, got, i >= 0)
				}
				if i >= 0 {
					model = slices.Delete(model, i, i+1)
				}
			case 5:
				if got := d.Items(); !slices.Equal(got, model) && !(len(got) == 0 && len(model) == 0) {
					t.Fatalf("Items = %v, want %v", got, model)
				}
			}
			if d.Len() != len(model) {
				t.Fatalf("Len = %d, want %d", d.Len(), len(model))
			}
			for i, v := range model {
				if d.At(i) != v {
					t.Fatalf("At(%d) = %d, want %d", i, d.At(i), v)
				}
			}
		}
	})
}
