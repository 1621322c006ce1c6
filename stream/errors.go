//go:build unix

package stream

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"syscall"
)

var (
	// ErrClosed reports a write on a Writer or Transport that was closed
	// (or aborted). asyncio drops such writes silently; errors.Is(err,
	// net.ErrClosed) holds too.
	ErrClosed = fmt.Errorf("stream: connection is closed: %w", net.ErrClosed)

	// ErrConnectionLost is what Drain returns once the connection is gone
	// (asyncio's ConnectionResetError('Connection lost')); errors.Is(err,
	// syscall.ECONNRESET) holds.
	ErrConnectionLost = fmt.Errorf("stream: connection lost: %w", syscall.ECONNRESET)

	// ErrWriteAfterEOF reports a write after WriteEOF (asyncio's
	// RuntimeError 'Cannot call write() after write_eof()').
	ErrWriteAfterEOF = errors.New("stream: write after WriteEOF")

	// ErrConcurrentRead reports a read while another task is already
	// waiting for data on the same Reader (asyncio's RuntimeError): which
	// one would get the next data is unspecified.
	ErrConcurrentRead = errors.New("stream: another task is already waiting for incoming data")

	// ErrNilProtocol reports a protocol factory that returned nil (or a
	// nil factory) given to CreateConnection or CreateServer.
	ErrNilProtocol = errors.New("stream: protocol factory returned nil")

	// ErrServerClosed reports ServeForever on a closed Server.
	ErrServerClosed = errors.New("stream: server is closed")

	// ErrServing reports a second ServeForever on the same Server.
	ErrServing = errors.New("stream: server is already being awaited on ServeForever")
)

// An IncompleteReadError reports end of stream before ReadExactly or
// ReadUntil got what they wanted (asyncio.IncompleteReadError). Partial
// holds what was read; it is also removed from the Reader. errors.Is(err,
// io.ErrUnexpectedEOF) holds.
type IncompleteReadError struct {
	Partial  []byte
	Expected int // the size ReadExactly wanted; -1 for ReadUntil (Python's None)
}

// Error returns asyncio's message, "N bytes read on a total of M expected
// bytes".
func (e *IncompleteReadError) Error() string {
	expected := "undefined"
	if e.Expected >= 0 {
		expected = strconv.Itoa(e.Expected)
	}
	return fmt.Sprintf("%d bytes read on a total of %s expected bytes", len(e.Partial), expected)
}

// Is reports whether target is io.ErrUnexpectedEOF.
func (e *IncompleteReadError) Is(target error) bool { return target == io.ErrUnexpectedEOF }

// A LimitOverrunError reports that a separator was not found within the
// Reader's limit (asyncio.LimitOverrunError). ReadUntil leaves the data in
// the Reader; Consumed is how many bytes to consume to get past the
// overrun. ReadLine returns it too (asyncio turns it into a ValueError)
// after discarding the line, or the whole buffer if no newline was found.
type LimitOverrunError struct {
	Msg      string
	Consumed int
}

// Error returns the message.
func (e *LimitOverrunError) Error() string { return "stream: " + e.Msg }
