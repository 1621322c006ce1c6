// Package looplink carries the one call package task makes into package
// loop that is not for applications: telling debug mode's goroutine check
// which goroutines run task bodies. Package loop sets the hook in its init;
// the argument is a *loop.Loop (this package cannot name the type: loop
// imports it).
package looplink

// RegisterCoroutineGoroutine tells l's debug-mode goroutine check that the
// goroutine with the given id runs code on the loop's behalf (on), or no
// longer does. Only the loop's goroutine, or a body it resumed, calls it.
var RegisterCoroutineGoroutine func(l any, id uint64, on bool)
