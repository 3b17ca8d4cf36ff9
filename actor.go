package parley

import (
	"context"
	"slices"
)

// Actor is who a request acts for: a signed-in user with the processes
// they belong to, or the system itself (the demo loader, a local command
// such as parley import, which holds the database file anyway). Stores
// take the actor from the context and decide by it what the request may
// read and write; a context without an actor may do nothing.
type Actor struct {
	// UserID identifies the user; empty for the system.
	UserID string
	// Name is the user's sign-in name, shown in the audit log.
	Name string
	// Admin: runs the instance (users, memberships) but sees no content
	// by right.
	Admin bool
	// System: the server acting for itself, with every right.
	System bool
	// Memberships are the user's roles, one per process they belong to.
	Memberships []Membership
}

// System is the actor of the server acting for itself, with every right.
var System = &Actor{System: true, Name: "system"}

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

// In returns the actor's access to one process. A nil actor has none.
func (a *Actor) In(processID string) Access {
	switch {
	case a == nil:
		return Access{}
	case a.System:
		return Access{Role: RoleMediator, system: true}
	}
	for _, m := range a.Memberships {
		if m.ProcessID == processID {
			return Access{Role: m.Role, PartyID: m.PartyID}
		}
	}
	return Access{}
}

// Label names the actor in the audit log and in messages.
func (a *Actor) Label() string {
	switch {
	case a == nil:
		return "anonymous"
	case a.System:
		return "system"
	}
	return a.Name
}

// Access is what an actor may do in one process: its role there, and for
// a delegate the party it speaks for. The zero Access belongs to no one
// and may see and do nothing.
type Access struct {
	// Role is empty when the actor is not a member of the process.
	Role Role
	// PartyID is a delegate's party.
	PartyID string
	system  bool
}

// Member reports whether the access comes from a membership of the process.
func (a Access) Member() bool { return a.Role != "" }

// Mediator reports whether the access sees and may change every record of
// the process.
func (a Access) Mediator() bool { return a.Role == RoleMediator }

// Sees reports whether a record of classification c is visible: mediators
// see everything; delegates see public and process-wide records, records
// shared with their party and their party's confidential records;
// observers see public records only; non-members see nothing.
func (a Access) Sees(c Classification) bool {
	switch a.Role {
	case RoleMediator:
		return true
	case RoleObserver:
		return c.Level == Public
	case RoleDelegate:
		switch c.Level {
		case Public, ProcessWide:
			return true
		case Shared, Confidential:
			return slices.Contains(c.PartyIDs, a.PartyID)
		}
	}
	return false
}

// Owns reports whether the access may change a record of classification
// c, its classification included. Mediators may change every record;
// a delegate only its party's own material: records confidential to its
// party, and records its party shared (those whose first listed party is
// its own). Everything else is read-only to delegates, and observers
// change nothing.
func (a Access) Owns(c Classification) bool {
	switch a.Role {
	case RoleMediator:
		return true
	case RoleDelegate:
		return (c.Level == Confidential || c.Level == Shared) && len(c.PartyIDs) > 0 && c.PartyIDs[0] == a.PartyID
	}
	return false
}

// PartyAccess is the access of a party's delegates: what the party
// itself may see, which bounds what its own records (its preferences)
// may speak of.
func PartyAccess(partyID string) Access { return Access{Role: RoleDelegate, PartyID: partyID} }

// Key identifies what the access sees, for caches of drawn pages: two
// accesses with the same key see the same records.
func (a Access) Key() string {
	switch a.Role {
	case RoleMediator:
		return "mediator"
	case RoleDelegate:
		return "delegate:" + a.PartyID
	}
	return string(a.Role)
}
