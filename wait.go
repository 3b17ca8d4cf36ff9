package parley

import "context"

// A Waiter is told when a request waits for something other than the
// CPUs, such as the disk to store a write: a server that serves a few
// requests at a time lends the waiting request's turn to another
// meanwhile, and gives it one back, first, when it goes on.
type Waiter interface {
	// Pause is called before the wait; Resume after it, and it returns
	// when the request may go on.
	Pause()
	Resume()
}

type waiterKey struct{}

// WithWaiter returns a context whose waits are told to w.
func WithWaiter(ctx context.Context, w Waiter) context.Context {
	return context.WithValue(ctx, waiterKey{}, w)
}

// Wait runs wait, the waiting of a request of ctx, between the Pause and
// Resume of the context's Waiter, if it has one.
func Wait[T any](ctx context.Context, wait func() T) T {
	w, _ := ctx.Value(waiterKey{}).(Waiter)
	if w == nil {
		return wait()
	}
	w.Pause()
	defer w.Resume()
	return wait()
}
