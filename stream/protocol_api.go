//go:build unix

package stream

// A Protocol receives the events of one connection (asyncio.Protocol with
// its base, asyncio.BaseProtocol): CreateConnection and CreateServer make
// one with their factory for each connection and call its methods on the
// loop's goroutine, one at a time, in asyncio's order:
//
//	ConnectionMade (DataReceived* (EOFReceived)?)? ConnectionLost
//
// with PauseWriting and ResumeWriting in between, alternately, whenever
// the write buffer passes its water marks. Embed BaseProtocol to implement
// only the methods you need.
//
// A panic in DataReceived or EOFReceived goes to the loop's exception
// handler and closes the connection at once: ConnectionLost receives it as
// a *loop.PanicError (asyncio's _fatal_error). A panic in PauseWriting or
// ResumeWriting goes to the exception handler only; one in ConnectionMade
// or ConnectionLost goes there as a panic in a callback does, and the
// connection carries on (ConnectionMade) or is released anyway
// (ConnectionLost), as in asyncio.
type Protocol interface {
	// ConnectionMade is called once the connection is set up, before
	// anything else (asyncio's connection_made). t is the connection's
	// transport: keep it to write to the connection.
	ConnectionMade(t *Transport)

	// DataReceived is called with each chunk of data read from the
	// connection (asyncio's data_received). data is only valid during
	// the call: the transport reads every connection of its loop into
	// one buffer. Copy what you keep (bytes.Clone, append). Writing it
	// back with Transport.Write is fine: Write copies what it does not
	// send at once.
	DataReceived(data []byte)

	// EOFReceived is called when the peer has shut down its sending side
	// (asyncio's eof_received). Return false to have the transport close
	// itself (BaseProtocol's answer, as asyncio's None); true keeps the
	// connection open, half-closed: no more data arrives, and the
	// protocol may still write, then close the transport.
	EOFReceived() bool

	// ConnectionLost is called once, last, when the connection is closed
	// (asyncio's connection_lost): err is nil for a close (by either side
	// or Abort), the error for a failure (errors.Is(err,
	// syscall.ECONNRESET) for a reset), a *loop.PanicError when the
	// protocol panicked.
	ConnectionLost(err error)

	// PauseWriting is called when the transport's write buffer goes above
	// its high-water mark (asyncio's pause_writing): stop writing until
	// ResumeWriting. Writes still work meanwhile; they are buffered.
	PauseWriting()

	// ResumeWriting is called when the write buffer is back down to its
	// low-water mark after PauseWriting (asyncio's resume_writing).
	ResumeWriting()
}

// BaseProtocol implements every method of Protocol doing nothing, and
// EOFReceived returning false, as asyncio's base classes do: embed it in a
// protocol type to implement only the methods it needs.
//
//	type echo struct {
//		stream.BaseProtocol
//		t *stream.Transport
//	}
//
//	func (e *echo) ConnectionMade(t *stream.Transport) { e.t = t }
//	func (e *echo) DataReceived(data []byte)        { e.t.Write(data) }
type BaseProtocol struct{}

// ConnectionMade does nothing (asyncio's BaseProtocol.connection_made).
func (BaseProtocol) ConnectionMade(*Transport) {}

// DataReceived does nothing (asyncio's Protocol.data_received).
func (BaseProtocol) DataReceived([]byte) {}

// EOFReceived returns false: the transport closes itself (asyncio's
// Protocol.eof_received returns None).
func (BaseProtocol) EOFReceived() bool { return false }

// ConnectionLost does nothing (asyncio's BaseProtocol.connection_lost).
func (BaseProtocol) ConnectionLost(error) {}

// PauseWriting does nothing (asyncio's BaseProtocol.pause_writing).
func (BaseProtocol) PauseWriting() {}

// ResumeWriting does nothing (asyncio's BaseProtocol.resume_writing).
func (BaseProtocol) ResumeWriting() {}
