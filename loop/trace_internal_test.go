package loop

import "testing"

//go:noinline
func genericCallback[T any]() func() { return func() {} }

type genericType[T any] struct{}

func (genericType[T]) method() {}

func TestCallbackName(t *testing.T) {
	for _, tc := range []struct {
		name string
		fn   any
		want string
	}{
		{"plain", TestCallbackName, "loop.TestCallbackName"},
		{"generic closure", genericCallback[int](), "loop.genericCallback.func1"},
		{"generic method value", genericType[map[string][]int]{}.method, "loop.genericType.method-fm"},
		{"not a function", 42, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := callbackName(tc.fn); got != tc.want {
				t.Errorf("callbackName = %q, want %q (FuncName %q)", got, tc.want, FuncName(tc.fn))
			}
		})
	}
}
