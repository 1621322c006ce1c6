package loop

import (
	"math/rand/v2"

	"github.com/goasyncio/goasyncio/internal/goid"
)

// WithPerturbation makes the loop reorder, pseudo-randomly from seed, what
// asyncio's contract leaves unordered, so that a test run over many seeds
// finds code that depends on an order nobody promised:
//
//   - timers with equal deadlines run in a random order (instead of the
//     order CPython's heapq pops them);
//   - callbacks posted with CallSoonThreadsafe that one iteration takes in
//     together are interleaved at random, keeping the order of those posted
//     by the same goroutine;
//   - set-ordered results (task.All, and what else calls ShuffleSet) come in
//     a random order.
//
// Everything asyncio does promise stays as it is: CallSoon callbacks run in
// FIFO order, a task's steps and its future's done-callbacks in the order
// CPython schedules them, timers in deadline order.
//
// The same program with the same seed runs in the same order (each of the
// three kinds of reordering draws from its own stream, so the timing of
// other goroutines' posts does not shift the timer order). Without this
// option the loop is CPython-identical; it overrides WithStableTimerOrder.
//
// It is meant for tests: with it, CallSoonThreadsafe records the posting
// goroutine's identity, which costs a few microseconds a post.
func WithPerturbation(seed uint64) Option {
	return func(l *Loop) {
		l.perturb = &perturber{
			seed:   seed,
			timers: rand.New(rand.NewPCG(seed, 1)),
			inbox:  rand.New(rand.NewPCG(seed, 2)),
			sets:   rand.New(rand.NewPCG(seed, 3)),
		}
		l.timers.stable = true // ties are broken by TimerHandle.seq, drawn at random
	}
}

// perturber is the state of WithPerturbation.
type perturber struct {
	seed   uint64
	timers *rand.Rand
	inbox  *rand.Rand
	sets   *rand.Rand

	// posters holds the goroutine id of each callback in the loop's inbox,
	// in the same order; like the inbox it is guarded by Loop.mu.
	posters []uint64
	batch   []uint64
}

// PerturbationSeed returns the seed given to WithPerturbation and whether
// the loop has one; looptest prints it when a test fails. Safe for
// concurrent use.
func (l *Loop) PerturbationSeed() (seed uint64, ok bool) {
	if l.perturb == nil {
		return 0, false
	}
	return l.perturb.seed, true
}

// ShuffleSet reorders s, a result whose order asyncio leaves open (a set,
// such as all_tasks() or the done set of wait()), when l perturbs its order
// (WithPerturbation); otherwise it leaves s as it is. Packages built on the
// loop call it before returning such a result. Must be called on the loop's
// goroutine.
func ShuffleSet[T any](l *Loop, s []T) {
	if l.perturb != nil {
		l.perturb.sets.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
	}
}

// timerSeq returns the tie-breaking key of a new timer: random, so that
// timers with equal deadlines run in a random order.
func (p *perturber) timerSeq() uint64 { return p.timers.Uint64() }

// notePost records which goroutine posted the callback just appended to
// the inbox. Called with l.mu held.
func (p *perturber) notePost() { p.posters = append(p.posters, goid.Get()) }

// perturbInbox interleaves the callbacks drained from the inbox at random,
// keeping the order among those posted by one goroutine. posted are the
// oldest len(posted) entries of p.posters.
func (l *Loop) perturbInbox(posted []func()) {
	p := l.perturb
	n := len(posted)
	l.mu.Lock()
	if n > len(p.posters) { // the loop closed meanwhile, or a post predates the option
		n = len(p.posters)
	}
	p.batch = append(p.batch[:0], p.posters[:n]...)
	p.posters = p.posters[:copy(p.posters, p.posters[n:])]
	l.mu.Unlock()
	if n < 2 || n != len(posted) {
		return
	}

	// Name the posters 0, 1, ... by first appearance, so that the result
	// depends on the shape of the batch and the seed, not on goroutine ids.
	labels := make([]int, n)
	names := map[uint64]int{}
	for i, g := range p.batch {
		id, ok := names[g]
		if !ok {
			id = len(names)
			names[g] = id
		}
		labels[i] = id
	}
	if len(names) < 2 {
		return
	}
	// A uniformly random interleaving: shuffle the multiset of labels, then
	// hand each poster's callbacks out in order.
	byPoster := make([][]func(), len(names))
	for i, fn := range posted {
		byPoster[labels[i]] = append(byPoster[labels[i]], fn)
	}
	p.inbox.Shuffle(n, func(i, j int) { labels[i], labels[j] = labels[j], labels[i] })
	for i, id := range labels {
		posted[i] = byPoster[id][0]
		byPoster[id] = byPoster[id][1:]
	}
}
