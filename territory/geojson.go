package territory

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"parley"
	"parley/geo"
)

// GeoJSON is how territory moves in and out of Parley. A version's
// provisions are a FeatureCollection, one feature per provision, whose
// geometry is the area the provision names and whose properties are the
// provision's fields (see ProvisionProperties). A process's regions and
// lines are FeatureCollections too; their properties are "code" and
// "name" for a region, "name", "left_label" and "right_label" for a line.

// ProvisionProperties are the properties of a provision's feature.
// Parties, regions and the line are given by ID on export; an import
// also takes a party's or line's name and a region's code.
type ProvisionProperties struct {
	ID          string                 `json:"id,omitempty"`
	VersionID   string                 `json:"version_id,omitempty"`
	Point       string                 `json:"point,omitempty"`
	Label       string                 `json:"label"`
	Status      parley.TerritoryStatus `json:"status"`
	StatusLabel string                 `json:"status_label,omitempty"`
	DeJure      string                 `json:"de_jure,omitempty"`
	DeJureName  string                 `json:"de_jure_name,omitempty"`
	DeFacto     string                 `json:"de_facto,omitempty"`
	DeFactoName string                 `json:"de_facto_name,omitempty"`
	Regions     []string               `json:"regions,omitempty"`
	Line        string                 `json:"line,omitempty"`
	Side        parley.Side            `json:"side,omitempty"`
	SideLabel   string                 `json:"side_label,omitempty"`
	BufferKm    float64                `json:"buffer_km,omitempty"`
	// Drawn is the provision's drawn polygon, a GeoJSON geometry, when it
	// has one as well as regions (the feature's geometry is then the area
	// both name together). A feature without regions is itself drawn: its
	// geometry.
	Drawn          json.RawMessage        `json:"drawn,omitempty"`
	Note           string                 `json:"note,omitempty"`
	Classification *parley.Classification `json:"classification,omitempty"`
	// AreaKm2 is the area the provision names; ShownKm2 what remains of
	// it where more specific provisions of the version cover part of it.
	AreaKm2  float64 `json:"area_km2,omitempty"`
	ShownKm2 float64 `json:"shown_km2,omitempty"`
	Error    string  `json:"error,omitempty"`
}

// Features writes a version's territory as a FeatureCollection: each
// provision with the area it names and its properties, regions by code.
func (t *Territory) Features(ps *Parties) (*geo.FeatureCollection, error) {
	fc := &geo.FeatureCollection{}
	for _, c := range t.Claims {
		p := c.Provision
		props := ProvisionProperties{ID: p.ID, VersionID: p.VersionID, Point: p.PointID, Label: p.Label, Status: p.Status,
			StatusLabel: p.Status.Label(), DeJure: p.DeJureID, DeFacto: p.DeFactoID, Line: p.LineID, Side: p.Side,
			BufferKm: p.BufferKm, Note: p.Note,
			AreaKm2: round1(c.Km2), ShownKm2: round1(c.ShownKm2)}
		cl := p.Classification
		props.Classification = &cl
		if p.DeJureID != "" {
			props.DeJureName = ps.Name(p.DeJureID)
		}
		if p.DeFactoID != "" {
			props.DeFactoName = ps.Name(p.DeFactoID)
		}
		for _, id := range p.RegionIDs {
			if r := t.Base.Region(id); r != nil {
				props.Regions = append(props.Regions, r.Code)
			}
		}
		if l := t.Base.Line(p.LineID); l != nil && p.Side != parley.NoSide {
			props.SideLabel = l.Side(p.Side)
		}
		if c.Err != nil {
			props.Error = c.Err.Error()
		}
		if len(p.Drawn) > 0 && len(p.RegionIDs) > 0 {
			drawn, err := geo.AreaGeometry(p.Drawn).MarshalJSON()
			if err != nil {
				return nil, err
			}
			props.Drawn = drawn
		}
		raw, err := json.Marshal(props)
		if err != nil {
			return nil, err
		}
		// The geometry is the area the provision names; a provision that
		// could not be resolved has none (null), and is imported again
		// from its properties.
		var g geo.Geometry
		switch {
		case len(c.Area) > 0:
			g = geo.AreaGeometry(c.Area)
		case len(p.RegionIDs) == 0 && len(p.Drawn) > 0:
			g = geo.AreaGeometry(p.Drawn)
		}
		id, _ := json.Marshal(p.ID)
		fc.Features = append(fc.Features, geo.Feature{ID: id, Properties: raw, Geometry: g})
	}
	return fc, nil
}

// round1 rounds an area to a tenth of a km², which is all the base data
// can tell.
func round1(km2 float64) float64 {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(km2, 'f', 1, 64), 64)
	return f
}

// Names resolves what an import names: parties by ID or name, regions by
// ID or code, lines by ID or name, and a version's points by ID.
type Names struct {
	// ProcessID is the process of Version.
	ProcessID string
	Version   *parley.Version
	Parties   []*parley.Party
	Base      *Base
	// Classification, when set, is that of a provision that gives none;
	// else it is the version's.
	Classification *parley.Classification
}

// party resolves a party by ID or name (ignoring case); "" stays "".
func (n *Names) party(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	for _, p := range n.Parties {
		if p.ID == v || strings.EqualFold(p.Name, v) {
			return p.ID, nil
		}
	}
	return "", fmt.Errorf("no party %q in this process", v)
}

// region resolves a region by ID or code.
func (n *Names) region(v string) (string, error) {
	for _, r := range n.Base.Regions {
		if r.ID == v || strings.EqualFold(r.Code, v) {
			return r.ID, nil
		}
	}
	return "", fmt.Errorf("no region %q on the process's map", v)
}

// line resolves a line by ID or name.
func (n *Names) line(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	for _, l := range n.Base.Lines {
		if l.ID == v || strings.EqualFold(l.Name, v) {
			return l.ID, nil
		}
	}
	return "", fmt.Errorf("no line %q on the process's map", v)
}

// ReadProvisions turns the features of an import into provisions of the
// version, each checked: an error names the feature and the property.
// The classification of a provision that gives none is the version's.
func ReadProvisions(fc *geo.FeatureCollection, n *Names) ([]*parley.Provision, error) {
	if len(fc.Features) > parley.MaxProvisions {
		return nil, parley.FieldErrorf("geojson", "%d features: a version has at most %d provisions", len(fc.Features), parley.MaxProvisions)
	}
	var out []*parley.Provision
	for i, f := range fc.Features {
		p, err := n.provision(f)
		if err != nil {
			return nil, parley.FieldErrorf("geojson", "feature %d%s: %s", i, featureID(f), message(err))
		}
		out = append(out, p)
	}
	return out, nil
}

// message is what an error says: an application error's message, or the
// error's own words (those of this package name the property at fault).
func message(err error) string {
	var e *parley.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}

// featureID names a feature by its ID in messages, when it has one.
func featureID(f geo.Feature) string {
	if len(f.ID) == 0 {
		return ""
	}
	return " (id " + string(f.ID) + ")"
}

// provision reads one feature.
func (n *Names) provision(f geo.Feature) (*parley.Provision, error) {
	var props ProvisionProperties
	if err := decodeProperties(f.Properties, &props); err != nil {
		return nil, err
	}
	p := &parley.Provision{ProcessID: n.ProcessID, VersionID: n.Version.ID, Label: props.Label,
		Status: props.Status, Side: props.Side, BufferKm: props.BufferKm, Note: props.Note}
	if props.Point != "" {
		if n.Version.Point(props.Point) == nil {
			return nil, fmt.Errorf("point: the version has no point %q", props.Point)
		}
		p.PointID = props.Point
	}
	var err error
	if p.DeJureID, err = n.party(props.DeJure); err != nil {
		return nil, fmt.Errorf("de_jure: %w", err)
	}
	if p.DeFactoID, err = n.party(props.DeFacto); err != nil {
		return nil, fmt.Errorf("de_facto: %w", err)
	}
	for _, code := range props.Regions {
		id, err := n.region(code)
		if err != nil {
			return nil, fmt.Errorf("regions: %w", err)
		}
		p.RegionIDs = append(p.RegionIDs, id)
	}
	if p.LineID, err = n.line(props.Line); err != nil {
		return nil, fmt.Errorf("line: %w", err)
	}
	switch {
	case len(props.Drawn) > 0 && string(props.Drawn) != "null":
		g, err := geo.ParseGeometry(props.Drawn, geo.Limits{MaxBytes: parley.MaxGeometryBytes, MaxFeatures: 1, MaxPositions: parley.MaxPositions})
		if err != nil {
			return nil, fmt.Errorf("drawn: %v", err)
		}
		if g.Area == nil {
			return nil, fmt.Errorf("drawn: a drawn area is a Polygon or MultiPolygon, not %q", g.Type)
		}
		p.Drawn = g.Area
	case len(p.RegionIDs) == 0:
		if f.Geometry.Area == nil {
			return nil, fmt.Errorf("geometry: a provision without regions is a drawn Polygon or MultiPolygon, not %q", f.Geometry.Type)
		}
		p.Drawn = f.Geometry.Area
	}
	switch {
	case props.Classification != nil:
		p.Classification = *props.Classification
	case n.Classification != nil:
		p.Classification = *n.Classification
		p.Classification.PartyIDs = slices.Clone(p.Classification.PartyIDs)
	default:
		p.Classification = n.Version.Classification
		p.Classification.PartyIDs = slices.Clone(p.Classification.PartyIDs)
	}
	return p, p.Validate()
}

// decodeProperties reads a feature's properties strictly: an unknown
// property is more likely a misspelt one than one to ignore.
func decodeProperties(raw json.RawMessage, v any) error {
	if len(raw) == 0 {
		return fmt.Errorf("properties: a provision needs at least a label and a status")
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("properties: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}

// RegionProperties are the properties of a region's feature.
type RegionProperties struct {
	Code    string  `json:"code"`
	Name    string  `json:"name"`
	DeJure  string  `json:"de_jure,omitempty"`
	DeFacto string  `json:"de_facto,omitempty"`
	Source  string  `json:"source,omitempty"`
	AreaKm2 float64 `json:"area_km2,omitempty"`
}

// RegionFeatures writes regions as a FeatureCollection.
func RegionFeatures(rs []*parley.Region) (*geo.FeatureCollection, error) {
	fc := &geo.FeatureCollection{}
	for _, r := range rs {
		raw, err := json.Marshal(RegionProperties{Code: r.Code, Name: r.Name, DeJure: r.DeJureID, DeFacto: r.DeFactoID,
			Source: r.Source, AreaKm2: round1(geo.Area(r.Area))})
		if err != nil {
			return nil, err
		}
		id, _ := json.Marshal(r.ID)
		fc.Features = append(fc.Features, geo.Feature{ID: id, Properties: raw, Geometry: geo.AreaGeometry(r.Area)})
	}
	return fc, nil
}

// ReadRegions turns the features of an import into regions of a process.
// A region's code is its "code" property, else an ISO 3166-2 code in
// "iso_3166_2", else the feature's string ID; its name is "name". Source
// is recorded on every region (where the file comes from, its licence).
func ReadRegions(fc *geo.FeatureCollection, processID, source string, c parley.Classification, parties *Names) ([]*parley.Region, error) {
	if len(fc.Features) > parley.MaxRegions {
		return nil, parley.FieldErrorf("geojson", "%d features: a process has at most %d regions", len(fc.Features), parley.MaxRegions)
	}
	var out []*parley.Region
	for i, f := range fc.Features {
		r, err := readRegion(f, processID, source, c, parties)
		if err != nil {
			return nil, parley.FieldErrorf("geojson", "feature %d%s: %s", i, featureID(f), message(err))
		}
		out = append(out, r)
	}
	return out, nil
}

// readRegion reads one region's feature.
func readRegion(f geo.Feature, processID, source string, c parley.Classification, n *Names) (*parley.Region, error) {
	if f.Geometry.Area == nil {
		return nil, fmt.Errorf("geometry: a region is a Polygon or MultiPolygon, not %q", f.Geometry.Type)
	}
	r := &parley.Region{ProcessID: processID, Code: f.StringProperty("code"), Name: f.StringProperty("name"),
		Area: f.Geometry.Area, Source: source, Classification: c}
	if r.Code == "" {
		r.Code = f.StringProperty("iso_3166_2")
	}
	if r.Code == "" {
		var id string
		if json.Unmarshal(f.ID, &id) == nil {
			r.Code = id
		}
	}
	if s := f.StringProperty("source"); s != "" && source == "" {
		r.Source = s
	}
	var err error
	if r.DeJureID, err = n.party(f.StringProperty("de_jure")); err != nil {
		return nil, fmt.Errorf("de_jure: %w", err)
	}
	if r.DeFactoID, err = n.party(f.StringProperty("de_facto")); err != nil {
		return nil, fmt.Errorf("de_facto: %w", err)
	}
	return r, r.Validate()
}

// LineFeatures writes lines as a FeatureCollection.
func LineFeatures(ls []*parley.Line) (*geo.FeatureCollection, error) {
	fc := &geo.FeatureCollection{}
	for _, l := range ls {
		raw, err := json.Marshal(map[string]any{"name": l.Name, "left_label": l.LeftLabel, "right_label": l.RightLabel,
			"source": l.Source, "length_km": round1(geo.Length(l.Path))})
		if err != nil {
			return nil, err
		}
		id, _ := json.Marshal(l.ID)
		fc.Features = append(fc.Features, geo.Feature{ID: id, Properties: raw, Geometry: geo.LineGeometry(l.Path)})
	}
	return fc, nil
}

// ReadLines turns the features of an import into lines of a process: each
// a LineString with "name", "left_label" and "right_label" properties
// (the labels default to "left side" and "right side").
func ReadLines(fc *geo.FeatureCollection, processID, source string, c parley.Classification) ([]*parley.Line, error) {
	if len(fc.Features) > parley.MaxLines {
		return nil, parley.FieldErrorf("geojson", "%d features: a process has at most %d lines", len(fc.Features), parley.MaxLines)
	}
	var out []*parley.Line
	for i, f := range fc.Features {
		if len(f.Geometry.Lines) != 1 {
			return nil, parley.FieldErrorf("geojson", "feature %d%s: a line is one LineString, not %q", i, featureID(f), f.Geometry.Type)
		}
		l := &parley.Line{ProcessID: processID, Name: f.StringProperty("name"), Path: f.Geometry.Lines[0],
			LeftLabel: f.StringProperty("left_label"), RightLabel: f.StringProperty("right_label"), Source: source, Classification: c}
		if s := f.StringProperty("source"); s != "" && source == "" {
			l.Source = s
		}
		if l.LeftLabel == "" {
			l.LeftLabel = "left side"
		}
		if l.RightLabel == "" {
			l.RightLabel = "right side"
		}
		if err := l.Validate(); err != nil {
			return nil, parley.FieldErrorf("geojson", "feature %d%s: %s", i, featureID(f), message(err))
		}
		out = append(out, l)
	}
	return out, nil
}
