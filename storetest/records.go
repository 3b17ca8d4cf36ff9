package storetest

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"parley"
)

// records is how a suite reaches one kind of process record (party,
// person, channel, contact, source) through its service, so that the
// rules every kind follows are checked by one piece of code.
type records[T any] struct {
	what   string
	create func(context.Context, *T) error
	update func(context.Context, *T) error
	find   func(context.Context, string) (*T, error)
	list   func(context.Context, string) ([]*T, error)
	// keys returns where the record keeps its ID and its process's ID.
	keys func(r *T) (id, processID *string)
	// same reports whether two records are equal; nil means
	// reflect.DeepEqual.
	same func(a, b *T) bool
}

// newRecords describes a kind of record by its service's methods.
func newRecords[T any](what string, create, update func(context.Context, *T) error,
	find func(context.Context, string) (*T, error), list func(context.Context, string) ([]*T, error),
	keys func(r *T) (id, processID *string)) records[T] {
	return records[T]{what: what, create: create, update: update, find: find, list: list, keys: keys}
}

// must stores a new record with create and returns it, failing the test
// when the store refuses it.
func must[T any](t *testing.T, create func(context.Context, *T) error, r *T) *T {
	t.Helper()
	if err := create(asSystem(), r); err != nil {
		t.Fatalf("creating %+v: %v", r, err)
	}
	return r
}

// refusal is a write a store must refuse: an edit of a valid record that
// makes it invalid, or makes it refer to a record that is not in its
// process.
type refusal[T any] struct {
	name  string
	edit  func(r *T)
	field string // the field the EINVALID error must name
	// createOnly marks an edit an update ignores (the process).
	createOnly bool
}

// equal reports whether a and b are the same record.
func (k records[T]) equal(a, b *T) bool {
	if k.same != nil {
		return k.same(a, b)
	}
	return reflect.DeepEqual(a, b)
}

// checkRules checks what holds for every kind of record, starting from
// valid, which returns a new valid record of one process, and other, the
// ID of another process: a record reads back as it was written; each
// refusal is refused on create and on update, with an error naming its
// field, and nothing changes; an update does not move a record to another
// process; a missing record or process is not found.
func (k records[T]) checkRules(t *testing.T, valid func() *T, other string, refusals []refusal[T]) {
	t.Helper()
	ctx := asSystem()
	r := valid()
	if err := k.create(ctx, r); err != nil {
		t.Fatalf("creating a valid %s: %v", k.what, err)
	}
	id, processID := k.keys(r)
	if len(*id) != 12 {
		t.Errorf("got ID %q, want 12 characters", *id)
	}
	stored := k.mustFind(t, *id)
	if !k.equal(stored, r) {
		t.Errorf("read back %+v, want %+v", stored, r)
	}
	count := func() int {
		rs, err := k.list(ctx, *processID)
		if err != nil {
			t.Fatal(err)
		}
		return len(rs)
	}
	before := count()

	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			c := valid()
			tt.edit(c)
			wantCode(t, "create", k.create(ctx, c), parley.EINVALID, tt.field)
			if cid, _ := k.keys(c); *cid != "" {
				t.Errorf("a refused %s got ID %q", k.what, *cid)
			}
			if n := count(); n != before {
				t.Errorf("got %d %s records after a refused create, want %d", n, k.what, before)
			}
			if tt.createOnly {
				return
			}
			u := k.mustFind(t, *id)
			tt.edit(u)
			wantCode(t, "update", k.update(ctx, u), parley.EINVALID, tt.field)
			if got := k.mustFind(t, *id); !k.equal(got, stored) {
				t.Errorf("a refused update left %+v, want %+v", got, stored)
			}
		})
	}

	t.Run("process kept", func(t *testing.T) {
		u := k.mustFind(t, *id)
		_, uProcessID := k.keys(u)
		*uProcessID = other
		if err := k.update(ctx, u); err != nil {
			t.Fatal(err)
		}
		if *uProcessID != *processID {
			t.Errorf("update reported process %q, want %q: a record stays in its process", *uProcessID, *processID)
		}
		_, gotProcessID := k.keys(k.mustFind(t, *id))
		if *gotProcessID != *processID {
			t.Errorf("got process %q after update, want %q", *gotProcessID, *processID)
		}
		rs, err := k.list(ctx, other)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if rid, _ := k.keys(r); *rid == *id {
				t.Errorf("the other process lists %s %q", k.what, *id)
			}
		}
	})

	t.Run("not found", func(t *testing.T) {
		_, err := k.find(ctx, "nosuchrecord")
		wantCode(t, "find", err, parley.ENOTFOUND, "")
		_, err = k.list(ctx, "nosuchprocess")
		wantCode(t, "list of a missing process", err, parley.ENOTFOUND, "")
		u := valid()
		uid, _ := k.keys(u)
		*uid = "nosuchrecord"
		wantCode(t, "update", k.update(ctx, u), parley.ENOTFOUND, "")
		if n := count(); n != before {
			t.Errorf("got %d %s records after updating a missing one, want %d", n, k.what, before)
		}
	})
}

// mustFind returns the record with the given ID.
func (k records[T]) mustFind(t *testing.T, id string) *T {
	t.Helper()
	r, err := k.find(asSystem(), id)
	if err != nil {
		t.Fatalf("finding %s %q: %v", k.what, id, err)
	}
	return r
}

// checkOrder checks that a process's records are listed in the order
// want gives, as labels of each record.
func (k records[T]) checkOrder(t *testing.T, processID string, label func(r *T) string, want []string) {
	t.Helper()
	list, err := k.list(asSystem(), processID)
	if err != nil {
		t.Fatal(err)
	}
	got := make([]string, len(list))
	for i, r := range list {
		got[i] = label(r)
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %s records %q, want %q", k.what, got, want)
	}
}

// fixture is what the suites of process records start from: a process
// with three parties, and another process with a party of its own, to
// refer to across processes.
type fixture struct {
	proc, other         *parley.Process
	ukraine, russia, us *parley.Party
	hamas               *parley.Party // of other
}

// newFixture stores a fixture.
func newFixture(t *testing.T, s *Store) *fixture {
	t.Helper()
	party := func(processID, name string, kind parley.PartyKind) *parley.Party {
		t.Helper()
		return must(t, s.Parties.CreateParty, &parley.Party{ProcessID: processID, Name: name, Kind: kind, Classification: public})
	}
	f := &fixture{proc: mustProcess(t, s, "Russia–Ukraine 2025"), other: mustProcess(t, s, "Gaza 2025")}
	f.hamas = party(f.other.ID, "Hamas", parley.ArmedGroup)
	f.ukraine = party(f.proc.ID, "Ukraine", parley.State)
	f.us = party(f.proc.ID, "United States", parley.Mediator)
	f.russia = party(f.proc.ID, "Russia", parley.State)
	return f
}
