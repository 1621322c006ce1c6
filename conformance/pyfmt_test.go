package conformance

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop"
)

// A Tuple prints as a Python tuple: (), ('x',), (1, 2).
type Tuple []any

// A PyErr stands for a Python exception raised by a ported program
// (ValueError('x')): Go code returns or panics with it.
type PyErr struct {
	Type string
	Args Tuple
}

// Exc returns a PyErr of the given Python type with the given args.
func Exc(typ string, args ...any) *PyErr { return &PyErr{Type: typ, Args: Tuple(args)} }

// Error returns str(exc).
func (e *PyErr) Error() string { return excStr(e.Args) }

// errTypes maps Go errors to Python exception types; case files may append
// mappings for their packages' errors in init functions.
var errTypes = []func(err error) (typ string, args Tuple, ok bool){
	func(err error) (string, Tuple, bool) {
		var pe *PyErr
		if errors.As(err, &pe) {
			return pe.Type, pe.Args, true
		}
		return "", nil, false
	},
	func(err error) (string, Tuple, bool) {
		var ce *future.CancelledError
		if errors.As(err, &ce) {
			if ce.HasMsg {
				return "CancelledError", Tuple{ce.Msg}, true
			}
			return "CancelledError", Tuple{}, true
		}
		return "", nil, false
	},
	func(err error) (string, Tuple, bool) {
		var ie *future.InvalidStateError
		if errors.As(err, &ie) {
			return "InvalidStateError", Tuple{ie.Msg}, true
		}
		return "", nil, false
	},
	func(err error) (string, Tuple, bool) {
		var te *future.TimeoutError
		if errors.As(err, &te) {
			return "TimeoutError", Tuple{}, true
		}
		return "", nil, false
	},
}

// ExcType returns the Python exception type name and args for a Go error.
// An error no mapping knows is a RuntimeError carrying its message.
func ExcType(err error) (string, Tuple) {
	for _, m := range errTypes {
		if typ, args, ok := m(err); ok {
			return typ, args
		}
	}
	var pe *loop.PanicError
	if errors.As(err, &pe) {
		return "RuntimeError", Tuple{fmt.Sprint(pe.Value)}
	}
	return "RuntimeError", Tuple{err.Error()}
}

// ExcName is type(exc).__name__.
func ExcName(err error) string {
	typ, _ := ExcType(err)
	return typ
}

// ExcArgs is repr(exc.args).
func ExcArgs(err error) string {
	_, args := ExcType(err)
	return Repr(args)
}

func excStr(args Tuple) string {
	switch len(args) {
	case 0:
		return ""
	case 1:
		return Str(args[0])
	}
	return Repr(args)
}

// Str is Python's str(v).
func Str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case error:
		if x == nil {
			return "None"
		}
		_, args := ExcType(x)
		return excStr(args)
	}
	return Repr(v)
}

// Repr is Python's repr(v) for the values ported programs print.
func Repr(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case string:
		return reprString(x)
	case bool:
		if x {
			return "True"
		}
		return "False"
	case float64:
		return reprFloat(x)
	case float32:
		return reprFloat(float64(x))
	case Tuple:
		parts := make([]string, len(x))
		for i, a := range x {
			parts[i] = Repr(a)
		}
		if len(x) == 1 {
			return "(" + parts[0] + ",)"
		}
		return "(" + strings.Join(parts, ", ") + ")"
	case error:
		typ, args := ExcType(x)
		if len(args) == 1 {
			return typ + "(" + Repr(args[0]) + ")"
		}
		s := Repr(args)
		if len(args) == 0 {
			return typ + "()"
		}
		return typ + s
	case fmt.Stringer:
		return x.String()
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(rv.Uint(), 10)
	case reflect.Slice, reflect.Array:
		parts := make([]string, rv.Len())
		for i := range parts {
			parts[i] = Repr(rv.Index(i).Interface())
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return "None"
		}
		return Repr(rv.Elem().Interface())
	}
	return fmt.Sprint(v)
}

func reprString(s string) string {
	quote := byte('\'')
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		quote = '"'
	}
	var b strings.Builder
	b.WriteByte(quote)
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == rune(quote):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(quote)
	return b.String()
}

// reprFloat is Python's float repr: the shortest round-trip digits, in
// exponent form when the exponent is below -4 or at least 16.
func reprFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		return "nan"
	}
	e := strconv.FormatFloat(f, 'e', -1, 64)
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if exp < -4 || exp >= 16 {
		mant, ex, _ := strings.Cut(e, "e")
		sign := ex[0]
		digits := strings.TrimLeft(ex[1:], "0")
		if len(digits) < 2 {
			digits = strings.Repeat("0", 2-len(digits)) + digits
		}
		return mant + "e" + string(sign) + digits
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsAny(s, ".") {
		s += ".0"
	}
	return s
}
