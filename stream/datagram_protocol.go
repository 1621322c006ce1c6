//go:build unix

package stream

import "net"

// A DatagramProtocol receives the events of a datagram endpoint
// (asyncio.DatagramProtocol with its base, asyncio.BaseProtocol):
// CreateDatagramEndpoint makes one with its factory and calls its methods
// on the loop's goroutine, one at a time, in asyncio's order:
//
//	ConnectionMade (DatagramReceived | ErrorReceived)* ConnectionLost
//
// with PauseWriting and ResumeWriting in between, alternately, whenever
// the transport's buffer of unsent datagrams passes its water marks.
// Embed BaseDatagramProtocol to implement only the methods you need.
//
// A panic in DatagramReceived, ErrorReceived or ConnectionMade goes to the
// loop's exception handler as a panic in any callback does, and the
// endpoint carries on, as in asyncio (whose datagram transport, unlike the
// stream one, does not close itself when datagram_received raises). A
// panic in ErrorReceived called from SendTo goes on to SendTo's caller. A
// panic in PauseWriting or ResumeWriting goes to the exception handler
// only; one in ConnectionLost goes there too, and the socket is closed
// anyway.
type DatagramProtocol interface {
	// ConnectionMade is called once the endpoint is set up, before
	// anything else (asyncio's connection_made). t is the endpoint's
	// transport: keep it to send datagrams.
	ConnectionMade(t *DatagramTransport)

	// DatagramReceived is called with each datagram received and its
	// sender's address (asyncio's datagram_received): a *net.UDPAddr, or
	// a *net.UnixAddr, nil for an unnamed (unbound) Unix-domain sender,
	// to which no reply can go (Python's None). data is only valid during
	// the call: the transport receives every datagram of its loop into
	// one buffer. Copy what you keep (bytes.Clone, append). Sending it
	// back with DatagramTransport.SendTo is fine: SendTo copies what it
	// does not send at once. A datagram longer than 256 KiB (asyncio's
	// max_size) is truncated to it.
	DatagramReceived(data []byte, addr net.Addr)

	// ErrorReceived is called when sending or receiving a datagram fails
	// (asyncio's error_received, for an OSError): errors.Is(err,
	// syscall.ECONNREFUSED) when an earlier datagram of a connected
	// endpoint found no one listening (an ICMP port unreachable), for
	// instance. The endpoint stays open; a datagram whose sending failed
	// is dropped.
	ErrorReceived(err error)

	// ConnectionLost is called once, last, when the endpoint is closed
	// (asyncio's connection_lost): err is nil for Close and Abort.
	ConnectionLost(err error)

	// PauseWriting is called when the transport's buffer of unsent
	// datagrams goes above its high-water mark (asyncio's pause_writing):
	// stop sending until ResumeWriting. SendTo still works meanwhile; it
	// buffers.
	PauseWriting()

	// ResumeWriting is called when the buffer is back down to its
	// low-water mark after PauseWriting (asyncio's resume_writing).
	ResumeWriting()
}

// BaseDatagramProtocol implements every method of DatagramProtocol doing
// nothing, as asyncio.DatagramProtocol does: embed it in a protocol type
// to implement only the methods it needs.
//
//	type echo struct {
//		stream.BaseDatagramProtocol
//		t *stream.DatagramTransport
//	}
//
//	func (e *echo) ConnectionMade(t *stream.DatagramTransport)  { e.t = t }
//	func (e *echo) DatagramReceived(data []byte, addr net.Addr) { e.t.SendTo(data, addr) }
type BaseDatagramProtocol struct{}

// ConnectionMade does nothing (asyncio's BaseProtocol.connection_made).
func (BaseDatagramProtocol) ConnectionMade(*DatagramTransport) {}

// DatagramReceived does nothing (asyncio's
// DatagramProtocol.datagram_received).
func (BaseDatagramProtocol) DatagramReceived([]byte, net.Addr) {}

// ErrorReceived does nothing (asyncio's DatagramProtocol.error_received).
func (BaseDatagramProtocol) ErrorReceived(error) {}

// ConnectionLost does nothing (asyncio's BaseProtocol.connection_lost).
func (BaseDatagramProtocol) ConnectionLost(error) {}

// PauseWriting does nothing (asyncio's BaseProtocol.pause_writing).
func (BaseDatagramProtocol) PauseWriting() {}

// ResumeWriting does nothing (asyncio's BaseProtocol.resume_writing).
func (BaseDatagramProtocol) ResumeWriting() {}
