package loop

import "sync/atomic"

// A Key names per-loop state of type T that a package built on the loop
// keeps (the task registry, the default executor, ...), so that no package
// needs a global map from loops to its state. Keys are meant to be
// package-level variables: each has an index into every loop's slice of
// values, so that Get costs no hashing (task.Spawn calls it every time).
type Key[T any] struct {
	name  string
	index int
}

// keys counts the keys made so far: the next key's index.
var keys atomic.Int64

// NewKey returns a new key; name is for debugging only.
func NewKey[T any](name string) *Key[T] {
	return &Key[T]{name: name, index: int(keys.Add(1) - 1)}
}

// Get returns the loop's value for k, allocating a zero T on first use.
// Must be called on the loop's goroutine (or while it is not running).
func (k *Key[T]) Get(l *Loop) *T {
	if v := k.Lookup(l); v != nil {
		return v
	}
	if k.index >= len(l.locals) {
		l.locals = append(l.locals, make([]any, k.index+1-len(l.locals))...)
	}
	v := new(T)
	l.locals[k.index] = v
	return v
}

// Lookup returns the loop's value for k, or nil if Get was never called.
func (k *Key[T]) Lookup(l *Loop) *T {
	if k.index < len(l.locals) {
		if v := l.locals[k.index]; v != nil {
			return v.(*T)
		}
	}
	return nil
}

// String returns the key's name.
func (k *Key[T]) String() string { return k.name }
