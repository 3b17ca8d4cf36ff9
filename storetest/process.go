package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"parley"
)

func init() {
	suites["processes"] = inParts(part{"create", testProcessCreate}, part{"list", testProcessList}, part{"update", testProcessUpdate})
}

func testProcessCreate(t *testing.T, s *Store) {
	ctx := asSystem()
	now := time.Date(2025, 11, 20, 9, 30, 0, 0, time.UTC)
	s.SetNow(func() time.Time { return now })

	p := &parley.Process{Name: "Russia–Ukraine 2025", Summary: "The 2025 peace track.", Topics: []string{"energy"},
		Classification: parley.Classification{Level: parley.ProcessWide}}
	if err := s.Processes.CreateProcess(ctx, p); err != nil {
		t.Fatal(err)
	}
	if len(p.ID) != 12 || !p.Created.Equal(now) || !p.Updated.Equal(now) {
		t.Fatalf("got ID %q created %v updated %v, want a 12-character ID and %v twice", p.ID, p.Created, p.Updated, now)
	}
	got, err := s.Processes.FindProcessByID(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != p.Name || got.Summary != p.Summary || !slices.Equal(got.Topics, p.Topics) ||
		got.Classification.Level != parley.ProcessWide || !got.Created.Equal(now) || !got.Updated.Equal(now) {
		t.Errorf("got %+v, want %+v", got, p)
	}
	_, err = s.Processes.FindProcessByID(ctx, "nosuchprocess")
	wantCode(t, "finding a missing process", err, parley.ENOTFOUND, "")

	valid := parley.Process{Name: "x", Classification: public}
	tests := []struct {
		name  string
		edit  func(p *parley.Process)
		field string
	}{
		{"blank name", func(p *parley.Process) { p.Name = " " }, "name"},
		{"name too long", func(p *parley.Process) { p.Name = strings.Repeat("я", parley.MaxNameLen+1) }, "name"},
		{"summary not UTF-8", func(p *parley.Process) { p.Summary = "caf\xe9" }, "summary"},
		{"blank topic", func(p *parley.Process) { p.Topics = []string{"energy", ""} }, "topics"},
		{"no classification", func(p *parley.Process) { p.Classification = parley.Classification{} }, "classification"},
		{"shared with no one", func(p *parley.Process) { p.Classification.Level = parley.Shared }, "classification"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid
			tt.edit(&c)
			wantCode(t, "create", s.Processes.CreateProcess(ctx, &c), parley.EINVALID, tt.field)
			if c.ID != "" {
				t.Errorf("a refused process got ID %q", c.ID)
			}
			if _, n, _ := s.Processes.FindProcesses(ctx, parley.ProcessFilter{}); n != 1 {
				t.Errorf("got %d processes after a refused create, want 1", n)
			}
			u := *got
			tt.edit(&u)
			wantCode(t, "update", s.Processes.UpdateProcess(ctx, &u), parley.EINVALID, tt.field)
			if after, _ := s.Processes.FindProcessByID(ctx, p.ID); after.Name != got.Name || after.Summary != got.Summary ||
				!slices.Equal(after.Topics, got.Topics) || after.Classification.Level != got.Classification.Level {
				t.Errorf("a refused update left %+v, want %+v", after, got)
			}
		})
	}
}

func testProcessList(t *testing.T, s *Store) {
	ctx := asSystem()
	gaza := mustProcess(t, s, "Gaza 2025")
	mustProcess(t, s, "Russia–Ukraine 2025")
	mustProcess(t, s, "Armenia–Azerbaijan")
	str := func(s string) *string { return &s }
	tests := []struct {
		name   string
		filter parley.ProcessFilter
		want   []string
		total  int
	}{
		{"all, by name", parley.ProcessFilter{}, []string{"Armenia–Azerbaijan", "Gaza 2025", "Russia–Ukraine 2025"}, 3},
		{"first page", parley.ProcessFilter{Limit: 2}, []string{"Armenia–Azerbaijan", "Gaza 2025"}, 3},
		{"second page", parley.ProcessFilter{Offset: 2, Limit: 2}, []string{"Russia–Ukraine 2025"}, 3},
		{"by name", parley.ProcessFilter{Name: str("Gaza 2025")}, []string{"Gaza 2025"}, 1},
		{"by ID", parley.ProcessFilter{ID: &gaza.ID}, []string{"Gaza 2025"}, 1},
		{"no match", parley.ProcessFilter{Name: str("Cyprus")}, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, total, err := s.Processes.FindProcesses(ctx, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if got := processNames(list); !slices.Equal(got, tt.want) || total != tt.total {
				t.Errorf("got %q of %d, want %q of %d", got, total, tt.want, tt.total)
			}
		})
	}
}

func testProcessUpdate(t *testing.T, s *Store) {
	ctx := asSystem()
	now := time.Date(2025, 11, 20, 9, 30, 0, 0, time.UTC)
	s.SetNow(func() time.Time { return now })
	p := mustProcess(t, s, "Russia–Ukraine 2025")

	later := now.Add(time.Hour)
	s.SetNow(func() time.Time { return later })
	name := "Russia–Ukraine peace track"
	upd := *p
	upd.Name, upd.Summary, upd.Topics = name, "Talks since February 2025.", []string{"prisoner exchanges"}
	upd.Created = later // not the caller's to change
	if err := s.Processes.UpdateProcess(ctx, &upd); err != nil {
		t.Fatal(err)
	}
	if !upd.Updated.Equal(later) || !upd.Created.Equal(now) {
		t.Errorf("update reported created %v updated %v, want %v and %v", upd.Created, upd.Updated, now, later)
	}
	got, err := s.Processes.FindProcessByID(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != name || got.Summary != upd.Summary || !got.Updated.Equal(later) || !got.Created.Equal(now) ||
		len(got.Topics) != 1 || !got.IsTopic("prisoner exchanges") || !got.IsTopic("ceasefire") {
		t.Errorf("after update got %+v", got)
	}

	missing := *got
	missing.ID = "nosuchprocess"
	wantCode(t, "updating a missing process", s.Processes.UpdateProcess(ctx, &missing), parley.ENOTFOUND, "")
	if _, n, _ := s.Processes.FindProcesses(ctx, parley.ProcessFilter{}); n != 1 {
		t.Errorf("got %d processes after updating a missing one, want 1", n)
	}
}

// processNames returns the names of processes, in order.
func processNames(ps []*parley.Process) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}
