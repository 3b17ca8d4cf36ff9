package lineage_test

import (
	"slices"
	"strings"
	"testing"

	"parley"
	"parley/examples"
	"parley/lineage"
)

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := examples.Files.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"no points", "A title\n\nOnly prose here.\n", "no numbered points"},
		{"NUL byte", "1. one\n2. t\x00wo\n", "line 2, column"},
		{"too many points", strings.Repeat("1. x\n", lineage.MaxPoints+1), "more than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := lineage.Parse("v", tt.text)
			e, ok := err.(*parley.Error)
			if !ok || e.Code != parley.EINVALID || e.Field != "text" || !strings.Contains(e.Message, tt.want) {
				t.Fatalf("got %v, want an invalid text error containing %q", err, tt.want)
			}
		})
	}
}

func TestParse(t *testing.T) {
	text, err := lineage.Parse("us", read(t, "us-28-points.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if text.TopLevel() != 28 || len(text.Points) <= 28 {
		t.Errorf("got %d top-level points of %d, want 28 with sub-points", text.TopLevel(), len(text.Points))
	}
	for _, p := range text.Points {
		if p.Origin != (parley.PointRef{VersionID: "us", PointID: p.ID}) || len(p.Lineage) > 0 {
			t.Fatalf("point %s: origin %v lineage %v, want itself and none before linking", p.ID, p.Origin, p.Lineage)
		}
	}
}

func TestLink(t *testing.T) {
	us, err := lineage.Parse("us", read(t, "us-28-points.txt"))
	if err != nil {
		t.Fatal(err)
	}
	prev := &parley.Version{ID: "us", Text: read(t, "us-28-points.txt"), Points: us.Points}
	for _, p := range us.Points {
		if p.ID == "12" {
			p.Tags = []string{"reconstruction"}
		}
		if p.ID == "16" {
			p.Origin = parley.PointRef{VersionID: "gaza", PointID: "16"} // as if linked earlier
		}
	}
	fw, err := lineage.Parse("fw", read(t, "framework-20-points.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := fw.Link(prev); err != nil {
		t.Fatal(err)
	}
	byID := map[string]*parley.Point{}
	for _, p := range fw.Points {
		byID[p.ID] = p
	}
	from12 := []parley.PointRef{{VersionID: "us", PointID: "12"}}
	for _, id := range []string{"8", "9"} {
		p := byID[id]
		if !slices.Equal(p.Lineage, from12) || p.Origin != from12[0] || !slices.Equal(p.Tags, []string{"reconstruction"}) {
			t.Errorf("framework %s: lineage %v origin %v tags %v; want from 28-point 12, its origin and its tag", id, p.Lineage, p.Origin, p.Tags)
		}
	}
	if p := byID["6"]; p.Origin != (parley.PointRef{VersionID: "gaza", PointID: "16"}) {
		t.Errorf("framework 6 (moved from 16): origin %v, want the origin of 28-point 16", p.Origin)
	}
	added := 0
	for _, p := range fw.Points {
		if len(p.Lineage) == 0 {
			added++
			if p.Origin.VersionID != "fw" {
				t.Errorf("new point %s has origin %v, want itself", p.ID, p.Origin)
			}
		}
	}
	if added == 0 || added == len(fw.Points) {
		t.Errorf("%d of %d framework points are new, want some but not all", added, len(fw.Points))
	}
}
