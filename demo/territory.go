package demo

import (
	"errors"
	"fmt"
	"slices"

	"parley"
	"parley/geo"
)

// The territory of the demo: Ukraine's 27 first-level regions from the
// embedded base map, one hand-drawn line of contact, and what the 28
// points, the European counter-proposal and the December framework say
// about the regions. The regions' holders are those before any plan; each
// provision restates one sub-point of a version as an area with a status.

// baseMap is the key of the embedded base map the regions come from.
const baseMap = "ukraine-adm1"

// lineKey is the key of the line of contact in loader.ids.
const lineKey = "line-of-contact"

// regionKey is the key of a region in loader.ids, by its code.
func regionKey(code string) string { return "region-" + code }

// regionDeJure is who holds every region in law before any plan: Ukraine,
// within the borders the UN General Assembly affirmed in resolution
// 68/262 of March 2014.
const regionDeJure = "ua"

// regionDeFacto is who controls a region in fact in late November 2025,
// where that is not Ukraine: Russia for Crimea, Sevastopol and Luhansk
// (nearly all of which it held by mid-2025), and no single party for the
// regions the line of contact runs through.
var regionDeFacto = map[string]string{
	"UA-43": "ru", // Crimea
	"UA-40": "ru", // Sevastopol
	"UA-09": "ru", // Luhansk
	"UA-14": "",   // Donetsk
	"UA-23": "",   // Zaporizhzhia
	"UA-65": "",   // Kherson
	"UA-63": "",   // Kharkiv
	"UA-12": "",   // Dnipropetrovsk
	"UA-59": "",   // Sumy: Russian forces held a few villages on the border
}

// The line of contact and how its sides read. Walking it from its first
// position to its last, Russian-held ground is on the left (east, then
// south) and Ukrainian-held ground on the right.
const (
	lineName   = "Line of contact (approximate, late November 2025)"
	lineLeft   = "Russian-held side"
	lineRight  = "Ukrainian-held side"
	lineSource = "Drawn by hand for the demo from public reporting of the front in late November 2025; approximate, not a survey"
)

// lineOfContact runs from inside Russia north of Kharkiv region, down the
// Oskil past Kupiansk, past Lyman and Siversk, west of Chasiv Yar,
// Kostiantynivka and Pokrovsk, into the east of Dnipropetrovsk region,
// through the Huliaipole and Orikhiv areas to the Dnipro near Vasylivka,
// down the middle of the Kakhovka reservoir and the Dnipro past Nova
// Kakhovka and Kherson, and out through the Dnipro–Bug estuary between
// Ochakiv and the tip of the Kinburn Spit into the Black Sea. The spit,
// held by Russia since 2022, is thus on the Russian-held side. Through
// the reservoir and the estuary the line keeps to the water of the base
// map, so that it does not cut slivers off the regions on the banks.
var lineOfContact = geo.Line{
	{37.75, 50.45}, // in Russia, north of Kharkiv region
	{37.70, 50.10},
	{37.68, 49.88}, // Dvorichna
	{37.62, 49.72}, // Kupiansk
	{37.68, 49.55},
	{37.72, 49.38}, // east of Borova
	{37.80, 49.18},
	{37.86, 49.05},
	{37.86, 48.99}, // east of Lyman
	{37.98, 48.93},
	{38.10, 48.87}, // Siversk
	{38.02, 48.76},
	{37.92, 48.66},
	{37.80, 48.59}, // west of Chasiv Yar
	{37.64, 48.56}, // between Kostiantynivka and Druzhkivka
	{37.55, 48.47},
	{37.38, 48.42},
	{37.22, 48.35},
	{37.12, 48.30}, // west of Pokrovsk
	{37.05, 48.20},
	{36.90, 48.12},
	{36.75, 48.05}, // into Dnipropetrovsk region
	{36.62, 48.00},
	{36.50, 47.92},
	{36.42, 47.82},
	{36.26, 47.66}, // Huliaipole
	{36.05, 47.58},
	{35.78, 47.53}, // south of Orikhiv
	{35.55, 47.54}, // Stepnohirsk
	{35.35, 47.50}, // Kamianske, north of Vasylivka
	{35.20, 47.52}, // the Dnipro
	{35.00, 47.50}, // the Kakhovka reservoir
	{34.83, 47.515},
	{34.645, 47.553}, // between Marhanets and Enerhodar
	{34.45, 47.512},
	{34.40, 47.50}, // between Nikopol and Kamianka-Dniprovska
	{34.20, 47.465},
	{34.05, 47.35},
	{33.88, 47.20}, // west of Velyka Lepetykha
	{33.66, 47.00},
	{33.44, 46.82}, // between Beryslav and Kakhovka
	{33.37, 46.78}, // Nova Kakhovka, the dam
	{33.10, 46.745},
	{32.82, 46.69},
	{32.64, 46.640}, // Kherson, on the right bank
	{32.55, 46.607},
	{32.40, 46.543},
	{32.22, 46.540},
	{32.00, 46.575}, // the Dnipro–Bug estuary
	{31.70, 46.595},
	{31.52, 46.607}, // between Ochakiv and the tip of the Kinburn Spit
	{31.40, 46.56},
	{31.28, 46.44}, // the Black Sea
}

// kinburnSpit is the Kinburn Spit as drawn for the framework's point
// 14.d: a box around the spit, counter-clockwise, that stays south of the
// Ochakiv shore. With Mykolaiv region as its region only the spit's land
// counts.
var kinburnSpit = geo.MultiPolygon{{{
	{31.48, 46.42}, {31.90, 46.42}, {31.90, 46.58}, {31.60, 46.58}, {31.48, 46.598}, {31.48, 46.42},
}}}

// provisionDef is what a sub-point of a version says about one area.
// Regions are by code; side takes the part of them on one side of the
// line of contact; holders are party keys, "" for none.
type provisionDef struct {
	point, label string
	regions      []string
	side         parley.Side
	status       parley.TerritoryStatus
	deJure       string
	deFacto      string
	drawn        geo.MultiPolygon
	note         string
}

// versionProvisions are the provisions of one version of the case.
type versionProvisions struct {
	version    string
	provisions []provisionDef
}

// lineNote is what every provision cut by the line adds to its note.
const lineNote = " The line of contact is drawn approximately, so the area is too."

// The notes that several provisions share: each sub-point's reading,
// said once for all the regions it covers.
const (
	frozenNote = "Point 21.b freezes Kherson and Zaporizhzhia along the line of contact: each side keeps what it holds, and Ukraine keeps its claim in law." + lineNote
	giveUpNote = "Point 21.c has Russia give up the other agreed territory it holds outside the five regions; in late 2025 that meant its footholds in Kharkiv and Dnipropetrovsk regions." + lineNote
	e3Note     = "Point 21 of the European text replaces the territorial terms: talks start from the current line of contact, and no territory is recognised as Russian, so Russia keeps control but not title while talks go on." + lineNote
	fwFrozen   = "Point 14.a treats the line where troops stand on the day of the agreement as the line of contact in Donetsk, Luhansk, Zaporizhzhia and Kherson; Russia keeps control there without title." + lineNote
	fwWithdraw = "Point 14.c has Russia withdraw from Dnipropetrovsk, Mykolaiv, Sumy and Kharkiv regions; on this map Russian-held ground is drawn only in Kharkiv and Dnipropetrovsk (the Kinburn Spit in Mykolaiv region has a point of its own, 14.d)." + lineNote
)

// provisionsByVersion are the territorial provisions of the three versions
// whose text is known, read off point 21 of the 28 points and of the
// European text and point 14 of the December framework. The framework
// does not mention Crimea, so it has no provision for it.
var provisionsByVersion = []versionProvisions{
	{version: "v-us-28", provisions: []provisionDef{
		{point: "21.a", label: "Crimea and Sevastopol", regions: []string{"UA-43", "UA-40"},
			status: parley.StatusDeFacto, deJure: "ua", deFacto: "ru",
			note: "Point 21.a has Crimea and Sevastopol recognised as Russian in fact, by the United States among others; it does not transfer title in law."},
		{point: "21.a", label: "Luhansk region", regions: []string{"UA-09"},
			status: parley.StatusDeFacto, deJure: "ua", deFacto: "ru",
			note: "Point 21.a has Luhansk region recognised as Russian in fact, by the United States among others."},
		{point: "21.a", label: "Donetsk region", regions: []string{"UA-14"},
			status: parley.StatusDeFacto, deJure: "ua", deFacto: "ru",
			note: "Point 21.a has the whole of Donetsk region recognised as Russian in fact, by the United States among others, including the part Ukraine still holds; 21.d says what becomes of that part."},
		{point: "21.d", label: "The part of Donetsk held by Ukraine", regions: []string{"UA-14"}, side: parley.Right,
			status: parley.StatusBufferZone, deJure: "ru", deFacto: "",
			note: "Point 21.d has Ukrainian forces leave the part of Donetsk they hold; it becomes a neutral demilitarised buffer zone, recognised internationally as Russian territory, which Russian forces do not enter." + lineNote},
		{point: "21.b", label: "Zaporizhzhia region, Russian-held part", regions: []string{"UA-23"}, side: parley.Left,
			status: parley.StatusFrozen, deJure: "ua", deFacto: "ru", note: frozenNote},
		{point: "21.b", label: "Zaporizhzhia region, Ukrainian-held part", regions: []string{"UA-23"}, side: parley.Right,
			status: parley.StatusFrozen, deJure: "ua", deFacto: "ua", note: frozenNote},
		{point: "21.b", label: "Kherson region, Russian-held part", regions: []string{"UA-65"}, side: parley.Left,
			status: parley.StatusFrozen, deJure: "ua", deFacto: "ru", note: frozenNote},
		{point: "21.b", label: "Kherson region, Ukrainian-held part", regions: []string{"UA-65"}, side: parley.Right,
			status: parley.StatusFrozen, deJure: "ua", deFacto: "ua", note: frozenNote},
		{point: "21.c", label: "Kharkiv region, Russian-held part", regions: []string{"UA-63"}, side: parley.Left,
			status: parley.StatusWithdrawal, deJure: "ua", deFacto: "ua", note: giveUpNote},
		{point: "21.c", label: "Dnipropetrovsk region, Russian-held part", regions: []string{"UA-12"}, side: parley.Left,
			status: parley.StatusWithdrawal, deJure: "ua", deFacto: "ua", note: giveUpNote},
	}},
	{version: "v-e3", provisions: []provisionDef{
		{point: "21", label: "Donetsk region, Russian-held part", regions: []string{"UA-14"}, side: parley.Left,
			status: parley.StatusFrozen, deJure: "ua", deFacto: "ru", note: e3Note},
		{point: "21", label: "Luhansk region, Russian-held part", regions: []string{"UA-09"}, side: parley.Left,
			status: parley.StatusFrozen, deJure: "ua", deFacto: "ru", note: e3Note},
		{point: "21", label: "Zaporizhzhia region, Russian-held part", regions: []string{"UA-23"}, side: parley.Left,
			status: parley.StatusFrozen, deJure: "ua", deFacto: "ru", note: e3Note},
		{point: "21", label: "Kherson region, Russian-held part", regions: []string{"UA-65"}, side: parley.Left,
			status: parley.StatusFrozen, deJure: "ua", deFacto: "ru", note: e3Note},
		{point: "21", label: "Kharkiv region, Russian-held part", regions: []string{"UA-63"}, side: parley.Left,
			status: parley.StatusFrozen, deJure: "ua", deFacto: "ru", note: e3Note},
		{point: "21", label: "Dnipropetrovsk region, Russian-held part", regions: []string{"UA-12"}, side: parley.Left,
			status: parley.StatusFrozen, deJure: "ua", deFacto: "ru", note: e3Note},
		{point: "21", label: "Crimea and Sevastopol", regions: []string{"UA-43", "UA-40"},
			status: parley.StatusUnchanged, deJure: "ua", deFacto: "ru",
			note: "Point 21 of the European text recognises no territory as Russian, Crimea included: Russia keeps control of the peninsula without title, as before."},
	}},
	{version: "v-framework", provisions: []provisionDef{
		{point: "14.a", label: "Donetsk region, Russian-held part", regions: []string{"UA-14"}, side: parley.Left,
			status: parley.StatusFrozen, deJure: "ua", deFacto: "ru", note: fwFrozen},
		{point: "14.a", label: "Luhansk region, Russian-held part", regions: []string{"UA-09"}, side: parley.Left,
			status: parley.StatusFrozen, deJure: "ua", deFacto: "ru", note: fwFrozen},
		{point: "14.a", label: "Zaporizhzhia region, Russian-held part", regions: []string{"UA-23"}, side: parley.Left,
			status: parley.StatusFrozen, deJure: "ua", deFacto: "ru", note: fwFrozen},
		{point: "14.a", label: "Kherson region, Russian-held part", regions: []string{"UA-65"}, side: parley.Left,
			status: parley.StatusFrozen, deJure: "ua", deFacto: "ru", note: fwFrozen},
		{point: "14.b", label: "The part of Donetsk held by Ukraine", regions: []string{"UA-14"}, side: parley.Right,
			status: parley.StatusReferendum, deJure: "ua", deFacto: "ua",
			note: "Point 14.b leaves the pull-back of forces, and a possible free economic zone here, to a working group, with any such zone put to a referendum; until then Ukraine keeps the area." + lineNote},
		{point: "14.c", label: "Kharkiv region, Russian-held part", regions: []string{"UA-63"}, side: parley.Left,
			status: parley.StatusWithdrawal, deJure: "ua", deFacto: "ua", note: fwWithdraw},
		{point: "14.c", label: "Dnipropetrovsk region, Russian-held part", regions: []string{"UA-12"}, side: parley.Left,
			status: parley.StatusWithdrawal, deJure: "ua", deFacto: "ua", note: fwWithdraw},
		{point: "14.d", label: "Kinburn Spit", regions: []string{"UA-48"}, drawn: kinburnSpit,
			status: parley.StatusBufferZone, deJure: "ua", deFacto: "",
			note: "Point 14.d demilitarises the Kinburn Spit, at the mouth of the Dnipro–Bug estuary; the text names no one to control it. The spit is drawn by hand around the base map's land."},
	}},
}

// territory stores the regions of the base map, the line of contact and
// the provisions of each version.
func (l *loader) territory() error {
	if l.s.Territory == nil {
		return errors.New("territory: the store has no territory service")
	}
	if err := l.regions(); err != nil {
		return fmt.Errorf("regions: %w", err)
	}
	if err := l.line(); err != nil {
		return fmt.Errorf("line of contact: %w", err)
	}
	for _, v := range provisionsByVersion {
		if err := l.provisions(v); err != nil {
			return fmt.Errorf("provisions of %s: %w", v.version, err)
		}
	}
	return nil
}

// regions stores every region of the base map in one call.
func (l *loader) regions() error {
	base, err := geo.LoadBaseMap(baseMap)
	if err != nil {
		return err
	}
	ua, err := l.id(regionDeJure)
	if err != nil {
		return err
	}
	rs := make([]*parley.Region, len(base.Regions))
	for i, b := range base.Regions {
		deFacto := ua
		if key, listed := regionDeFacto[b.Code]; listed {
			if deFacto, err = l.optionalID(key); err != nil {
				return err
			}
		}
		rs[i] = &parley.Region{Code: b.Code, Name: b.Name, DeJureID: ua, DeFactoID: deFacto,
			Area: b.Area.Clone(), Source: base.Attribution(), Classification: public}
	}
	if err := l.s.Territory.CreateRegions(l.ctx, l.process.ID, rs); err != nil {
		return err
	}
	for _, r := range rs {
		l.ids[regionKey(r.Code)] = r.ID
	}
	return nil
}

// line stores the line of contact.
func (l *loader) line() error {
	line := &parley.Line{Name: lineName, Path: slices.Clone(lineOfContact), LeftLabel: lineLeft, RightLabel: lineRight,
		Source: lineSource, Classification: public}
	if err := l.s.Territory.CreateLines(l.ctx, l.process.ID, []*parley.Line{line}); err != nil {
		return err
	}
	l.ids[lineKey] = line.ID
	return nil
}

// provisions stores the provisions of one version in one call.
func (l *loader) provisions(v versionProvisions) error {
	version, err := l.id(v.version)
	if err != nil {
		return err
	}
	ps := make([]*parley.Provision, len(v.provisions))
	for i, d := range v.provisions {
		if ps[i], err = l.provision(version, d); err != nil {
			return fmt.Errorf("point %s, %s: %w", d.point, d.label, err)
		}
	}
	return l.s.Territory.CreateProvisions(l.ctx, ps)
}

// provision turns a definition into a provision of the version.
func (l *loader) provision(version string, d provisionDef) (*parley.Provision, error) {
	keys := make([]string, len(d.regions))
	for i, code := range d.regions {
		keys[i] = regionKey(code)
	}
	regions, err := l.idList(keys)
	if err != nil {
		return nil, err
	}
	var line string
	if d.side != parley.NoSide {
		if line, err = l.id(lineKey); err != nil {
			return nil, err
		}
	}
	deJure, err := l.optionalID(d.deJure)
	if err != nil {
		return nil, err
	}
	deFacto, err := l.optionalID(d.deFacto)
	if err != nil {
		return nil, err
	}
	return &parley.Provision{ProcessID: l.process.ID, VersionID: version, PointID: d.point, Label: d.label,
		RegionIDs: regions, LineID: line, Side: d.side, Status: d.status, DeJureID: deJure, DeFactoID: deFacto,
		Note: d.note, Drawn: d.drawn.Clone(), Classification: public}, nil
}
