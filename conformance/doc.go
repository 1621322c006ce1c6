// Package conformance holds the conformance suite: Go ports of the CPython
// 3.11 asyncio programs in testdata/, each of which must print exactly the
// trace CPython printed (testdata/<case>.expected).
//
// The package has no API; run it with
//
//	go test ./conformance -run 'TestConformance/004_' -v
//
// Each case lives in case_<NNN>_test.go and registers itself under the
// program's stem. Cases run on a virtual-time loop (package looptest), so the
// suite does not wait on the wall clock. A case whose Go trace must differ
// keeps testdata/<case>.go.expected beside a testdata/<case>.deviation file
// with the reason; the README lists these deviations.
package conformance
