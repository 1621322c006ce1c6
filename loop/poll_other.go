//go:build !unix

package loop

import (
	"errors"
	"time"
)

// errNoPoller is what AddReader and AddWriter return where goasyncio has no
// poller (Windows: asyncio uses a proactor there, which goasyncio does not
// port).
var errNoPoller = errors.New("loop: file-descriptor watching is not supported on this platform")

type poller struct{}

func newPoller() (*poller, error)                       { return nil, errNoPoller }
func (p *poller) control(fd int, old, mask uint8) error { return errNoPoller }
func (p *poller) wait(time.Duration) ([]ioEvent, error) { return nil, errNoPoller }
func (p *poller) wake()                                 {}
func (p *poller) close()                                {}
