// Package storetest is the conformance suite every Parley store passes: the
// SQLite store in every test run, the PostgreSQL store when
// PARLEY_TEST_POSTGRES_URL is set. A store's own test calls Run with a
// function that opens a fresh, empty, migrated store.
package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"parley"
)

// Store is a store under test: its services and a way to set its clock.
type Store struct {
	Processes parley.ProcessService
	Parties   parley.PartyService
	People    parley.PersonService
	Channels  parley.ChannelService
	Contacts  parley.ContactService
	Sources   parley.SourceService
	Plans     parley.PlanService
	Search    parley.SearchService
	Archive   parley.ArchiveService
	// SetNow replaces the store's clock.
	SetNow func(now func() time.Time)
}

// Opener returns a fresh, empty, migrated store that lives until the end of
// the test.
type Opener func(t *testing.T) *Store

// suites are the groups of the conformance suite, one per service, each
// in its own file.
var suites = map[string]func(t *testing.T, open Opener){}

// Run runs the whole suite against the stores open returns. A store that
// does not offer the plan, search or archive service yet leaves it nil:
// the tests that use it are then skipped, saying so, while the rest run.
func Run(t *testing.T, open Opener) {
	opener := func(t *testing.T) *Store {
		s := open(t)
		if s.Plans == nil {
			s.Plans = absent{t, "plan"}
		}
		if s.Search == nil {
			s.Search = absent{t, "search"}
		}
		if s.Archive == nil {
			s.Archive = absent{t, "archive"}
		}
		return s
	}
	for _, name := range sortedKeys(suites) {
		t.Run(name, func(t *testing.T) { suites[name](t, opener) })
	}
}

// part is a named part of a suite, run on a store of its own.
type part struct {
	name string
	test func(t *testing.T, s *Store)
}

// inParts returns a suite that runs each part as a subtest on a fresh
// store, so that the records of one part do not count in another's lists.
func inParts(parts ...part) func(t *testing.T, open Opener) {
	return func(t *testing.T, open Opener) {
		for _, p := range parts {
			t.Run(p.name, func(t *testing.T) { p.test(t, open(t)) })
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// absent stands for a service a store does not offer yet: any call skips
// the test that opened the store, rather than crashing it on a nil
// interface.
type absent struct {
	t       *testing.T
	service string
}

// skip skips the test; the methods below, those of the plan, search and
// archive services, do nothing else.
func (a absent) skip() { a.t.Skipf("the store has no %s service yet", a.service) }

func (a absent) FindPlanByID(context.Context, string) (*parley.Plan, error) {
	a.skip()
	return nil, nil
}
func (a absent) FindPlans(context.Context, string) ([]*parley.Plan, error) { a.skip(); return nil, nil }
func (a absent) CreatePlan(context.Context, *parley.Plan) error            { a.skip(); return nil }
func (a absent) UpdatePlan(context.Context, *parley.Plan) error            { a.skip(); return nil }
func (a absent) FindVersionByID(context.Context, string) (*parley.Version, error) {
	a.skip()
	return nil, nil
}
func (a absent) CreateVersion(context.Context, *parley.Version) error { a.skip(); return nil }
func (a absent) UpdatePoint(context.Context, string, string, parley.PointUpdate) (*parley.Point, error) {
	a.skip()
	return nil, nil
}
func (a absent) FindPointHistory(context.Context, string, string) ([]*parley.PointStep, error) {
	a.skip()
	return nil, nil
}
func (a absent) Search(context.Context, parley.SearchQuery) ([]*parley.SearchHit, error) {
	a.skip()
	return nil, nil
}
func (a absent) ExportProcess(context.Context, string) (*parley.Archive, error) {
	a.skip()
	return nil, nil
}
func (a absent) ImportProcess(context.Context, *parley.Archive) error { a.skip(); return nil }
