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
	parley.Services
	// SetNow replaces the store's clock.
	SetNow func(now func() time.Time)
	// Sessions and Throttle are the policies the store's AuthService
	// applies; zero values stand for parley.DefaultSessionPolicy and
	// parley.DefaultThrottle.
	Sessions parley.SessionPolicy
	Throttle parley.Throttle
	// Tamper, when set, runs one SQL statement on the store's database
	// directly, past the services: the audit suite edits the audit_log
	// table with it to see that verification notices. Without it those
	// checks are skipped.
	Tamper func(sql string, args ...any) error
	// Scratch, when set, opens another fresh store like this one, made
	// for a test that writes a great deal to a database it throws away:
	// its writes need not survive a crash of the machine (SQLite:
	// synchronous=OFF). The access model suite uses it when it is set.
	Scratch Opener
	// Worlds, when set, is how many random worlds the access model suite
	// checks in a plain run: fewer for a store whose every write crosses
	// a network (PostgreSQL) than the in-process default. -short, the race
	// detector and PARLEY_WORLDS still set it.
	Worlds int
}

// sessions returns the store's session policy.
func (s *Store) sessions() parley.SessionPolicy {
	if s.Sessions == (parley.SessionPolicy{}) {
		return parley.DefaultSessionPolicy
	}
	return s.Sessions
}

// throttle returns the store's throttle.
func (s *Store) throttle() parley.Throttle {
	if s.Throttle == (parley.Throttle{}) {
		return parley.DefaultThrottle
	}
	return s.Throttle
}

// Opener returns a fresh, empty, migrated store that lives until the end of
// the test.
type Opener func(t *testing.T) *Store

// suites are the groups of the conformance suite, one per service, each
// in its own file.
var suites = map[string]func(t *testing.T, open Opener){}

// Run runs the whole suite against the stores open returns.
func Run(t *testing.T, open Opener) {
	for _, name := range sortedKeys(suites) {
		t.Run(name, func(t *testing.T) { suites[name](t, open) })
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

// asSystem returns a context acting as the system itself, with every
// right: the suites of the services test what is stored, and the access
// suite tests who may see it.
func asSystem() context.Context { return parley.WithActor(context.Background(), parley.System) }
