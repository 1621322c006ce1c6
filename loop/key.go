package loop

// A Key names per-loop state of type T that a package built on the loop
// keeps (the task registry, the default executor, ...), so that no package
// needs a global map from loops to its state.
type Key[T any] struct {
	name string
}

// NewKey returns a new key; name is for debugging only.
func NewKey[T any](name string) *Key[T] { return &Key[T]{name: name} }

// Get returns the loop's value for k, allocating a zero T on first use.
// Must be called on the loop's goroutine (or while it is not running).
func (k *Key[T]) Get(l *Loop) *T {
	if v, ok := l.locals[k]; ok {
		return v.(*T)
	}
	if l.locals == nil {
		l.locals = map[any]any{}
	}
	v := new(T)
	l.locals[k] = v
	return v
}

// Lookup returns the loop's value for k, or nil if Get was never called.
func (k *Key[T]) Lookup(l *Loop) *T {
	if v, ok := l.locals[k]; ok {
		return v.(*T)
	}
	return nil
}

// String returns the key's name.
func (k *Key[T]) String() string { return k.name }
