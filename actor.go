package parley

import "context"

// Actor is who a request acts for: the user and the parties whose
// confidential material that user may see. Access control arrives with
// accounts; until then, every service method already takes a context that
// carries the actor, so that the stores can filter by it in one place.
type Actor struct {
	// UserID identifies the user; empty for an anonymous reader.
	UserID string
	// Mediator: sees every record of the processes the actor belongs to.
	Mediator bool
	// PartyIDs are the parties the actor is a delegate of.
	PartyIDs []string
}

type actorKey struct{}

// WithActor returns a context that carries the actor.
func WithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in the context, or nil.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}
