package storetest

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"parley"
	"parley/geo"
)

func init() {
	parts := inParts(part{"regions", testRegions}, part{"region bound", testRegionBound}, part{"lines", testLines},
		part{"provisions", testProvisions}, part{"provision refusals", testProvisionRefusals},
		part{"provision access", testProvisionAccess}, part{"provision writes", testProvisionWrites},
		part{"hidden line kept", testHiddenLineKept}, part{"region overlap", testRegionOverlap})
	suites["territory"] = func(t *testing.T, open Opener) {
		parts(t, open)
		t.Run("archive", func(t *testing.T) { testTerritoryArchive(t, open) })
	}
}

// rect returns a polygon of one rectangle whose south-west corner is at
// (lon, lat), its exterior counter-clockwise as GeoJSON wants it.
func rect(lon, lat, w, h float64) geo.Polygon {
	return geo.Polygon{{{lon, lat}, {lon + w, lat}, {lon + w, lat + h}, {lon, lat + h}, {lon, lat}}}
}

// holed returns rect with a rectangular hole (clockwise) in its middle.
func holed(lon, lat, w, h float64) geo.Polygon {
	p := rect(lon, lat, w, h)
	x, y := lon+w/4, lat+h/4
	return append(p, geo.Ring{{x, y}, {x, y + h/2}, {x + w/2, y + h/2}, {x + w/2, y}, {x, y}})
}

// area returns an area of one rectangle. Its corners are not round
// numbers, so that a store that rounds them is caught.
func area(lon, lat float64) geo.MultiPolygon {
	return geo.MultiPolygon{rect(lon+1.0/3, lat+2.0/7, 0.7071067811865476, 0.5772156649015329)}
}

// bowtie is an area whose one ring crosses itself: two triangles of
// different sizes meeting at a point no position marks.
var bowtie = geo.MultiPolygon{{{{30, 50}, {32, 51}, {32, 50}, {30, 52}, {30, 50}}}}

// sameArea reports whether two areas hold exactly the same positions.
func sameArea(a, b geo.MultiPolygon) bool {
	return slices.EqualFunc(a, b, func(p, q geo.Polygon) bool {
		return slices.EqualFunc(p, q, func(r, s geo.Ring) bool { return slices.Equal(r, s) })
	})
}

// sameRegion reports whether two regions are the same, geometry included.
func sameRegion(a, b *parley.Region) bool {
	return a.ID == b.ID && a.ProcessID == b.ProcessID && a.Code == b.Code && a.Name == b.Name &&
		a.DeJureID == b.DeJureID && a.DeFactoID == b.DeFactoID && sameArea(a.Area, b.Area) && a.Source == b.Source &&
		a.Classification.String() == b.Classification.String()
}

// sameLine reports whether two lines are the same, path included.
func sameLine(a, b *parley.Line) bool {
	return a.ID == b.ID && a.ProcessID == b.ProcessID && a.Name == b.Name && slices.Equal(a.Path, b.Path) &&
		a.LeftLabel == b.LeftLabel && a.RightLabel == b.RightLabel && a.Source == b.Source &&
		a.Classification.String() == b.Classification.String()
}

// sameProvision reports whether two provisions are the same, drawn area
// included.
func sameProvision(a, b *parley.Provision) bool {
	return a.ID == b.ID && a.ProcessID == b.ProcessID && a.VersionID == b.VersionID && a.PointID == b.PointID &&
		a.Label == b.Label && slices.Equal(a.RegionIDs, b.RegionIDs) && a.LineID == b.LineID && a.Side == b.Side &&
		a.BufferKm == b.BufferKm && a.Status == b.Status && a.DeJureID == b.DeJureID && a.DeFactoID == b.DeFactoID &&
		a.Note == b.Note && sameArea(a.Drawn, b.Drawn) && a.Classification.String() == b.Classification.String() &&
		a.Updated.Equal(b.Updated)
}

// wantMessage fails unless err's message holds part.
func wantMessage(t *testing.T, what string, err error, part string) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), part) {
		t.Errorf("%s: got %v, want a message with %q", what, err, part)
	}
}

// revision returns a process's revision.
func revision(t *testing.T, s *Store, processID string) int64 {
	t.Helper()
	p, err := s.Processes.FindProcessByID(asSystem(), processID)
	if err != nil {
		t.Fatal(err)
	}
	return p.Revision
}

// territory is what the territory suites start from: the talks, and a
// map of their process: three public regions, one confidential to Russia
// and a public line of contact; the other process has a region and a line
// of its own, to refer to across processes.
type territory struct {
	*talks
	donetsk, luhansk, kherson, ruPocket *parley.Region
	contact                             *parley.Line
	gazaRegion                          *parley.Region
	gazaLine                            *parley.Line
}

// newTerritory stores the talks and their map as the system.
func newTerritory(t *testing.T, s *Store) *territory {
	t.Helper()
	f := &territory{talks: newTalks(t, s)}
	region := func(code, name string, lon float64, c parley.Classification) *parley.Region {
		return &parley.Region{Code: code, Name: name, Area: area(lon, 47), Source: "test outlines", Classification: c}
	}
	f.donetsk, f.luhansk, f.kherson = region("UA-14", "Donetsk", 37, public), region("UA-09", "Luhansk", 38.5, public),
		region("UA-65", "Kherson", 33, public)
	f.donetsk.DeJureID, f.donetsk.DeFactoID = f.ua.ID, f.ru.ID
	f.ruPocket = region("RU-X1", "Pocket", 40.5, confidentialTo(f.ru))
	if err := s.Territory.CreateRegions(asSystem(), f.proc.ID, []*parley.Region{f.donetsk, f.luhansk, f.kherson, f.ruPocket}); err != nil {
		t.Fatalf("creating the regions: %v", err)
	}
	f.contact = &parley.Line{Name: "Line of contact", Path: geo.Line{{35.1, 47.2}, {37.123456789012345, 47.9}, {38.987654321, 48.7}},
		LeftLabel: "Ukrainian-held side", RightLabel: "Russian-held side", Classification: public}
	if err := s.Territory.CreateLines(asSystem(), f.proc.ID, []*parley.Line{f.contact}); err != nil {
		t.Fatalf("creating the line: %v", err)
	}
	f.gazaRegion = &parley.Region{Code: "PS-GZ", Name: "Gaza", Area: area(34, 31), Classification: public}
	if err := s.Territory.CreateRegions(asSystem(), f.other.ID, []*parley.Region{f.gazaRegion}); err != nil {
		t.Fatal(err)
	}
	f.gazaLine = &parley.Line{Name: "Yellow line", Path: geo.Line{{34.3, 31.2}, {34.5, 31.5}}, LeftLabel: "west", RightLabel: "east",
		Classification: public}
	if err := s.Territory.CreateLines(asSystem(), f.other.ID, []*parley.Line{f.gazaLine}); err != nil {
		t.Fatal(err)
	}
	return f
}

// countRegions returns how many regions of a process the system sees.
func countRegions(t *testing.T, s *Store, processID string) int {
	t.Helper()
	rs, err := s.Territory.FindRegions(asSystem(), processID)
	if err != nil {
		t.Fatal(err)
	}
	return len(rs)
}

func testRegions(t *testing.T, s *Store) {
	ctx := asSystem()
	f := newTalks(t, s)
	batch := []*parley.Region{
		{Code: "UA-23", Name: "Zaporizhzhia", Area: area(35, 47), Source: "geoBoundaries, CC BY 4.0", DeJureID: f.ua.ID, DeFactoID: f.ru.ID,
			Classification: public},
		{Code: "UA-14", Name: "Donetsk", Area: geo.MultiPolygon{holed(37.1, 47.2, 1.5, 1.25), rect(36.01, 46.01, 0.3, 0.2)},
			DeJureID: f.ua.ID, Classification: public},
		{Code: "UA-09", Name: "Luhansk", Area: area(38.5, 48), Classification: confidentialTo(f.ua)},
	}
	if err := s.Territory.CreateRegions(ctx, f.proc.ID, batch); err != nil {
		t.Fatal(err)
	}
	for _, r := range batch {
		if len(r.ID) != 12 || r.ProcessID != f.proc.ID {
			t.Errorf("%s: got ID %q in process %q, want a 12-character ID in %q", r.Code, r.ID, r.ProcessID, f.proc.ID)
		}
		got, err := s.Territory.FindRegionByID(ctx, r.ID)
		if err != nil {
			t.Fatalf("%s: %v", r.Code, err)
		}
		if !sameRegion(got, r) {
			t.Errorf("%s: read back %+v, want %+v", r.Code, got, r)
		}
	}
	list, err := s.Territory.FindRegions(ctx, f.proc.ID)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range list {
		names = append(names, r.Name)
	}
	if want := []string{"Donetsk", "Luhansk", "Zaporizhzhia"}; !slices.Equal(names, want) {
		t.Errorf("listed %q, want %q (by name)", names, want)
	}

	t.Run("batch refused whole", func(t *testing.T) {
		before, rev := countRegions(t, s, f.proc.ID), revision(t, s, f.proc.ID)
		tests := []struct {
			name  string
			edit  func(r *parley.Region)
			field string
		}{
			{"bad code", func(r *parley.Region) { r.Code = "UA 14" }, "code"},
			{"empty geometry", func(r *parley.Region) { r.Area = nil }, "geometry"},
			{"a polygon without rings", func(r *parley.Region) { r.Area = geo.MultiPolygon{{}} }, "geometry"},
			{"an open ring", func(r *parley.Region) { r.Area[0][0][4] = geo.Point{30.5, 50.5} }, "geometry"},
			{"a clockwise exterior", func(r *parley.Region) { slices.Reverse(r.Area[0][0]) }, "geometry"},
			{"a ring crossing itself", func(r *parley.Region) {
				r.Area = bowtie
			}, "geometry"},
			{"position off the globe", func(r *parley.Region) { r.Area[0][0][1][1] = 91 }, "geometry"},
			{"blank name", func(r *parley.Region) { r.Name = " " }, "name"},
			{"a code used twice in the batch", func(r *parley.Region) { r.Code = "B-1" }, "code"},
			{"a code the process has", func(r *parley.Region) { r.Code = "UA-14" }, "code"},
			{"a party of another process", func(r *parley.Region) { r.DeFactoID = f.hamas.ID }, "de_facto_id"},
			{"a missing party", func(r *parley.Region) { r.DeJureID = "nosuchparty" }, "de_jure_id"},
			{"shared with a party of another process", func(r *parley.Region) { r.Classification = sharedBy(f.ua, f.hamas) }, "classification"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				rs := []*parley.Region{
					{Code: "B-1", Name: "First", Area: area(30, 50), Classification: public},
					{Code: "B-2", Name: "Second", Area: area(31, 50), Classification: public},
					{Code: "B-3", Name: "Third", Area: area(32, 50), Classification: public},
				}
				tt.edit(rs[2])
				err := s.Territory.CreateRegions(ctx, f.proc.ID, rs)
				wantCode(t, "create", err, parley.EINVALID, tt.field)
				wantMessage(t, "create", err, "record 3")
				for i, r := range rs {
					if r.ID != "" {
						t.Errorf("record %d of a refused batch got ID %q", i+1, r.ID)
					}
				}
				if n := countRegions(t, s, f.proc.ID); n != before {
					t.Errorf("got %d regions after a refused batch, want %d", n, before)
				}
				if r := revision(t, s, f.proc.ID); r != rev {
					t.Errorf("revision %d → %d after a refused batch, want it unchanged", rev, r)
				}
			})
		}
	})

	t.Run("update", func(t *testing.T) {
		u := *batch[0]
		u.Code, u.Name, u.Source, u.DeFactoID = "UA-23a", "Zaporizhzhia oblast", "a better outline", f.ua.ID
		u.Area = geo.MultiPolygon{holed(35.25, 47.125, 1.0/3, 1.0/7)}
		u.ProcessID = f.other.ID
		if err := s.Territory.UpdateRegion(ctx, &u); err != nil {
			t.Fatal(err)
		}
		if u.ProcessID != f.proc.ID {
			t.Errorf("update reported process %q, want %q: a region stays in its process", u.ProcessID, f.proc.ID)
		}
		got, err := s.Territory.FindRegionByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !sameRegion(got, &u) {
			t.Errorf("read back %+v, want %+v", got, &u)
		}
		taken := u
		taken.Code = "UA-14"
		wantCode(t, "taking another region's code", s.Territory.UpdateRegion(ctx, &taken), parley.EINVALID, "code")
		crossed := u
		crossed.Area = bowtie
		wantCode(t, "a crossing ring", s.Territory.UpdateRegion(ctx, &crossed), parley.EINVALID, "geometry")
		if got, err := s.Territory.FindRegionByID(ctx, u.ID); err != nil || !sameRegion(got, &u) {
			t.Errorf("refused updates left %+v (%v), want %+v", got, err, &u)
		}
		missing := u
		missing.ID = "nosuchregion"
		wantCode(t, "a missing region", s.Territory.UpdateRegion(ctx, &missing), parley.ENOTFOUND, "")
		_, err = s.Territory.FindRegionByID(ctx, "nosuchregion")
		wantCode(t, "find", err, parley.ENOTFOUND, "")
		_, err = s.Territory.FindRegions(ctx, "nosuchprocess")
		wantCode(t, "list of a missing process", err, parley.ENOTFOUND, "")
	})

	t.Run("mediators only", func(t *testing.T) {
		before := countRegions(t, s, f.proc.ID)
		for _, actor := range []string{delegateUA, delegateRU, observer} {
			r := &parley.Region{Code: "UA-43", Name: "Crimea", Area: area(33.5, 44.5), Classification: public}
			wantCode(t, actor+" creating a region", s.Territory.CreateRegions(f.actors[actor], f.proc.ID, []*parley.Region{r}),
				parley.EFORBIDDEN, "")
			u := *batch[1]
			u.Name = "Donetsk oblast"
			wantCode(t, actor+" updating a region", s.Territory.UpdateRegion(f.actors[actor], &u), parley.EFORBIDDEN, "")
		}
		if n := countRegions(t, s, f.proc.ID); n != before {
			t.Errorf("got %d regions after refused writes, want %d", n, before)
		}
		if got, err := s.Territory.FindRegionByID(ctx, batch[1].ID); err != nil || got.Name != "Donetsk" {
			t.Errorf("after refused updates the region reads %+v (%v), want it named Donetsk", got, err)
		}
		r := &parley.Region{Code: "UA-43", Name: "Crimea", Area: area(33.5, 44.5), Classification: public}
		if err := s.Territory.CreateRegions(f.actors[mediator], f.proc.ID, []*parley.Region{r}); err != nil {
			t.Errorf("a mediator creating a region: %v", err)
		}
		r.Name = "Autonomous Republic of Crimea"
		if err := s.Territory.UpdateRegion(f.actors[mediator], r); err != nil {
			t.Errorf("a mediator updating a region: %v", err)
		}
	})

	t.Run("hidden region", func(t *testing.T) {
		// Luhansk is confidential to Ukraine.
		luhansk := batch[2].ID
		for actor, want := range map[string]bool{mediator: true, delegateUA: true, delegateRU: false, observer: false} {
			list, err := s.Territory.FindRegions(f.actors[actor], f.proc.ID)
			if err != nil {
				t.Fatalf("%s: %v", actor, err)
			}
			listed := slices.ContainsFunc(list, func(r *parley.Region) bool { return r.ID == luhansk })
			_, err = s.Territory.FindRegionByID(f.actors[actor], luhansk)
			if want {
				if !listed || err != nil {
					t.Errorf("%s: listed %v, read %v; want the region", actor, listed, err)
				}
				continue
			}
			if listed {
				t.Errorf("%s lists a region confidential to Ukraine", actor)
			}
			_, missing := s.Territory.FindRegionByID(f.actors[actor], madeUpID)
			wantHidden(t, actor+" reading a hidden region", err, luhansk, missing)
		}
	})
}

// testRegionBound fills a process up to MaxRegions, in batches that
// cross the bound and one that reaches it.
func testRegionBound(t *testing.T, s *Store) {
	ctx := asSystem()
	p := mustProcess(t, s, "A crowded map")
	batch := func(n, from int) []*parley.Region {
		rs := make([]*parley.Region, n)
		for i := range rs {
			k := from + i
			rs[i] = &parley.Region{Code: fmt.Sprintf("R-%d", k), Name: fmt.Sprintf("Region %03d", k),
				Area: geo.MultiPolygon{rect(float64(k%100), float64(k/100), 0.5, 0.5)}, Classification: public}
		}
		return rs
	}
	err := s.Territory.CreateRegions(ctx, p.ID, batch(parley.MaxRegions+1, 0))
	wantCode(t, "a batch over the bound", err, parley.EINVALID, "")
	wantMessage(t, "a batch over the bound", err, fmt.Sprintf("record %d", parley.MaxRegions+1))
	if n := countRegions(t, s, p.ID); n != 0 {
		t.Errorf("got %d regions after a refused batch, want none", n)
	}
	if err := s.Territory.CreateRegions(ctx, p.ID, batch(parley.MaxRegions, 0)); err != nil {
		t.Fatalf("a batch of %d regions: %v", parley.MaxRegions, err)
	}
	err = s.Territory.CreateRegions(ctx, p.ID, batch(1, parley.MaxRegions))
	wantCode(t, "one region too many", err, parley.EINVALID, "")
	wantMessage(t, "one region too many", err, "the most it may have")
	if n := countRegions(t, s, p.ID); n != parley.MaxRegions {
		t.Errorf("got %d regions, want %d", n, parley.MaxRegions)
	}
}

func testLines(t *testing.T, s *Store) {
	ctx := asSystem()
	f := newTalks(t, s)
	batch := []*parley.Line{
		{Name: "Line of contact", Path: geo.Line{{35.1, 47.2}, {36.000000000000014, 47.5}, {37.123456789012345, 47.9}, {38.987654321, 48.7}},
			LeftLabel: "Ukrainian-held side", RightLabel: "Russian-held side", Source: "reported maps", Classification: public},
		{Name: "Dnipro", Path: geo.Line{{33.0, 46.6}, {34.4, 47.5}}, LeftLabel: "right bank", RightLabel: "left bank",
			Classification: confidentialTo(f.ru)},
	}
	if err := s.Territory.CreateLines(ctx, f.proc.ID, batch); err != nil {
		t.Fatal(err)
	}
	for _, l := range batch {
		if len(l.ID) != 12 || l.ProcessID != f.proc.ID {
			t.Errorf("%s: got ID %q in process %q, want a 12-character ID in %q", l.Name, l.ID, l.ProcessID, f.proc.ID)
		}
		got, err := s.Territory.FindLineByID(ctx, l.ID)
		if err != nil {
			t.Fatalf("%s: %v", l.Name, err)
		}
		if !sameLine(got, l) {
			t.Errorf("%s: read back %+v, want %+v", l.Name, got, l)
		}
	}
	count := func() int {
		ls, err := s.Territory.FindLines(ctx, f.proc.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(ls)
	}
	list, err := s.Territory.FindLines(ctx, f.proc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].Name != "Dnipro" || list[1].Name != "Line of contact" {
		t.Errorf("got %d lines, want Dnipro and the line of contact, by name", len(list))
	}

	t.Run("batch refused whole", func(t *testing.T) {
		before := count()
		tests := []struct {
			name  string
			edit  func(l *parley.Line)
			field string
		}{
			{"no left label", func(l *parley.Line) { l.LeftLabel = "" }, "left_label"},
			{"no right label", func(l *parley.Line) { l.RightLabel = " " }, "right_label"},
			{"no name", func(l *parley.Line) { l.Name = "" }, "name"},
			{"one position", func(l *parley.Line) { l.Path = l.Path[:1] }, "geometry"},
			{"a longitude off the globe", func(l *parley.Line) { l.Path[1][0] = 181 }, "geometry"},
			{"not a number", func(l *parley.Line) { l.Path[0][1] = math.NaN() }, "geometry"},
			{"shared with a party of another process", func(l *parley.Line) { l.Classification = sharedBy(f.ua, f.hamas) }, "classification"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				ls := []*parley.Line{
					{Name: "First", Path: geo.Line{{30, 50}, {31, 50}}, LeftLabel: "north", RightLabel: "south", Classification: public},
					{Name: "Second", Path: geo.Line{{30, 51}, {31, 51}}, LeftLabel: "north", RightLabel: "south", Classification: public},
				}
				tt.edit(ls[1])
				err := s.Territory.CreateLines(ctx, f.proc.ID, ls)
				wantCode(t, "create", err, parley.EINVALID, tt.field)
				wantMessage(t, "create", err, "record 2")
				if ls[0].ID != "" || ls[1].ID != "" {
					t.Errorf("a refused batch got IDs %q and %q", ls[0].ID, ls[1].ID)
				}
				if n := count(); n != before {
					t.Errorf("got %d lines after a refused batch, want %d", n, before)
				}
			})
		}
	})

	t.Run("update", func(t *testing.T) {
		u := *batch[0]
		u.Path = append(slices.Clone(u.Path), geo.Point{39.25, 49.0625})
		u.LeftLabel, u.RightLabel, u.Name = "held by Ukraine", "held by Russia", "Line of contact, December"
		u.ProcessID = f.other.ID
		if err := s.Territory.UpdateLine(ctx, &u); err != nil {
			t.Fatal(err)
		}
		if u.ProcessID != f.proc.ID {
			t.Errorf("update reported process %q, want %q", u.ProcessID, f.proc.ID)
		}
		got, err := s.Territory.FindLineByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !sameLine(got, &u) {
			t.Errorf("read back %+v, want %+v", got, &u)
		}
		bad := u
		bad.RightLabel = ""
		wantCode(t, "update without a label", s.Territory.UpdateLine(ctx, &bad), parley.EINVALID, "right_label")
		missing := u
		missing.ID = "nosuchline"
		wantCode(t, "a missing line", s.Territory.UpdateLine(ctx, &missing), parley.ENOTFOUND, "")
	})

	t.Run("mediators only", func(t *testing.T) {
		before := count()
		for _, actor := range []string{delegateUA, delegateRU, observer} {
			l := &parley.Line{Name: "Withdrawal line", Path: geo.Line{{36, 47}, {37, 48}}, LeftLabel: "west", RightLabel: "east",
				Classification: public}
			wantCode(t, actor+" creating a line", s.Territory.CreateLines(f.actors[actor], f.proc.ID, []*parley.Line{l}), parley.EFORBIDDEN, "")
			u := *batch[0]
			u.Name = "Moved"
			wantCode(t, actor+" updating a line", s.Territory.UpdateLine(f.actors[actor], &u), parley.EFORBIDDEN, "")
		}
		if n := count(); n != before {
			t.Errorf("got %d lines after refused writes, want %d", n, before)
		}
		// The Dnipro line is confidential to Russia.
		list, err := s.Territory.FindLines(f.actors[delegateUA], f.proc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].ID != batch[0].ID {
			t.Errorf("Ukraine's delegate lists %d lines, want the line of contact alone", len(list))
		}
		_, missing := s.Territory.FindLineByID(f.actors[delegateUA], madeUpID)
		_, err = s.Territory.FindLineByID(f.actors[delegateUA], batch[1].ID)
		wantHidden(t, "Ukraine's delegate reading Russia's line", err, batch[1].ID, missing)
		l := &parley.Line{Name: "Withdrawal line", Path: geo.Line{{36, 47}, {37, 48}}, LeftLabel: "west", RightLabel: "east",
			Classification: public}
		if err := s.Territory.CreateLines(f.actors[mediator], f.proc.ID, []*parley.Line{l}); err != nil {
			t.Errorf("a mediator creating a line: %v", err)
		}
	})
}

// provision returns a provision of the talks on version v.
func (f *territory) provision(v *parley.Version, point, label string, c parley.Classification) *parley.Provision {
	return &parley.Provision{ProcessID: f.proc.ID, VersionID: v.ID, PointID: point, Label: label, RegionIDs: []string{f.luhansk.ID},
		Status: parley.StatusFrozen, Classification: c}
}

// provisionNames returns the names of the provisions in list, in its
// order, by the names of ps.
func provisionNames(ps map[string]*parley.Provision, list []*parley.Provision) []string {
	byID := map[string]string{}
	for n, p := range ps {
		byID[p.ID] = n
	}
	out := make([]string, len(list))
	for i, p := range list {
		if out[i] = byID[p.ID]; out[i] == "" {
			out[i] = "unknown " + p.ID
		}
	}
	return out
}

func testProvisions(t *testing.T, s *Store) {
	ctx := asSystem()
	clk := newClock(s, time.Date(2025, 12, 1, 9, 0, 0, 123456000, time.UTC))
	f := newTerritory(t, s)
	drawn := geo.MultiPolygon{holed(36.2, 47.3, 0.6180339887498949, 0.41421356237309515), rect(35.01, 46.02, 0.125, 1.0/9)}

	// Stored out of order, with labels whose order is not that of their
	// points, and one provision tied to no point.
	ps := map[string]*parley.Provision{
		"v3 kherson":  {VersionID: f.v3.ID, PointID: "1", Label: "Kherson along the line", RegionIDs: []string{f.kherson.ID}, LineID: f.contact.ID, BufferKm: 15, Status: parley.StatusBufferZone},
		"v1 point 2":  {VersionID: f.v1.ID, PointID: "2", Label: "Bakhmut district", Drawn: drawn, Status: parley.StatusWithdrawal, Note: "a drawn area"},
		"v1 luhansk":  {VersionID: f.v1.ID, PointID: "1", Label: "Luhansk", RegionIDs: []string{f.luhansk.ID}, Status: parley.StatusDeFacto, DeFactoID: f.ru.ID},
		"v1 donetsk":  {VersionID: f.v1.ID, PointID: "1", Label: "Donetsk held by Ukraine", RegionIDs: []string{f.donetsk.ID, f.luhansk.ID}, LineID: f.contact.ID, Side: parley.Left, Status: parley.StatusWithdrawal, DeJureID: f.ua.ID, DeFactoID: f.ru.ID},
		"v1 no point": {VersionID: f.v1.ID, Label: "A reported area", RegionIDs: []string{f.kherson.ID}, Status: parley.StatusReferendum},
		"v2 crimea":   {VersionID: f.v2.ID, PointID: "3", Label: "Crimea", RegionIDs: []string{f.kherson.ID}, Drawn: area(33, 45), Status: parley.StatusEconomicZone, Classification: confidentialTo(f.ua)},
	}
	order := []string{"v3 kherson", "v1 point 2", "v1 luhansk", "v1 donetsk", "v1 no point", "v2 crimea"}
	batch := make([]*parley.Provision, len(order))
	for i, n := range order {
		p := ps[n]
		p.ProcessID = f.proc.ID
		if p.Classification.Level == "" {
			p.Classification = public
		}
		batch[i] = p
	}
	rev := revision(t, s, f.proc.ID)
	if err := s.Territory.CreateProvisions(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if r := revision(t, s, f.proc.ID); r <= rev {
		t.Errorf("revision %d → %d after new provisions, want it moved on", rev, r)
	}
	for _, n := range order {
		p := ps[n]
		if len(p.ID) != 12 || !p.Updated.Equal(clk.Now()) {
			t.Errorf("%s: got ID %q updated %v, want a 12-character ID and the time of the write %v", n, p.ID, p.Updated, clk.Now())
		}
		got, err := s.Territory.FindProvisionByID(ctx, p.ID)
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		if !sameProvision(got, p) {
			t.Errorf("%s: read back %+v, want %+v", n, got, p)
		}
	}
	if got, err := s.Territory.FindProvisionByID(ctx, ps["v1 point 2"].ID); err == nil && !sameArea(got.Drawn, drawn) {
		t.Errorf("the drawn area read back as %v, want %v exactly", got.Drawn, drawn)
	}

	t.Run("order and filters", func(t *testing.T) {
		// By version (by date: v1, v2, v3), then by the order of their
		// points, then by label; a provision tied to no point comes after
		// those that are.
		tests := []struct {
			name    string
			version string
			want    []string
		}{
			{"all", "", []string{"v1 donetsk", "v1 luhansk", "v1 point 2", "v1 no point", "v2 crimea", "v3 kherson"}},
			{"one version", f.v1.ID, []string{"v1 donetsk", "v1 luhansk", "v1 point 2", "v1 no point"}},
			{"a version without", f.v2.ID, []string{"v2 crimea"}},
		}
		for _, tt := range tests {
			list, err := s.Territory.FindProvisions(ctx, parley.ProvisionFilter{ProcessID: f.proc.ID, VersionID: tt.version})
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if got := provisionNames(ps, list); !slices.Equal(got, tt.want) {
				t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
			}
		}
		for _, filter := range []parley.ProvisionFilter{
			{ProcessID: "nosuchprocess"},
			{ProcessID: f.proc.ID, VersionID: "nosuchversion"},
			{ProcessID: f.proc.ID, VersionID: f.elsewhere.ID},
		} {
			_, err := s.Territory.FindProvisions(ctx, filter)
			wantCode(t, "list "+filter.ProcessID+" "+filter.VersionID, err, parley.ENOTFOUND, "")
		}
		_, err := s.Territory.FindProvisionByID(ctx, "nosuchprovision")
		wantCode(t, "find", err, parley.ENOTFOUND, "")
	})

	count := func() int {
		list, err := s.Territory.FindProvisions(ctx, parley.ProvisionFilter{ProcessID: f.proc.ID})
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}

	t.Run("batch refused whole", func(t *testing.T) {
		before, rev := count(), revision(t, s, f.proc.ID)
		for _, tt := range []struct {
			name, field string
			edit        func(p *parley.Provision)
		}{
			{"unknown status", "status", func(p *parley.Provision) { p.Status = "annexed" }},
			{"a point the version lacks", "point_id", func(p *parley.Provision) { p.PointID = "9" }},
		} {
			rs := []*parley.Provision{
				f.provision(f.v3, "1", "first", public), f.provision(f.v3, "2", "second", public), f.provision(f.v3, "3", "third", public),
			}
			tt.edit(rs[2])
			err := s.Territory.CreateProvisions(ctx, rs)
			wantCode(t, tt.name, err, parley.EINVALID, tt.field)
			wantMessage(t, tt.name, err, "record 3")
			for i, p := range rs {
				if p.ID != "" {
					t.Errorf("%s: record %d of a refused batch got ID %q", tt.name, i+1, p.ID)
				}
			}
			if n := count(); n != before {
				t.Errorf("%s: got %d provisions after a refused batch, want %d", tt.name, n, before)
			}
			if r := revision(t, s, f.proc.ID); r != rev {
				t.Errorf("%s: revision %d → %d after a refused batch, want it unchanged", tt.name, rev, r)
			}
		}
	})

	t.Run("update", func(t *testing.T) {
		clk.Add(time.Hour)
		stored := ps["v1 donetsk"]
		u := *stored
		u.Label, u.Status, u.Note, u.Side = "Donetsk west of the line", parley.StatusFrozen, "as amended", parley.Right
		u.RegionIDs = []string{f.donetsk.ID}
		u.VersionID, u.ProcessID, u.PointID = f.v3.ID, f.other.ID, "2"
		if err := s.Territory.UpdateProvision(ctx, &u); err != nil {
			t.Fatal(err)
		}
		if u.VersionID != f.v1.ID || u.ProcessID != f.proc.ID {
			t.Errorf("update reported version %q in process %q, want %q in %q: a provision stays with its version",
				u.VersionID, u.ProcessID, f.v1.ID, f.proc.ID)
		}
		if !u.Updated.Equal(clk.Now()) {
			t.Errorf("update set the time to %v, want %v", u.Updated, clk.Now())
		}
		got, err := s.Territory.FindProvisionByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !sameProvision(got, &u) {
			t.Errorf("read back %+v, want %+v", got, &u)
		}
		if got.VersionID != f.v1.ID || got.PointID != "2" {
			t.Errorf("stored on version %q point %q, want version %q (kept) point 2", got.VersionID, got.PointID, f.v1.ID)
		}

		// A caller may leave the version out, as it is kept anyway.
		clk.Add(time.Minute)
		noVersion := *got
		noVersion.VersionID, noVersion.Drawn = "", area(37, 47)
		if err := s.Territory.UpdateProvision(ctx, &noVersion); err != nil {
			t.Fatalf("an update without the version: %v", err)
		}
		again, err := s.Territory.FindProvisionByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if again.VersionID != f.v1.ID || !sameArea(again.Drawn, area(37, 47)) || !again.Updated.Equal(clk.Now()) {
			t.Errorf("after an update without the version: version %q, drawn %v, updated %v", again.VersionID, again.Drawn, again.Updated)
		}

		missing := u
		missing.ID = "nosuchprovision"
		wantCode(t, "a missing provision", s.Territory.UpdateProvision(ctx, &missing), parley.ENOTFOUND, "")
	})

	t.Run("delete", func(t *testing.T) {
		p := ps["v1 no point"]
		before, audit := count(), auditTotal(t, s, f.proc.ID)
		if err := s.Territory.DeleteProvision(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		_, err := s.Territory.FindProvisionByID(ctx, p.ID)
		wantCode(t, "reading a deleted provision", err, parley.ENOTFOUND, "")
		if n := count(); n != before-1 {
			t.Errorf("got %d provisions after a delete, want %d", n, before-1)
		}
		var deleted bool
		for _, r := range auditSince(t, s, f.proc.ID, audit) {
			deleted = deleted || r.Action == "delete" && r.Kind == "provision" && slices.Equal(r.IDs, []string{p.ID})
		}
		if !deleted {
			t.Errorf("the audit log has no delete of provision %s", p.ID)
		}
		wantCode(t, "deleting it again", s.Territory.DeleteProvision(ctx, p.ID), parley.ENOTFOUND, "")
		wantCode(t, "deleting a missing provision", s.Territory.DeleteProvision(ctx, "nosuchprovision"), parley.ENOTFOUND, "")
	})
}

func testProvisionRefusals(t *testing.T, s *Store) {
	ctx := asSystem()
	f := newTerritory(t, s)
	valid := func() *parley.Provision {
		return &parley.Provision{ProcessID: f.proc.ID, VersionID: f.v1.ID, PointID: "1", Label: "Donetsk", RegionIDs: []string{f.donetsk.ID},
			LineID: f.contact.ID, Side: parley.Left, Status: parley.StatusWithdrawal, DeJureID: f.ua.ID, DeFactoID: f.ru.ID,
			Classification: public}
	}
	stored := valid()
	if err := s.Territory.CreateProvisions(ctx, []*parley.Provision{stored}); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		list, err := s.Territory.FindProvisions(ctx, parley.ProvisionFilter{ProcessID: f.proc.ID})
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	before := count()

	tests := []struct {
		name       string
		edit       func(p *parley.Provision)
		field      string
		createOnly bool // an update keeps the version
	}{
		{"a region of another process", func(p *parley.Provision) { p.RegionIDs = []string{f.donetsk.ID, f.gazaRegion.ID} }, "region_ids", false},
		{"a missing region", func(p *parley.Provision) { p.RegionIDs = []string{"nosuchregion"} }, "region_ids", false},
		{"a line of another process", func(p *parley.Provision) { p.LineID = f.gazaLine.ID }, "line_id", false},
		{"a missing line", func(p *parley.Provision) { p.LineID = "nosuchline" }, "line_id", false},
		{"a point the version lacks", func(p *parley.Provision) { p.PointID = "9" }, "point_id", false},
		{"a de jure party of another process", func(p *parley.Provision) { p.DeJureID = f.hamas.ID }, "de_jure_id", false},
		{"a de facto party of another process", func(p *parley.Provision) { p.DeFactoID = f.hamas.ID }, "de_facto_id", false},
		{"shared with a party of another process", func(p *parley.Provision) { p.Classification = sharedBy(f.ua, f.hamas) }, "classification", false},
		{"a line without side or buffer", func(p *parley.Provision) { p.Side = parley.NoSide }, "side", false},
		{"a side without a line", func(p *parley.Provision) { p.LineID = "" }, "line_id", false},
		{"a buffer without a line", func(p *parley.Provision) { p.LineID, p.Side, p.BufferKm = "", parley.NoSide, 10 }, "line_id", false},
		{"a buffer too wide", func(p *parley.Provision) { p.BufferKm = parley.MaxBufferKm + 1 }, "buffer_km", false},
		{"a negative buffer", func(p *parley.Provision) { p.BufferKm = -1 }, "buffer_km", false},
		{"a buffer that is not a number", func(p *parley.Provision) { p.BufferKm = math.NaN() }, "buffer_km", false},
		{"an unknown side", func(p *parley.Provision) { p.Side = "north" }, "side", false},
		{"an unknown status", func(p *parley.Provision) { p.Status = "annexed" }, "status", false},
		{"no label", func(p *parley.Provision) { p.Label = " " }, "label", false},
		{"no region and no drawn area", func(p *parley.Provision) { p.RegionIDs = nil }, "region_ids", false},
		{"a drawn polygon without rings", func(p *parley.Provision) { p.Drawn = geo.MultiPolygon{{}} }, "drawn", false},
		{"a drawn ring crossing itself", func(p *parley.Provision) { p.Drawn = bowtie }, "drawn", false},
		{"a drawn clockwise exterior", func(p *parley.Provision) {
			p.Drawn = area(36, 47)
			slices.Reverse(p.Drawn[0][0])
		}, "drawn", false},
		{"a version of another process", func(p *parley.Provision) { p.VersionID, p.PointID = f.elsewhere.ID, "1" }, "version_id", true},
		{"a missing version", func(p *parley.Provision) { p.VersionID = "nosuchversion" }, "version_id", true},
		{"no version", func(p *parley.Provision) { p.VersionID = "" }, "version_id", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := valid()
			tt.edit(p)
			wantCode(t, "create", s.Territory.CreateProvisions(ctx, []*parley.Provision{p}), parley.EINVALID, tt.field)
			if p.ID != "" {
				t.Errorf("a refused provision got ID %q", p.ID)
			}
			if n := count(); n != before {
				t.Errorf("got %d provisions after a refused one, want %d", n, before)
			}
			if tt.createOnly {
				return
			}
			u, err := s.Territory.FindProvisionByID(ctx, stored.ID)
			if err != nil {
				t.Fatal(err)
			}
			tt.edit(u)
			wantCode(t, "update", s.Territory.UpdateProvision(ctx, u), parley.EINVALID, tt.field)
			if got, err := s.Territory.FindProvisionByID(ctx, stored.ID); err != nil || !sameProvision(got, stored) {
				t.Errorf("a refused update left %+v (%v), want %+v", got, err, stored)
			}
		})
	}
	t.Run("missing process", func(t *testing.T) {
		p := valid()
		p.ProcessID = "nosuchprocess"
		if err := s.Territory.CreateProvisions(ctx, []*parley.Provision{p}); parley.ErrorCode(err) != parley.EINVALID && parley.ErrorCode(err) != parley.ENOTFOUND {
			t.Errorf("got %v, want the provision refused", err)
		}
		if n := count(); n != before {
			t.Errorf("got %d provisions, want %d", n, before)
		}
	})
}

// accessProvisions stores, as the system, provisions of the talks seen
// differently by each actor, by name. Luhansk is public; the pocket is
// confidential to Russia, so Ukraine's delegate does not see it among the
// regions of "public v1".
func (f *territory) accessProvisions(t *testing.T) map[string]*parley.Provision {
	t.Helper()
	// A public version of a plan confidential to Ukraine.
	plan := &parley.Plan{ProcessID: f.proc.ID, Title: "Ukrainian red lines", Classification: confidentialTo(f.ua)}
	if err := f.s.Plans.CreatePlan(asSystem(), plan); err != nil {
		t.Fatal(err)
	}
	redLines := mustVersion(t, f.s, plan.ID, "Red lines", day(11, 21), "1. No recognition of occupied territory.\n")
	ps := map[string]*parley.Provision{
		"public v1":            f.provision(f.v1, "1", "public v1", public),
		"public v2":            f.provision(f.v2, "1", "public v2", public),
		"ua v1":                f.provision(f.v1, "2", "ua v1", confidentialTo(f.ua)),
		"ru v1":                f.provision(f.v1, "2", "ru v1", confidentialTo(f.ru)),
		"process-wide v3":      f.provision(f.v3, "1", "process-wide v3", parley.Classification{Level: parley.ProcessWide}),
		"public v3":            f.provision(f.v3, "2", "public v3", public),
		"public red lines":     f.provision(redLines, "1", "public red lines", public),
		"mediators v3":         f.provision(f.v3, "3", "mediators v3", parley.Classification{Level: parley.MediatorsOnly}),
		"ua v1 with ru region": f.provision(f.v1, "3", "ua v1 with ru region", confidentialTo(f.ua)),
	}
	ps["public v1"].RegionIDs = []string{f.luhansk.ID, f.ruPocket.ID}
	ps["ua v1 with ru region"].RegionIDs = []string{f.luhansk.ID, f.ruPocket.ID}
	names := slices.Sorted(maps.Keys(ps))
	batch := make([]*parley.Provision, len(names))
	for i, n := range names {
		batch[i] = ps[n]
	}
	if err := f.s.Territory.CreateProvisions(asSystem(), batch); err != nil {
		t.Fatalf("creating the provisions: %v", err)
	}
	return ps
}

// provisionsSeenBy lists, by actor, the provisions of accessProvisions it
// sees: those whose classification, version and plan it sees.
var provisionsSeenBy = map[string][]string{
	mediator: {"mediators v3", "process-wide v3", "public red lines", "public v1", "public v2", "public v3", "ru v1", "ua v1",
		"ua v1 with ru region"},
	delegateUA: {"process-wide v3", "public red lines", "public v1", "public v2", "public v3", "ua v1", "ua v1 with ru region"},
	delegateRU: {"process-wide v3", "public v1", "public v3", "ru v1"},
	observer:   {"public v1", "public v3"},
}

func testProvisionAccess(t *testing.T, s *Store) {
	f := newTerritory(t, s)
	ps := f.accessProvisions(t)
	for _, actor := range []string{mediator, delegateUA, delegateRU, observer} {
		t.Run(actor, func(t *testing.T) {
			ctx := f.actors[actor]
			list, err := s.Territory.FindProvisions(ctx, parley.ProvisionFilter{ProcessID: f.proc.ID})
			if err != nil {
				t.Fatal(err)
			}
			got := provisionNames(ps, list)
			slices.Sort(got)
			if !slices.Equal(got, provisionsSeenBy[actor]) {
				t.Errorf("lists %q, want %q", got, provisionsSeenBy[actor])
			}
			_, missing := s.Territory.FindProvisionByID(ctx, madeUpID)
			for _, n := range slices.Sorted(maps.Keys(ps)) {
				_, err := s.Territory.FindProvisionByID(ctx, ps[n].ID)
				if !slices.Contains(provisionsSeenBy[actor], n) {
					wantHidden(t, "reading "+n, err, ps[n].ID, missing)
				} else if err != nil {
					t.Errorf("reading %s: %v", n, err)
				}
			}
		})
	}
	_, err := s.Territory.FindProvisions(f.actors[outsider], parley.ProvisionFilter{ProcessID: f.proc.ID})
	wantCode(t, "outsider listing", err, parley.ENOTFOUND, "")
	_, missing := s.Territory.FindProvisionByID(f.actors[outsider], madeUpID)
	_, err = s.Territory.FindProvisionByID(f.actors[outsider], ps["public v3"].ID)
	wantHidden(t, "outsider reading a public provision", err, ps["public v3"].ID, missing)

	t.Run("hidden version", func(t *testing.T) {
		// Ukraine's draft is hidden from Russia's delegate: listing its
		// provisions answers as for a version that does not exist.
		ctx := f.actors[delegateRU]
		_, missing := s.Territory.FindProvisions(ctx, parley.ProvisionFilter{ProcessID: f.proc.ID, VersionID: madeUpID})
		_, err := s.Territory.FindProvisions(ctx, parley.ProvisionFilter{ProcessID: f.proc.ID, VersionID: f.v2.ID})
		wantHidden(t, "Russia's delegate listing Ukraine's draft", err, f.v2.ID, missing)
		list, err := s.Territory.FindProvisions(f.actors[delegateUA], parley.ProvisionFilter{ProcessID: f.proc.ID, VersionID: f.v2.ID})
		if err != nil || len(list) != 1 || list[0].ID != ps["public v2"].ID {
			t.Errorf("Ukraine's delegate lists %d provisions of its draft (%v), want public v2", len(list), err)
		}
	})

	t.Run("hidden region", func(t *testing.T) {
		for actor, want := range map[string][]string{
			mediator:   {f.luhansk.ID, f.ruPocket.ID},
			delegateUA: {f.luhansk.ID},
			delegateRU: {f.luhansk.ID, f.ruPocket.ID},
			observer:   {f.luhansk.ID},
		} {
			p, err := s.Territory.FindProvisionByID(f.actors[actor], ps["public v1"].ID)
			if err != nil {
				t.Fatalf("%s: %v", actor, err)
			}
			if !slices.Equal(p.RegionIDs, want) {
				t.Errorf("%s reads regions %q, want %q", actor, p.RegionIDs, want)
			}
			list, err := s.Territory.FindProvisions(f.actors[actor], parley.ProvisionFilter{ProcessID: f.proc.ID, VersionID: f.v1.ID})
			if err != nil {
				t.Fatalf("%s: %v", actor, err)
			}
			for _, p := range list {
				if p.ID == ps["public v1"].ID && !slices.Equal(p.RegionIDs, want) {
					t.Errorf("%s lists regions %q, want %q", actor, p.RegionIDs, want)
				}
			}
		}
	})

	t.Run("reads logged", func(t *testing.T) {
		// A public provision of a version that is not public is not public
		// either: its read is logged.
		before := auditTotal(t, s, f.proc.ID)
		if _, err := s.Territory.FindProvisionByID(f.actors[delegateUA], ps["public v2"].ID); err != nil {
			t.Fatal(err)
		}
		var logged bool
		for _, r := range auditSince(t, s, f.proc.ID, before) {
			logged = logged || r.Action == "read" && slices.Contains(r.IDs, ps["public v2"].ID)
		}
		if !logged {
			t.Errorf("reading a public provision of Ukraine's draft was not logged")
		}
	})

	t.Run("archive", func(t *testing.T) {
		for _, actor := range []string{delegateUA, delegateRU, observer} {
			a, err := s.Archive.ExportProcess(f.actors[actor], f.proc.ID)
			if err != nil {
				t.Fatalf("%s: %v", actor, err)
			}
			var got []string
			for _, p := range a.Provisions {
				got = append(got, p.Label)
			}
			slices.Sort(got)
			if !slices.Equal(got, provisionsSeenBy[actor]) {
				t.Errorf("%s exports provisions %q, want %q", actor, got, provisionsSeenBy[actor])
			}
			j := exportJSON(t, a)
			if actor != delegateRU && strings.Contains(j, f.ruPocket.ID) {
				t.Errorf("%s exports the ID of Russia's region", actor)
			}
			for n, p := range ps {
				if !slices.Contains(provisionsSeenBy[actor], n) && strings.Contains(j, p.ID) {
					t.Errorf("%s exports the ID of hidden provision %s", actor, n)
				}
			}
		}
	})
}

func testProvisionWrites(t *testing.T, s *Store) {
	f := newTerritory(t, s)
	ps := f.accessProvisions(t)
	asUA, asRU, asObserver := f.actors[delegateUA], f.actors[delegateRU], f.actors[observer]
	count := func() int {
		list, err := s.Territory.FindProvisions(asSystem(), parley.ProvisionFilter{ProcessID: f.proc.ID})
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}

	t.Run("create", func(t *testing.T) {
		for _, v := range []*parley.Version{f.v1, f.v2} {
			p := f.provision(v, "1", "Ukraine's reading of "+v.Label, confidentialTo(f.ua))
			if err := s.Territory.CreateProvisions(asUA, []*parley.Provision{p}); err != nil {
				t.Errorf("Ukraine's delegate creating a provision confidential to Ukraine on %s: %v", v.Label, err)
			}
		}
		before := count()
		for _, tt := range []struct {
			name string
			c    parley.Classification
		}{
			{"confidential to Russia", confidentialTo(f.ru)},
			{"shared by Russia", sharedBy(f.ru, f.ua)},
			{"public", public},
			{"process-wide", parley.Classification{Level: parley.ProcessWide}},
		} {
			p := f.provision(f.v1, "1", "not Ukraine's", tt.c)
			wantCode(t, "Ukraine's delegate creating a provision "+tt.name, s.Territory.CreateProvisions(asUA, []*parley.Provision{p}),
				parley.EFORBIDDEN, "")
		}
		wantCode(t, "an observer creating a provision",
			s.Territory.CreateProvisions(asObserver, []*parley.Provision{f.provision(f.v1, "1", "observed", public)}), parley.EFORBIDDEN, "")

		// A version or a region the delegate does not see answers as a
		// missing one: Ukraine's draft for Russia, Russia's region for
		// Ukraine.
		onHidden := f.provision(f.v2, "1", "Russia's reading", confidentialTo(f.ru))
		onMissing := f.provision(f.v2, "1", "Russia's reading", confidentialTo(f.ru))
		onMissing.VersionID = madeUpID
		wantHidden(t, "Russia's delegate writing on Ukraine's draft", s.Territory.CreateProvisions(asRU, []*parley.Provision{onHidden}),
			f.v2.ID, s.Territory.CreateProvisions(asRU, []*parley.Provision{onMissing}))
		hiddenRegion := f.provision(f.v1, "1", "Ukraine's reading", confidentialTo(f.ua))
		hiddenRegion.RegionIDs = []string{f.ruPocket.ID}
		missingRegion := f.provision(f.v1, "1", "Ukraine's reading", confidentialTo(f.ua))
		missingRegion.RegionIDs = []string{madeUpID}
		wantHidden(t, "Ukraine's delegate naming Russia's region", s.Territory.CreateProvisions(asUA, []*parley.Provision{hiddenRegion}),
			f.ruPocket.ID, s.Territory.CreateProvisions(asUA, []*parley.Provision{missingRegion}))
		if n := count(); n != before {
			t.Errorf("got %d provisions after refused writes, want %d", n, before)
		}
	})

	t.Run("others' provisions", func(t *testing.T) {
		// Russia's delegate sees the public provision of v3 but may not
		// change it; Ukraine's provision it does not see at all.
		u, err := s.Territory.FindProvisionByID(asRU, ps["public v3"].ID)
		if err != nil {
			t.Fatal(err)
		}
		u.Label = "changed by Russia"
		wantCode(t, "Russia's delegate updating a public provision", s.Territory.UpdateProvision(asRU, u), parley.EFORBIDDEN, "")
		wantCode(t, "Russia's delegate deleting a public provision", s.Territory.DeleteProvision(asRU, ps["public v3"].ID), parley.EFORBIDDEN, "")
		wantCode(t, "an observer deleting a public provision", s.Territory.DeleteProvision(asObserver, ps["public v3"].ID), parley.EFORBIDDEN, "")

		wantHidden(t, "Russia's delegate deleting Ukraine's provision", s.Territory.DeleteProvision(asRU, ps["ua v1"].ID), ps["ua v1"].ID,
			s.Territory.DeleteProvision(asRU, madeUpID))
		// An update of a hidden provision answers as one of a missing
		// provision, with the version given or left out.
		for _, version := range []string{f.v1.ID, ""} {
			hidden := f.provision(f.v1, "2", "changed by Russia", confidentialTo(f.ru))
			hidden.ID, hidden.VersionID = ps["ua v1"].ID, version
			made := *hidden
			made.ID = madeUpID
			wantHidden(t, fmt.Sprintf("Russia's delegate updating Ukraine's provision (version %q)", version),
				s.Territory.UpdateProvision(asRU, hidden), ps["ua v1"].ID, s.Territory.UpdateProvision(asRU, &made))
		}
		for n, p := range ps {
			got, err := s.Territory.FindProvisionByID(asSystem(), p.ID)
			if err != nil {
				t.Errorf("%s: %v", n, err)
			} else if got.Label != n {
				t.Errorf("%s: labelled %q after refused writes", n, got.Label)
			}
		}

		own, err := s.Territory.FindProvisionByID(asRU, ps["ru v1"].ID)
		if err != nil {
			t.Fatal(err)
		}
		own.Note = "Russia's note"
		if err := s.Territory.UpdateProvision(asRU, own); err != nil {
			t.Errorf("Russia's delegate updating its own provision: %v", err)
		}
		if err := s.Territory.DeleteProvision(asRU, ps["ru v1"].ID); err != nil {
			t.Errorf("Russia's delegate deleting its own provision: %v", err)
		}
	})

	t.Run("hidden region kept", func(t *testing.T) {
		p := ps["ua v1 with ru region"]
		shown, err := s.Territory.FindProvisionByID(asUA, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(shown.RegionIDs, []string{f.luhansk.ID}) {
			t.Fatalf("Ukraine's delegate is shown regions %q, want Luhansk alone", shown.RegionIDs)
		}
		shown.Label, shown.RegionIDs = "Luhansk and Kherson", append(shown.RegionIDs, f.kherson.ID)
		if err := s.Territory.UpdateProvision(asUA, shown); err != nil {
			t.Fatal(err)
		}
		if slices.Contains(shown.RegionIDs, f.ruPocket.ID) {
			t.Errorf("the answer to the save shows Russia's region")
		}
		stored, err := s.Territory.FindProvisionByID(f.actors[mediator], p.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := slices.Sorted(slices.Values(stored.RegionIDs))
		want := slices.Sorted(slices.Values([]string{f.luhansk.ID, f.kherson.ID, f.ruPocket.ID}))
		if stored.Label != "Luhansk and Kherson" || !slices.Equal(got, want) {
			t.Errorf("stored %q with regions %q; want the new label, Kherson added and Russia's region kept", stored.Label, stored.RegionIDs)
		}
	})
}

// testRegionOverlap checks that regions of a map share borders but not
// land: a neighbour is stored, a region over another is refused whole.
func testRegionOverlap(t *testing.T, s *Store) {
	f := newTerritory(t, s)
	before := countRegions(t, s, f.proc.ID)
	pub := parley.Classification{Level: parley.Public}
	// Donetsk is area(37, 47): its neighbour to the east shares its
	// eastern edge, position for position.
	d := f.donetsk.Area[0][0]
	east := &parley.Region{Code: "NB-1", Name: "Neighbour", Classification: pub,
		Area: geo.MultiPolygon{{{d[1], {d[1][0] + 0.4, d[1][1]}, {d[2][0] + 0.4, d[2][1]}, d[2], d[1]}}}}
	if err := s.Territory.CreateRegions(asSystem(), f.proc.ID, []*parley.Region{east}); err != nil {
		t.Fatalf("a region sharing a border: %v", err)
	}
	over := &parley.Region{Code: "OV-1", Name: "Overlap", Area: area(37.5, 47), Classification: pub}
	fine := &parley.Region{Code: "OK-1", Name: "Far", Area: area(20, 40), Classification: pub}
	err := s.Territory.CreateRegions(asSystem(), f.proc.ID, []*parley.Region{fine, over})
	wantCode(t, "a region over Donetsk", err, parley.EINVALID, "geometry")
	wantMessage(t, "a region over Donetsk", err, "overlaps")
	if n := countRegions(t, s, f.proc.ID); n != before+1 {
		t.Errorf("%d regions after the refused batch, want %d", n, before+1)
	}
}

// testHiddenLineKept checks that a delegate can save what it was shown of
// a provision whose line, or whose only region, is hidden from it: what
// it is shown breaks the rules (a side without a line, no region at
// all), what is stored does not.
func testHiddenLineKept(t *testing.T, s *Store) {
	f := newTerritory(t, s)
	asUA := f.actors[delegateUA]
	ruLine := &parley.Line{Name: "Russia's line", Path: geo.Line{{36, 46}, {39, 49}}, LeftLabel: "west", RightLabel: "east",
		Classification: confidentialTo(f.ru)}
	if err := s.Territory.CreateLines(asSystem(), f.proc.ID, []*parley.Line{ruLine}); err != nil {
		t.Fatal(err)
	}
	onLine := f.provision(f.v1, "1", "Donetsk west of Russia's line", confidentialTo(f.ua))
	onLine.RegionIDs, onLine.LineID, onLine.Side = []string{f.donetsk.ID}, ruLine.ID, parley.Left
	onRegion := f.provision(f.v1, "1", "Russia's pocket", confidentialTo(f.ua))
	onRegion.RegionIDs = []string{f.ruPocket.ID}
	if err := s.Territory.CreateProvisions(asSystem(), []*parley.Provision{onLine, onRegion}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*parley.Provision{onLine, onRegion} {
		shown, err := s.Territory.FindProvisionByID(asUA, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if shown.LineID != "" || slices.Contains(shown.RegionIDs, f.ruPocket.ID) {
			t.Fatalf("%s: Ukraine's delegate is shown line %q and regions %q", p.Label, shown.LineID, shown.RegionIDs)
		}
		shown.Note = "Ukraine's note"
		if err := s.Territory.UpdateProvision(asUA, shown); err != nil {
			t.Errorf("%s: Ukraine's delegate saving what it was shown: %v", p.Label, err)
			continue
		}
		stored, err := s.Territory.FindProvisionByID(asSystem(), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if stored.Note != "Ukraine's note" || stored.LineID != p.LineID || stored.Side != p.Side || !slices.Equal(stored.RegionIDs, p.RegionIDs) {
			t.Errorf("%s: stored note %q, line %q, side %q, regions %q; want the note saved and the hidden line and regions kept",
				p.Label, stored.Note, stored.LineID, stored.Side, stored.RegionIDs)
		}
	}
	// The side and buffer of a hidden line are hidden too, and marked so;
	// what is still wrong once the hidden references are back is refused.
	shown, err := s.Territory.FindProvisionByID(asUA, onLine.ID)
	if err != nil {
		t.Fatal(err)
	}
	if shown.Side != parley.NoSide || shown.BufferKm != 0 || !shown.Partial {
		t.Errorf("Ukraine's delegate is shown side %q, buffer %g, partial %v; want no side, no buffer, partial", shown.Side, shown.BufferKm, shown.Partial)
	}
	shown.Label = ""
	wantCode(t, "an empty label on a provision on a hidden line", s.Territory.UpdateProvision(asUA, shown), parley.EINVALID, "label")
}

func testTerritoryArchive(t *testing.T, open Opener) {
	ctx := asSystem()
	src := open(t)
	f := newTerritory(t, src)
	ps := f.accessProvisions(t)
	drawnOnly := &parley.Provision{ProcessID: f.proc.ID, VersionID: f.v3.ID, PointID: "3", Label: "A drawn zone",
		Drawn:  geo.MultiPolygon{holed(36.2, 47.3, 0.6180339887498949, 0.41421356237309515), rect(35.01, 46.02, 0.125, 1.0/9)},
		LineID: f.contact.ID, BufferKm: 12.5, Status: parley.StatusBufferZone, DeJureID: f.ua.ID, Note: "drawn by hand",
		Classification: sharedBy(f.ua, f.ru)}
	if err := src.Territory.CreateProvisions(ctx, []*parley.Provision{drawnOnly}); err != nil {
		t.Fatal(err)
	}
	first := export(t, src, f.proc.ID)
	a := decode(t, first)
	if len(a.Regions) != 4 || len(a.Lines) != 1 || len(a.Provisions) != len(ps)+1 {
		t.Fatalf("archive holds %d regions, %d lines, %d provisions; want 4, 1, %d", len(a.Regions), len(a.Lines), len(a.Provisions), len(ps)+1)
	}

	dst := open(t)
	if err := dst.Archive.ImportProcess(ctx, a); err != nil {
		t.Fatal(err)
	}
	if second := export(t, dst, f.proc.ID); string(second) != string(first) {
		t.Errorf("export → import → export changed the archive:\n%s", firstDifference(string(first), string(second)))
	}
	for _, r := range []*parley.Region{f.donetsk, f.luhansk, f.kherson, f.ruPocket} {
		got, err := dst.Territory.FindRegionByID(ctx, r.ID)
		if err != nil || !sameRegion(got, r) {
			t.Errorf("imported region %s reads %+v (%v), want %+v", r.Code, got, err, r)
		}
	}
	if got, err := dst.Territory.FindLineByID(ctx, f.contact.ID); err != nil || !sameLine(got, f.contact) {
		t.Errorf("imported line reads %+v (%v), want %+v", got, err, f.contact)
	}
	ps["drawn"] = drawnOnly
	for n, p := range ps {
		got, err := dst.Territory.FindProvisionByID(ctx, p.ID)
		if err != nil || !sameProvision(got, p) {
			t.Errorf("imported provision %s reads %+v (%v), want %+v", n, got, err, p)
		}
	}

	bad := []struct {
		name, want string
		edit       func(a *parley.Archive)
	}{
		{"a region code twice", "regions[1]", func(a *parley.Archive) { a.Regions[1].Code = a.Regions[0].Code }},
		{"a line without a label", "lines[0]", func(a *parley.Archive) { a.Lines[0].LeftLabel = "" }},
		{"a provision of a missing region", "provisions[2]", func(a *parley.Archive) { a.Provisions[2].RegionIDs = []string{"nosuchregion"} }},
		{"a provision of a missing version", "provisions[0]", func(a *parley.Archive) { a.Provisions[0].VersionID = "nosuchversion" }},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			a := decode(t, first)
			tt.edit(a)
			err := s.Archive.ImportProcess(ctx, a)
			if parley.ErrorCode(err) != parley.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an invalid archive error mentioning %q", err, tt.want)
			}
			if _, err := s.Processes.FindProcessByID(ctx, f.proc.ID); parley.ErrorCode(err) != parley.ENOTFOUND {
				t.Errorf("a refused import left the process behind (%v)", err)
			}
		})
	}
}
