package territory_test

import (
	"testing"

	"parley"
	"parley/geo"
	"parley/territory"
)

// demoLine is an approximate line of contact, enough to cut regions the
// way the demo's does.
var demoLine = geo.Line{{37.75, 50.45}, {37.62, 49.72}, {37.9, 49.2}, {38.1, 48.87}, {37.85, 48.58}, {37.4, 48.4}, {37.18, 48.28},
	{36.6, 48.0}, {36.26, 47.66}, {35.78, 47.57}, {35.28, 47.45}, {34.4, 47.53}, {33.37, 46.77}, {32.62, 46.6}, {31.95, 46.52}, {31.4, 46.4}}

// ukraine is the base map of Ukraine's regions with the line, and the
// provisions of point 21 of the 28 points.
func ukraine(tb testing.TB) (*territory.Base, []*parley.Provision) {
	tb.Helper()
	bm, err := geo.LoadBaseMap("ukraine-adm1")
	if err != nil {
		tb.Fatal(err)
	}
	var regions []*parley.Region
	for _, r := range bm.Regions {
		regions = append(regions, &parley.Region{ID: r.Code, Code: r.Code, Name: r.Name, Area: r.Area, DeJureID: "ua"})
	}
	line := &parley.Line{ID: "loc", Name: "Line of contact", Path: demoLine, LeftLabel: "Russian-held side", RightLabel: "Ukrainian-held side"}
	base := territory.NewBase(regions, []*parley.Line{line})
	ps := []*parley.Provision{
		{ID: "1", Label: "Crimea", RegionIDs: []string{"UA-43", "UA-40"}, Status: parley.StatusDeFacto, DeJureID: "ua", DeFactoID: "ru"},
		{ID: "2", Label: "Luhansk", RegionIDs: []string{"UA-09"}, Status: parley.StatusDeFacto, DeJureID: "ua", DeFactoID: "ru"},
		{ID: "3", Label: "Donetsk", RegionIDs: []string{"UA-14"}, Status: parley.StatusDeFacto, DeJureID: "ua", DeFactoID: "ru"},
		{ID: "4", Label: "Donetsk held by Ukraine", RegionIDs: []string{"UA-14"}, LineID: "loc", Side: parley.Right, Status: parley.StatusBufferZone, DeJureID: "ru"},
		{ID: "5", Label: "Zaporizhzhia, Russian-held", RegionIDs: []string{"UA-23"}, LineID: "loc", Side: parley.Left, Status: parley.StatusFrozen, DeJureID: "ua", DeFactoID: "ru"},
		{ID: "6", Label: "Kherson, Russian-held", RegionIDs: []string{"UA-65"}, LineID: "loc", Side: parley.Left, Status: parley.StatusFrozen, DeJureID: "ua", DeFactoID: "ru"},
	}
	return base, ps
}

// BenchmarkResolveUkraine resolves point 21 of the 28 points on the
// base map: the zones, the painting, the remainder and the figures.
func BenchmarkResolveUkraine(b *testing.B) {
	base, ps := ukraine(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := territory.Resolve(base, ps); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVersionMap resolves and draws a version's map with all of
// Ukraine's regions: the target is 20 ms.
func BenchmarkVersionMap(b *testing.B) {
	base, ps := ukraine(b)
	parties := territory.NewParties([]*parley.Party{{ID: "ru", Name: "Russia"}, {ID: "ua", Name: "Ukraine"}})
	b.ReportAllocs()
	for b.Loop() {
		t, err := territory.Resolve(base, ps)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := geo.RenderString(t.Map(territory.MapOptions{ID: "m", Title: "28 points", Picture: territory.ByStatus, Parties: parties, Width: 960})); err != nil {
			b.Fatal(err)
		}
	}
}
