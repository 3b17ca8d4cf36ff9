package storetest

import (
	"context"
	"testing"
	"time"

	"parley"
)

// FuzzSearch checks that no query, however odd, is a syntax error of the
// store's full-text engine: whatever a person types is either found, not
// found, or refused with a message about the query. A store's fuzz test
// calls it with its services on a fresh database.
func FuzzSearch(f *testing.F, svc parley.Services) {
	for _, seed := range []string{"armed forces", `"non-aggression"`, "NATO OR", `"open`, "*", "a:b", "(x", "NEAR(a b)",
		"^x", "-y", "x AND NOT", "\x00", "ümlaut", "ceasefire*", `""`, "a\"b\"c", "a & b", "!x", "x <-> y", "'x'", "x:*", "x | y", "ŉ", "aŉb", "½", "ʻokina"} {
		f.Add(seed)
	}
	ctx := parley.WithActor(context.Background(), parley.System)
	proc := &parley.Process{Name: "Fuzz", Classification: parley.Classification{Level: parley.Public}}
	if err := svc.Processes.CreateProcess(ctx, proc); err != nil {
		f.Fatal(err)
	}
	plan := &parley.Plan{ProcessID: proc.ID, Title: "Plan", Classification: proc.Classification}
	if err := svc.Plans.CreatePlan(ctx, plan); err != nil {
		f.Fatal(err)
	}
	if err := svc.Plans.CreateVersion(ctx, &parley.Version{PlanID: plan.ID, Label: "v", Date: time.Now(), Status: parley.Draft,
		Text: "1. The armed forces are limited.\n2. NATO does not expand.\n", Classification: proc.Classification}); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, q string) {
		hits, err := searchHits(svc.Search, ctx, parley.SearchQuery{ProcessID: proc.ID, Text: q})
		if code := parley.ErrorCode(err); err != nil && code != parley.EINVALID {
			t.Fatalf("search %q: %v", q, err)
		}
		for _, h := range hits {
			if h.Kind != "point" || len(h.Snippet) == 0 {
				t.Fatalf("search %q: odd hit %+v", q, h)
			}
		}
	})
}
