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
