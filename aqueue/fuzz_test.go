package aqueue_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/goasyncio/goasyncio/aqueue"
	"github.com/goasyncio/goasyncio/future"
	"github.com/goasyncio/goasyncio/loop/looptest"
	"github.com/goasyncio/goasyncio/task"
)

// FuzzQueue drives a queue with a program of random operations, decoded
// from the input, and checks it against a plain model after every step.
//
// Every successful put and get is logged by the code that made it, right
// after the call returns (nothing else runs in between), so the model
// replays them in the order the queue saw them. Checked:
//   - order: each item got is the one the model says comes next (FIFO,
//     LIFO, or an item of least priority);
//   - no item lost or duplicated: items are unique, and what is left in
//     the queue at the end is exactly what the model holds;
//   - sizes and the unfinished count match the model at every step;
//   - no lost wake-up: when every task has run as far as it can, a blocked
//     getter implies an empty queue, a blocked putter a full one, a
//     blocked joiner an unfinished item;
//   - Join returns only after the unfinished count reached zero;
//   - errors: ErrFull/ErrEmpty/ErrShutDown/ErrTooManyTaskDone exactly when
//     the model predicts them, cancellations only for cancelled tasks.
func FuzzQueue(f *testing.F) {
	for _, seed := range queueSeeds {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, program []byte) {
		runProgram(t, program)
	})
}

// queueSeeds cover each kind of queue and the interesting interleavings:
// stolen wake-ups, cancelled woken waiters, join, shutdown.
var queueSeeds = [][]byte{
	{0x00},
	{0x01, 3, 3, 3, 0, 0, 7, 1, 8, 0, 8}, // FIFO(1): getters woken, TryGet steals
	{0x12, 2, 2, 2, 2, 8, 1, 6, 1, 7, 8, 1, 1, 8},         // LIFO(2): putters, cancel a woken one
	{0x20, 0, 0, 0, 5, 3, 3, 8, 4, 4, 4, 8, 4},            // priority: join and task_done
	{0x03, 3, 3, 3, 8, 0, 0, 16, 26, 8, 0, 8, 9, 8},       // cancel woken getters
	{0x11, 2, 2, 2, 8, 1, 8, 49, 8, 5, 8},                 // shutdown with putters blocked
	{0x02, 0, 0, 5, 2, 3, 8, 9, 8, 3, 8},                  // immediate shutdown, joiner released
	{0x21, 2, 2, 2, 3, 3, 8, 6, 16, 26, 7, 1, 1, 8, 4, 8}, // priority, mixed cancellations
}

// TestQueueRandomPrograms runs pseudo-random programs (a fixed seed: the
// same programs every run) through the fuzz test's checker, so that the
// checks cover more than the seed corpus without -fuzz.
func TestQueueRandomPrograms(t *testing.T) {
	n := 2000
	if testing.Short() {
		n = 200
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range n {
		program := make([]byte, 1+r.IntN(120))
		for j := range program {
			program[j] = byte(r.IntN(256))
		}
		if !t.Run(fmt.Sprint(i), func(t *testing.T) { runProgram(t, program) }) {
			t.Fatalf("failing program: %#v", program)
		}
	}
}

// item is a queue item: a unique id, and a key a priority queue orders by
// (with many ties, so that the heap's tie order does not matter).
type item struct{ id, key int }

// model is what the queue should hold.
type model struct {
	kind       byte // 0 FIFO, 1 LIFO, 2 priority
	maxsize    int
	items      []item
	unfinished int
	zeroes     int // how many times unfinished dropped to zero
	shut       bool
}

func (m *model) full() bool { return m.maxsize > 0 && len(m.items) >= m.maxsize }

func (m *model) put(v item) { m.items = append(m.items, v) }

// get checks that v is the item the queue should give next and removes it.
func (m *model) get(v item) error {
	if len(m.items) == 0 {
		return fmt.Errorf("got %v from a queue the model says is empty", v)
	}
	var want int
	switch m.kind {
	case 0:
		want = 0
	case 1:
		want = len(m.items) - 1
	default:
		i := slices.IndexFunc(m.items, func(x item) bool { return x.id == v.id })
		if i < 0 {
			return fmt.Errorf("got %v, not in the queue %v", v, m.items)
		}
		for _, x := range m.items {
			if x.key < v.key {
				return fmt.Errorf("got %v while %v has a lower key", v, x)
			}
		}
		want = i
	}
	if m.items[want] != v {
		return fmt.Errorf("got %v, want %v (queue %v)", v, m.items[want], m.items)
	}
	m.items = slices.Delete(m.items, want, want+1)
	return nil
}

func (m *model) taskDone() {
	m.unfinished--
	if m.unfinished == 0 {
		m.zeroes++
	}
}

type role byte

const (
	getterRole role = iota
	putterRole
	joinerRole
)

type spawned struct {
	role      role
	t         *task.Task[struct{}]
	cancelled bool
}

// runProgram runs one program: its first byte picks the queue kind and
// maxsize, each later byte one operation.
func runProgram(t *testing.T, program []byte) {
	if len(program) == 0 {
		return
	}
	m := &model{kind: program[0] >> 4 % 3, maxsize: int(program[0] & 0x0f % 5)}
	var q *aqueue.Queue[item]
	switch m.kind {
	case 0:
		q = aqueue.New[item](m.maxsize)
	case 1:
		q = aqueue.NewLIFO[item](m.maxsize)
	default:
		q = aqueue.NewPriority(m.maxsize, func(a, b item) bool { return a.key < b.key })
	}
	if program[0]&0x0f >= 10 {
		m.maxsize = -1 // negative: unbounded as well
		q = aqueue.New[item](-1)
		m.kind = 0
	}
	failed := false
	fail := func(format string, args ...any) {
		failed = true
		t.Errorf(format, args...)
	}
	nextID := 0
	newItem := func() item {
		nextID++
		return item{nextID, nextID * 7 % 5}
	}
	check := func(where string) {
		if q.Len() != len(m.items) || q.Unfinished() != m.unfinished {
			fail("%s: Len=%d Unfinished=%d, model %d, %d", where, q.Len(), q.Unfinished(), len(m.items), m.unfinished)
		}
		if m.maxsize > 0 && q.Len() > m.maxsize {
			fail("%s: %d items in a queue of maxsize %d", where, q.Len(), m.maxsize)
		}
		if q.Full() != m.full() || q.Empty() != (len(m.items) == 0) {
			fail("%s: Full=%v Empty=%v with %d items, maxsize %d", where, q.Full(), q.Empty(), len(m.items), m.maxsize)
		}
	}
	// Logged by whoever made the call, right after it returned.
	putDone := func(v item, err error, blocking bool) {
		switch {
		case err == nil:
			if m.shut {
				fail("put %v succeeded on a shut-down queue", v)
			}
			m.put(v)
			m.unfinished++
		case errors.Is(err, aqueue.ErrShutDown):
			if !m.shut {
				fail("put: ErrShutDown on an open queue")
			}
		case errors.Is(err, aqueue.ErrFull) && !blocking:
			if !m.full() || m.shut {
				fail("TryPut: ErrFull with %d items, maxsize %d, shut %v", len(m.items), m.maxsize, m.shut)
			}
		default:
			if !blocking || !future.IsCancelled(err) {
				fail("put: unexpected error %v", err)
			}
		}
	}
	getDone := func(v item, err error, blocking bool) {
		switch {
		case err == nil:
			if gerr := m.get(v); gerr != nil {
				fail("get: %v", gerr)
			}
		case errors.Is(err, aqueue.ErrShutDown):
			if !m.shut || len(m.items) > 0 {
				fail("get: ErrShutDown with %d items, shut %v", len(m.items), m.shut)
			}
		case errors.Is(err, aqueue.ErrEmpty) && !blocking:
			if len(m.items) > 0 || m.shut {
				fail("TryGet: ErrEmpty with %d items, shut %v", len(m.items), m.shut)
			}
		default:
			if !blocking || !future.IsCancelled(err) {
				fail("get: unexpected error %v", err)
			}
		}
	}

	var tasks []*spawned
	pending := func() []*spawned {
		var out []*spawned
		for _, s := range tasks {
			if !s.t.Done() {
				out = append(out, s)
			}
		}
		return out
	}
	// quiesce lets every task run as far as it can, then checks that no
	// blocked task could have gone on.
	quiesce := func(c *task.Coro, where string) error {
		if err := c.Sleep(time.Millisecond); err != nil {
			return err
		}
		check(where)
		for _, s := range pending() {
			switch {
			case s.role == getterRole && (!q.Empty() || m.shut):
				fail("%s: a getter is blocked on a queue with %d items (shut %v)", where, q.Len(), m.shut)
			case s.role == putterRole && (!q.Full() || m.shut):
				fail("%s: a putter is blocked on a queue with %d items, maxsize %d (shut %v)", where, q.Len(), m.maxsize, m.shut)
			case s.role == joinerRole && q.Unfinished() == 0:
				fail("%s: a joiner is blocked with no unfinished item", where)
			}
		}
		return nil
	}
	spawn := func(c *task.Coro, r role) {
		if len(tasks) >= 64 {
			return
		}
		s := &spawned{role: r}
		var body func(*task.Coro) (struct{}, error)
		switch r {
		case getterRole:
			body = func(c *task.Coro) (struct{}, error) {
				v, err := q.Get(c)
				getDone(v, err, true)
				if err != nil && future.IsCancelled(err) != s.cancelled {
					fail("getter: %v, cancelled %v", err, s.cancelled)
				}
				return struct{}{}, nil
			}
		case putterRole:
			v := newItem()
			body = func(c *task.Coro) (struct{}, error) {
				err := q.Put(c, v)
				putDone(v, err, true)
				if err != nil && future.IsCancelled(err) != s.cancelled {
					fail("putter: %v, cancelled %v", err, s.cancelled)
				}
				return struct{}{}, nil
			}
		case joinerRole:
			body = func(c *task.Coro) (struct{}, error) {
				unfinished, zeroes := m.unfinished, m.zeroes
				err := q.Join(c)
				switch {
				case err == nil && unfinished > 0 && m.zeroes == zeroes:
					fail("Join returned, but the unfinished count never reached zero")
				case err != nil && (!future.IsCancelled(err) || !s.cancelled):
					fail("joiner: %v, cancelled %v", err, s.cancelled)
				}
				return struct{}{}, nil
			}
		}
		s.t = task.Spawn(c.Loop(), body)
		tasks = append(tasks, s)
	}

	_, err := task.RunOn(looptest.New(), func(c *task.Coro) (struct{}, error) {
		for i, b := range program[1:] {
			if failed {
				break
			}
			arg := int(b / 10)
			switch b % 10 {
			case 0:
				v := newItem()
				putDone(v, q.TryPut(v), false)
			case 1:
				v, err := q.TryGet()
				getDone(v, err, false)
			case 2:
				spawn(c, putterRole)
			case 3:
				spawn(c, getterRole)
			case 4:
				err := q.TaskDone()
				if (err != nil) != (m.unfinished == 0) {
					fail("TaskDone: %v with %d unfinished", err, m.unfinished)
				}
				if err == nil {
					m.taskDone()
				}
			case 5:
				spawn(c, joinerRole)
			case 6:
				if p := pending(); len(p) > 0 {
					s := p[arg%len(p)]
					s.cancelled = true
					s.t.Cancel()
				}
			case 7:
				if err := c.Yield(); err != nil {
					return struct{}{}, err
				}
			case 8:
				if err := quiesce(c, fmt.Sprintf("op %d", i)); err != nil {
					return struct{}{}, err
				}
			case 9:
				if arg%4 != 0 || m.shut {
					break
				}
				if arg%8 == 0 {
					q.Shutdown(aqueue.Immediate())
					for range m.items {
						if m.unfinished > 0 {
							m.taskDone()
						}
					}
					m.items = nil
				} else {
					q.Shutdown()
				}
				m.shut = true
			}
			check(fmt.Sprintf("op %d", i))
		}
		if failed {
			return struct{}{}, nil
		}
		if err := quiesce(c, "end"); err != nil {
			return struct{}{}, err
		}
		for _, s := range pending() {
			s.cancelled = true
			s.t.Cancel()
		}
		if err := quiesce(c, "after cancelling"); err != nil {
			return struct{}{}, err
		}
		if p := pending(); len(p) > 0 {
			fail("%d tasks still pending after being cancelled", len(p))
		}
		for !q.Empty() {
			v, err := q.TryGet()
			getDone(v, err, false)
		}
		if len(m.items) > 0 {
			fail("items lost: the model still holds %v", m.items)
		}
		return struct{}{}, nil
	})
	if err != nil {
		t.Errorf("controller: %v", err)
	}
}
