//go:build unix

package stream_test

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/stream"
	"github.com/goasyncio/goasyncio/task"
)

// feed is one step of a Reader test: data to feed, or the end of stream.
type feed struct {
	data string
	eof  bool
}

// TestReader feeds a Reader by hand (asyncio's feed_data / feed_eof), one
// piece per loop iteration, while a task reads from it, and compares what
// each read returned with what CPython 3.11 returns for the same feeds and
// reads (testdata/reader.py).
func TestReader(t *testing.T) {
	type read func(c *task.Coro, r *stream.Reader) ([]byte, error)
	readN := func(n int) read { return func(c *task.Coro, r *stream.Reader) ([]byte, error) { return r.Read(c, n) } }
	exactly := func(n int) read {
		return func(c *task.Coro, r *stream.Reader) ([]byte, error) { return r.ReadExactly(c, n) }
	}
	until := func(sep string) read {
		return func(c *task.Coro, r *stream.Reader) ([]byte, error) { return r.ReadUntil(c, []byte(sep)) }
	}
	line := func(c *task.Coro, r *stream.Reader) ([]byte, error) { return r.ReadLine(c) }

	for _, tc := range []struct {
		name  string
		limit int
		feeds []feed
		reads []read
		want  []string
	}{
		{
			name:  "read returns what is buffered, up to n",
			feeds: []feed{{data: "hello"}, {data: " world"}, {eof: true}},
			reads: []read{readN(3), readN(100), readN(100), readN(100), readN(0)},
			want:  []string{`"hel"`, `"lo"`, `" world"`, `EOF`, `""`},
		},
		{
			name:  "read(-1) reads to the end",
			limit: 4,
			feeds: []feed{{data: "abcdef"}, {data: "ghij"}, {eof: true}},
			reads: []read{readN(-1), readN(-1)},
			want:  []string{`"abcdefghij"`, `""`},
		},
		{
			name:  "readexactly across pieces, then incomplete",
			feeds: []feed{{data: "ab"}, {data: "cde"}, {data: "f"}, {eof: true}},
			reads: []read{exactly(4), exactly(3), exactly(0)},
			want:  []string{`"abcd"`, `IncompleteReadError "ef" expected 3`, `""`},
		},
		{
			name:  "readexactly of more than the limit",
			limit: 2,
			feeds: []feed{{data: "abc"}, {data: "def"}, {data: "g"}},
			reads: []read{exactly(7)},
			want:  []string{`"abcdefg"`},
		},
		{
			name:  "readuntil with a separator split between pieces",
			feeds: []feed{{data: "one<"}, {data: "<>two"}, {data: "<<>"}, {eof: true}},
			reads: []read{until("<<>"), until("<<>"), until("<<>")},
			want:  []string{`"one<<>"`, `"two<<>"`, `IncompleteReadError "" expected -1`},
		},
		{
			name:  "readuntil at eof returns the rest as incomplete",
			feeds: []feed{{data: "abc"}, {eof: true}},
			reads: []read{until("\n"), readN(10)},
			want:  []string{`IncompleteReadError "abc" expected -1`, `EOF`},
		},
		{
			name:  "readuntil over the limit leaves the data",
			limit: 4,
			feeds: []feed{{data: "abcdefgh"}, {data: "ij\n"}},
			reads: []read{until("\n"), readN(100)},
			want:  []string{`LimitOverrun "Separator is not found, and chunk exceed the limit" consumed 8`, `"abcdefgh"`},
		},
		{
			name:  "readuntil finds a separator beyond the limit",
			limit: 4,
			feeds: []feed{{data: "abcdef\nxy"}},
			reads: []read{until("\n"), readN(100)},
			want:  []string{`LimitOverrun "Separator is found, but chunk is longer than limit" consumed 6`, `"abcdef\nxy"`},
		},
		{
			name:  "readline: lines, an incomplete last line, then EOF",
			feeds: []feed{{data: "a\nb"}, {data: "c\nd"}, {eof: true}},
			reads: []read{line, line, line, line},
			want:  []string{`"a\n"`, `"bc\n"`, `"d"`, `EOF`},
		},
		{
			name:  "readline discards a line over the limit",
			limit: 3,
			feeds: []feed{{data: "abcdef\nok\n"}},
			reads: []read{line, line},
			want:  []string{`LimitOverrun "Separator is found, but chunk is longer than limit" consumed 6`, `"ok\n"`},
		},
		{
			name:  "readline discards the buffer when no newline is within the limit",
			limit: 3,
			feeds: []feed{{data: "abcdef"}, {data: "\nok\n"}},
			reads: []read{line, line},
			// The buffer went, the newline had not come yet.
			want: []string{`LimitOverrun "Separator is not found, and chunk exceed the limit" consumed 6`, `"\n"`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := looptest.NewT(t)
			var got []string
			_, err := task.RunOn(l, func(c *task.Coro) (struct{}, error) {
				var opts []stream.Option
				if tc.limit > 0 {
					opts = append(opts, stream.WithLimit(tc.limit))
				}
				r := stream.NewReader(c.Loop(), opts...)
				feeder := task.Spawn(c.Loop(), func(c *task.Coro) (struct{}, error) {
					for _, f := range tc.feeds {
						if f.eof {
							r.FeedEOF()
						} else {
							r.FeedData([]byte(f.data))
						}
						if err := c.Yield(); err != nil {
							return struct{}{}, err
						}
					}
					return struct{}{}, nil
				})
				for _, rd := range tc.reads {
					got = append(got, describe(rd(c, r)))
				}
				return struct{}{}, c.Await(feeder)
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("reads (-want +got):\n%s", diff)
			}
		})
	}
}

func describe(b []byte, err error) string {
	var inc *stream.IncompleteReadError
	var over *stream.LimitOverrunError
	switch {
	case err == io.EOF:
		return "EOF"
	case errors.As(err, &inc):
		return fmt.Sprintf("IncompleteReadError %q expected %d", inc.Partial, inc.Expected)
	case errors.As(err, &over):
		return fmt.Sprintf("LimitOverrun %q consumed %d", over.Msg, over.Consumed)
	case err != nil:
		return "error " + err.Error()
	}
	return fmt.Sprintf("%q", b)
}

// TestReaderMisuse: concurrent reads, reads after SetException, feeding
// after the end, bad arguments.
func TestReaderMisuse(t *testing.T) {
	l := looptest.NewT(t)
	boom := errors.New("boom")
	_, err := task.RunOn(l, func(c *task.Coro) (struct{}, error) {
		r := stream.NewReader(c.Loop())
		first := task.Spawn(c.Loop(), func(c *task.Coro) ([]byte, error) { return r.ReadLine(c) })
		c.Yield()
		if _, err := r.Read(c, 1); !errors.Is(err, stream.ErrConcurrentRead) {
			t.Errorf("concurrent Read: %v, want ErrConcurrentRead", err)
		}
		r.SetException(boom)
		if _, err := task.Await(c, first); err != boom {
			t.Errorf("waiting read after SetException: %v, want boom", err)
		}
		if _, err := r.ReadExactly(c, 1); err != boom {
			t.Errorf("read after SetException: %v, want boom", err)
		}
		if r.Exception() != boom {
			t.Errorf("Exception() = %v", r.Exception())
		}

		r2 := stream.NewReader(c.Loop())
		if _, err := r2.ReadExactly(c, -1); err == nil {
			t.Error("ReadExactly(-1) succeeded")
		}
		if _, err := r2.ReadUntil(c, nil); err == nil {
			t.Error("ReadUntil with an empty separator succeeded")
		}
		r2.FeedEOF()
		if !r2.AtEOF() {
			t.Error("AtEOF false after FeedEOF on an empty reader")
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Error("FeedData after FeedEOF did not panic")
				}
			}()
			r2.FeedData([]byte("x"))
		}()
		return struct{}{}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if recover() == nil {
			t.Error("NewReader with limit 0 did not panic")
		}
	}()
	stream.NewReader(looptest.New(), stream.WithLimit(0))
}

// TestReaderLines: the Lines iterator, asyncio's `async for line in
// reader`.
func TestReaderLines(t *testing.T) {
	l := looptest.NewT(t)
	var got []string
	_, err := task.RunOn(l, func(c *task.Coro) (struct{}, error) {
		r := stream.NewReader(c.Loop())
		r.FeedData([]byte("one\ntwo\nthree"))
		r.FeedEOF()
		for line, err := range r.Lines(c) {
			if err != nil {
				return struct{}{}, err
			}
			got = append(got, string(line))
		}
		return struct{}{}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"one\n", "two\n", "three"}, got); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
}
