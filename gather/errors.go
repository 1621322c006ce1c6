package gather

import "errors"

var (
	// ErrEmpty is returned by Wait for an empty slice of awaitables
	// (asyncio.wait raises ValueError('Set of Tasks/Futures is empty.')).
	ErrEmpty = errors.New("gather: set of awaitables is empty")

	// ErrReturnWhen is returned by Wait for a ReturnWhen value that is none
	// of the three constants (asyncio.wait raises ValueError).
	ErrReturnWhen = errors.New("gather: invalid ReturnWhen value")

	// ErrNil reports a nil awaitable among the arguments (asyncio raises
	// TypeError for an argument that is not awaitable).
	ErrNil = errors.New("gather: nil awaitable")
)
