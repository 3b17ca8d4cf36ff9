package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
)

// GeoJSON (RFC 7946) is read strictly: a shape that is not closed, runs
// the wrong way round or crosses itself is refused with where it is, not
// repaired, since a repaired border is a border nobody drew. Only areas
// (Polygon, MultiPolygon) and lines (LineString, MultiLineString) are
// territory; points and geometry collections are refused. A third number
// in a position (an altitude) is accepted and dropped. Members other than
// the ones this reader knows are ignored (RFC 7946 §6.1).

// Geometry is what a feature holds: an area or lines.
type Geometry struct {
	// Type is "Polygon", "MultiPolygon", "LineString" or
	// "MultiLineString"; "" for a feature without a geometry.
	Type  string
	Area  MultiPolygon // for Polygon (one polygon) and MultiPolygon
	Lines []Line       // for LineString (one line) and MultiLineString
}

// AreaGeometry returns the geometry of an area: a Polygon when it has one
// polygon, else a MultiPolygon.
func AreaGeometry(m MultiPolygon) Geometry {
	if len(m) == 1 {
		return Geometry{Type: "Polygon", Area: m}
	}
	return Geometry{Type: "MultiPolygon", Area: m}
}

// LineGeometry returns the geometry of lines: a LineString for one, else
// a MultiLineString.
func LineGeometry(ls ...Line) Geometry {
	if len(ls) == 1 {
		return Geometry{Type: "LineString", Lines: ls}
	}
	return Geometry{Type: "MultiLineString", Lines: ls}
}

// Feature is a geometry with its ID and properties as given.
type Feature struct {
	ID         json.RawMessage // a string or a number; nil when absent
	Properties json.RawMessage // a JSON object; nil for null or absent
	Geometry   Geometry
}

// StringProperty returns a property that is a string, or "".
func (f Feature) StringProperty(name string) string {
	if len(f.Properties) == 0 {
		return ""
	}
	var props map[string]json.RawMessage
	if json.Unmarshal(f.Properties, &props) != nil {
		return ""
	}
	var s string
	if json.Unmarshal(props[name], &s) != nil {
		return ""
	}
	return s
}

// FeatureCollection is a list of features.
type FeatureCollection struct {
	Features []Feature
}

// Limits bound what a reader accepts.
type Limits struct {
	MaxBytes     int // of the whole input
	MaxFeatures  int
	MaxPositions int // in all, over every feature
}

// DefaultLimits are generous for any real map of regions.
var DefaultLimits = Limits{MaxBytes: 32 << 20, MaxFeatures: 10_000, MaxPositions: 2_000_000}

// Error is a problem with an input: where it is and what is wrong.
type Error struct {
	// Feature is the index of the feature, or -1 outside any.
	Feature int
	// ID is the feature's ID as given, if any.
	ID string
	// Where is the place inside the geometry ("polygon 1, ring 0").
	Where string
	Msg   string
	// Line and Column place a JSON syntax error (1-based); 0 otherwise.
	Line, Column int
}

// Error writes the place, then the problem.
func (e *Error) Error() string {
	var b bytes.Buffer
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d, column %d: ", e.Line, e.Column)
	}
	if e.Feature >= 0 {
		fmt.Fprintf(&b, "feature %d", e.Feature)
		if e.ID != "" {
			fmt.Fprintf(&b, " (id %s)", e.ID)
		}
		b.WriteString(": ")
	}
	if e.Where != "" {
		b.WriteString(e.Where + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// reader reads one input, counting positions against its limits.
type reader struct {
	data      []byte
	lim       Limits
	positions int
	feature   int
	id        string
}

// fail returns an error at the current feature.
func (rd *reader) fail(where, format string, args ...any) *Error {
	return &Error{Feature: rd.feature, ID: rd.id, Where: where, Msg: fmt.Sprintf(format, args...)}
}

// ParseGeoJSON reads a FeatureCollection, a Feature or a bare geometry
// (one feature without properties).
func ParseGeoJSON(data []byte, lim Limits) (*FeatureCollection, error) {
	rd := &reader{data: data, lim: lim, feature: -1}
	if err := rd.checkSize(); err != nil {
		return nil, err
	}
	obj, err := rd.object(data, "the document")
	if err != nil {
		return nil, err
	}
	typ, err := rd.typeOf(obj, "the document")
	if err != nil {
		return nil, err
	}
	fc := &FeatureCollection{}
	switch typ {
	case "FeatureCollection":
		var raws []json.RawMessage
		if err := json.Unmarshal(obj["features"], &raws); err != nil || obj["features"] == nil {
			return nil, rd.fail("", "a FeatureCollection has \"features\", an array of features")
		}
		if lim.MaxFeatures > 0 && len(raws) > lim.MaxFeatures {
			return nil, rd.fail("", "%d features, more than the %d allowed", len(raws), lim.MaxFeatures)
		}
		for i, raw := range raws {
			rd.feature, rd.id = i, ""
			f, err := rd.readFeature(raw)
			if err != nil {
				return nil, err
			}
			fc.Features = append(fc.Features, f)
		}
	case "Feature":
		rd.feature = 0
		f, err := rd.readFeature(data)
		if err != nil {
			return nil, err
		}
		fc.Features = []Feature{f}
	default:
		rd.feature = 0
		g, err := rd.readGeometry(obj, typ)
		if err != nil {
			return nil, err
		}
		fc.Features = []Feature{{Geometry: g}}
	}
	return fc, nil
}

// ParseGeometry reads one GeoJSON geometry object.
func ParseGeometry(data []byte, lim Limits) (Geometry, error) {
	rd := &reader{data: data, lim: lim, feature: -1}
	if err := rd.checkSize(); err != nil {
		return Geometry{}, err
	}
	obj, err := rd.object(data, "the geometry")
	if err != nil {
		return Geometry{}, err
	}
	typ, err := rd.typeOf(obj, "the geometry")
	if err != nil {
		return Geometry{}, err
	}
	return rd.readGeometry(obj, typ)
}

// Parse reads TopoJSON when the input is a Topology, GeoJSON otherwise.
func Parse(data []byte, lim Limits) (*FeatureCollection, error) {
	var head struct {
		Type json.RawMessage `json:"type"`
	}
	if json.Unmarshal(data, &head) == nil && string(head.Type) == `"Topology"` {
		return ParseTopoJSON(data, lim)
	}
	return ParseGeoJSON(data, lim)
}

// checkSize refuses an input over the byte limit before reading it.
func (rd *reader) checkSize() error {
	if rd.lim.MaxBytes > 0 && len(rd.data) > rd.lim.MaxBytes {
		return &Error{Feature: -1, Msg: fmt.Sprintf("the input is %d bytes, more than the %d allowed", len(rd.data), rd.lim.MaxBytes)}
	}
	return nil
}

// object reads a JSON object into its members.
func (rd *reader) object(data []byte, what string) (map[string]json.RawMessage, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		return nil, rd.jsonError(data, err, what)
	}
	if obj == nil {
		return nil, rd.fail("", "%s is null, not an object", what)
	}
	return obj, nil
}

// jsonError turns a decoding error into one with a line and column.
func (rd *reader) jsonError(data []byte, err error, what string) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line, col := position(rd.data, data, se.Offset)
		return &Error{Feature: rd.feature, ID: rd.id, Line: line, Column: col, Msg: "invalid JSON: " + se.Error()}
	case errors.As(err, &te):
		return rd.fail("", "%s is a JSON %s, not an object", what, te.Value)
	}
	return rd.fail("", "%s could not be read: %v", what, err)
}

// position finds the line and column of offset off in part, a slice of
// whole (or whole itself).
func position(whole, part []byte, off int64) (line, col int) {
	base := 0
	if len(part) > 0 && len(whole) > 0 {
		if i := bytes.Index(whole, part); i >= 0 {
			base = i
		}
	}
	at := min(base+int(off), len(whole))
	line, col = 1, 1
	for _, c := range whole[:at] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// typeOf reads an object's "type" member.
func (rd *reader) typeOf(obj map[string]json.RawMessage, what string) (string, error) {
	raw, ok := obj["type"]
	if !ok {
		return "", rd.fail("", "%s has no \"type\"", what)
	}
	var t string
	if err := json.Unmarshal(raw, &t); err != nil {
		return "", rd.fail("", "%s has a \"type\" that is not a string: %s", what, cut(raw))
	}
	return t, nil
}

// cut shortens raw JSON for a message.
func cut(raw []byte) string {
	if len(raw) > 40 {
		return string(raw[:40]) + "…"
	}
	return string(raw)
}

// readFeature reads one feature.
func (rd *reader) readFeature(raw json.RawMessage) (Feature, error) {
	obj, err := rd.object(raw, "the feature")
	if err != nil {
		return Feature{}, err
	}
	var f Feature
	if id, ok := obj["id"]; ok && string(id) != "null" {
		var s string
		var n float64
		if json.Unmarshal(id, &s) != nil && json.Unmarshal(id, &n) != nil {
			return Feature{}, rd.fail("", "\"id\" is a string or a number, not %s", cut(id))
		}
		f.ID = compact(id)
		rd.id = string(f.ID)
	}
	typ, err := rd.typeOf(obj, "the feature")
	if err != nil {
		return Feature{}, err
	}
	if typ != "Feature" {
		return Feature{}, rd.fail("", "\"type\" is %q, not \"Feature\"", typ)
	}
	if p, ok := obj["properties"]; ok && string(p) != "null" {
		var props map[string]json.RawMessage
		if json.Unmarshal(p, &props) != nil {
			return Feature{}, rd.fail("", "\"properties\" is an object or null, not %s", cut(p))
		}
		f.Properties = compact(p)
	}
	g, ok := obj["geometry"]
	if !ok {
		return Feature{}, rd.fail("", "a feature has a \"geometry\" (null for none)")
	}
	if string(g) == "null" {
		return f, nil
	}
	gobj, err := rd.object(g, "the geometry")
	if err != nil {
		return Feature{}, err
	}
	gt, err := rd.typeOf(gobj, "the geometry")
	if err != nil {
		return Feature{}, err
	}
	if f.Geometry, err = rd.readGeometry(gobj, gt); err != nil {
		return Feature{}, err
	}
	return f, nil
}

// compact removes the white space of raw JSON.
func compact(raw []byte) json.RawMessage {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return append(json.RawMessage(nil), raw...)
	}
	return b.Bytes()
}

// readGeometry reads a geometry object of type typ and checks it.
func (rd *reader) readGeometry(obj map[string]json.RawMessage, typ string) (Geometry, error) {
	coords, ok := obj["coordinates"]
	switch typ {
	case "Polygon", "MultiPolygon", "LineString", "MultiLineString":
		if !ok || string(coords) == "null" {
			return Geometry{}, rd.fail("", "a %s has \"coordinates\"", typ)
		}
	case "Point", "MultiPoint":
		return Geometry{}, rd.fail("", "a %s is not territory: give an area (Polygon, MultiPolygon) or a line (LineString, MultiLineString)", typ)
	case "GeometryCollection":
		return Geometry{}, rd.fail("", "a GeometryCollection is not read: give each geometry its own feature")
	default:
		return Geometry{}, rd.fail("", "unknown geometry type %q", typ)
	}
	var depth int
	switch typ {
	case "LineString":
		depth = 2
	case "Polygon", "MultiLineString":
		depth = 3
	case "MultiPolygon":
		depth = 4
	}
	v, err := rd.nested(coords, depth, typ)
	if err != nil {
		return Geometry{}, err
	}
	g := Geometry{Type: typ}
	switch typ {
	case "LineString":
		l, err := rd.line(v.([]any), "line")
		if err != nil {
			return Geometry{}, err
		}
		g.Lines = []Line{l}
	case "MultiLineString":
		for i, x := range v.([]any) {
			l, err := rd.line(x.([]any), "line "+strconv.Itoa(i))
			if err != nil {
				return Geometry{}, err
			}
			g.Lines = append(g.Lines, l)
		}
	case "Polygon":
		p, err := rd.polygon(v.([]any), "")
		if err != nil {
			return Geometry{}, err
		}
		g.Area = MultiPolygon{p}
	case "MultiPolygon":
		for i, x := range v.([]any) {
			p, err := rd.polygon(x.([]any), "polygon "+strconv.Itoa(i)+", ")
			if err != nil {
				return Geometry{}, err
			}
			g.Area = append(g.Area, p)
		}
		if len(g.Area) == 0 {
			return Geometry{}, rd.fail("", "a MultiPolygon has at least one polygon")
		}
	}
	return g, nil
}

// nested decodes coordinates of the given depth (2: positions; 3: lists
// of positions; 4: lists of those) into nested []any of Points, with a
// clear message for the wrong shape, counting positions as it goes.
func (rd *reader) nested(raw json.RawMessage, depth int, typ string) (any, error) {
	var arr []json.RawMessage
	if err := json.Unmarshal(raw, &arr); err != nil {
		return nil, rd.fail("", "the coordinates of a %s are %s, not %s", typ, shapeOf(depth), cut(raw))
	}
	out := make([]any, 0, len(arr))
	for _, x := range arr {
		if depth == 2 {
			p, err := rd.position(x, typ)
			if err != nil {
				return nil, err
			}
			out = append(out, p)
			continue
		}
		v, err := rd.nested(x, depth-1, typ)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// shapeOf describes coordinates of a depth.
func shapeOf(depth int) string {
	switch depth {
	case 2:
		return "an array of positions [longitude, latitude]"
	case 3:
		return "an array of arrays of positions [longitude, latitude]"
	}
	return "an array of polygons, each an array of rings of positions [longitude, latitude]"
}

// position reads one position, checking its count and ranges.
func (rd *reader) position(raw json.RawMessage, typ string) (Point, error) {
	rd.positions++
	if rd.lim.MaxPositions > 0 && rd.positions > rd.lim.MaxPositions {
		return Point{}, rd.fail("", "more than %d positions in all: the input is too large", rd.lim.MaxPositions)
	}
	var nums []float64
	if err := json.Unmarshal(raw, &nums); err != nil {
		return Point{}, rd.fail("", "a position of a %s is an array of numbers [longitude, latitude], not %s", typ, cut(raw))
	}
	if len(nums) < 2 || len(nums) > 3 {
		return Point{}, rd.fail("", "a position has 2 numbers (or 3 with an altitude), not %d: %s", len(nums), cut(raw))
	}
	p := Point{nums[0], nums[1]}
	if math.IsNaN(p[0]) || math.IsInf(p[0], 0) || p[0] < -180 || p[0] > 180 {
		return Point{}, rd.fail("", "longitude %v is outside -180 to 180: %s", p[0], cut(raw))
	}
	if math.IsNaN(p[1]) || math.IsInf(p[1], 0) || p[1] < -90 || p[1] > 90 {
		return Point{}, rd.fail("", "latitude %v is outside -90 to 90: %s", p[1], cut(raw))
	}
	return p, nil
}

// line checks a line's positions.
func (rd *reader) line(v []any, where string) (Line, error) {
	if len(v) < 2 {
		return nil, rd.fail(where, "a line has at least 2 positions, not %d", len(v))
	}
	l := make(Line, len(v))
	for i, x := range v {
		l[i] = x.(Point)
	}
	return l, nil
}

// polygon reads and checks the rings of a polygon.
func (rd *reader) polygon(v []any, where string) (Polygon, error) {
	if len(v) == 0 {
		return nil, rd.fail(where, "a polygon has at least its exterior ring")
	}
	p := make(Polygon, len(v))
	for i, x := range v {
		pts := x.([]any)
		r := make(Ring, len(pts))
		for k, y := range pts {
			r[k] = y.(Point)
		}
		p[i] = r
	}
	if err := CheckPolygon(p); err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Feature, e.ID, e.Where = rd.feature, rd.id, where+e.Where
			return nil, e
		}
		return nil, err
	}
	return p, nil
}

// MarshalJSON writes the geometry as a GeoJSON geometry object; a
// geometry without a type is null.
func (g Geometry) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	g.write(&b)
	return b.Bytes(), nil
}

// write writes the geometry.
func (g Geometry) write(b *bytes.Buffer) {
	switch g.Type {
	case "Polygon":
		b.WriteString(`{"type":"Polygon","coordinates":`)
		if len(g.Area) > 0 {
			writeRings(b, g.Area[0])
		} else {
			b.WriteString("[]")
		}
	case "MultiPolygon":
		b.WriteString(`{"type":"MultiPolygon","coordinates":[`)
		for i, p := range g.Area {
			if i > 0 {
				b.WriteByte(',')
			}
			writeRings(b, p)
		}
		b.WriteByte(']')
	case "LineString":
		b.WriteString(`{"type":"LineString","coordinates":`)
		if len(g.Lines) > 0 {
			writePositions(b, g.Lines[0])
		} else {
			b.WriteString("[]")
		}
	case "MultiLineString":
		b.WriteString(`{"type":"MultiLineString","coordinates":[`)
		for i, l := range g.Lines {
			if i > 0 {
				b.WriteByte(',')
			}
			writePositions(b, l)
		}
		b.WriteByte(']')
	default:
		b.WriteString("null")
		return
	}
	b.WriteByte('}')
}

// writeRings writes a polygon's rings.
func writeRings(b *bytes.Buffer, p Polygon) {
	b.WriteByte('[')
	for i, r := range p {
		if i > 0 {
			b.WriteByte(',')
		}
		writePositions(b, r)
	}
	b.WriteByte(']')
}

// writePositions writes positions with the shortest decimal that reads
// back as the same float64, so that a round trip loses nothing.
func writePositions[T ~[]Point](b *bytes.Buffer, ps T) {
	b.WriteByte('[')
	var buf [32]byte
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('[')
		b.Write(strconv.AppendFloat(buf[:0], p[0], 'g', -1, 64))
		b.WriteByte(',')
		b.Write(strconv.AppendFloat(buf[:0], p[1], 'g', -1, 64))
		b.WriteByte(']')
	}
	b.WriteByte(']')
}

// MarshalJSON writes the collection as a GeoJSON FeatureCollection; IDs
// and properties are written as they were read.
func (fc *FeatureCollection) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for i, f := range fc.Features {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"type":"Feature"`)
		if len(f.ID) > 0 {
			b.WriteString(`,"id":`)
			b.Write(f.ID)
		}
		b.WriteString(`,"properties":`)
		if len(f.Properties) > 0 {
			b.Write(f.Properties)
		} else {
			b.WriteString("null")
		}
		b.WriteString(`,"geometry":`)
		f.Geometry.write(&b)
		b.WriteByte('}')
	}
	b.WriteString("]}")
	return b.Bytes(), nil
}

// DecodeGeometry reads a geometry that MarshalJSON wrote, quickly and
// without checking it again: for geometries a store checked when they
// were written. Anything but an object of the four types with
// well-formed coordinates is an error, never a panic.
func DecodeGeometry(data []byte) (Geometry, error) {
	var head struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return Geometry{}, fmt.Errorf("geo: stored geometry: %w", err)
	}
	depth := map[string]int{"LineString": 2, "MultiLineString": 3, "Polygon": 3, "MultiPolygon": 4}[head.Type]
	if depth == 0 {
		return Geometry{}, fmt.Errorf("geo: stored geometry of type %q", head.Type)
	}
	d := &decoder{data: head.Coordinates}
	v, err := d.array(depth)
	if err != nil {
		return Geometry{}, fmt.Errorf("geo: stored geometry: %w", err)
	}
	g := Geometry{Type: head.Type}
	switch head.Type {
	case "LineString":
		g.Lines = []Line{Line(v.points)}
	case "MultiLineString":
		for _, l := range v.items {
			g.Lines = append(g.Lines, Line(l.points))
		}
	case "Polygon":
		g.Area = MultiPolygon{polygonOf(v)}
	case "MultiPolygon":
		for _, p := range v.items {
			g.Area = append(g.Area, polygonOf(p))
		}
	}
	return g, nil
}

// polygonOf turns decoded rings into a polygon.
func polygonOf(v nest) Polygon {
	p := make(Polygon, len(v.items))
	for i, r := range v.items {
		p[i] = Ring(r.points)
	}
	return p
}

// nest is decoded coordinates: positions at the lowest level, else items.
type nest struct {
	points []Point
	items  []nest
}

// decoder scans coordinates without the reflection of encoding/json.
type decoder struct {
	data []byte
	i    int
}

// skip passes white space.
func (d *decoder) skip() {
	for d.i < len(d.data) && (d.data[d.i] == ' ' || d.data[d.i] == '\n' || d.data[d.i] == '\t' || d.data[d.i] == '\r') {
		d.i++
	}
}

// expect consumes one byte.
func (d *decoder) expect(c byte) error {
	d.skip()
	if d.i >= len(d.data) || d.data[d.i] != c {
		return fmt.Errorf("expected %q at byte %d", c, d.i)
	}
	d.i++
	return nil
}

// array reads an array of the given depth: 1 is a position.
func (d *decoder) array(depth int) (nest, error) {
	var out nest
	if err := d.expect('['); err != nil {
		return out, err
	}
	d.skip()
	if d.i < len(d.data) && d.data[d.i] == ']' {
		d.i++
		return out, nil
	}
	for {
		if depth == 2 {
			p, err := d.position()
			if err != nil {
				return out, err
			}
			out.points = append(out.points, p)
		} else {
			item, err := d.array(depth - 1)
			if err != nil {
				return out, err
			}
			out.items = append(out.items, item)
		}
		d.skip()
		if d.i >= len(d.data) {
			return out, fmt.Errorf("unexpected end")
		}
		if d.data[d.i] == ']' {
			d.i++
			return out, nil
		}
		if err := d.expect(','); err != nil {
			return out, err
		}
	}
}

// position reads [x, y].
func (d *decoder) position() (Point, error) {
	if err := d.expect('['); err != nil {
		return Point{}, err
	}
	var p Point
	for k := 0; k < 2; k++ {
		if k == 1 {
			if err := d.expect(','); err != nil {
				return Point{}, err
			}
		}
		d.skip()
		start := d.i
		for d.i < len(d.data) && (d.data[d.i] == '-' || d.data[d.i] == '+' || d.data[d.i] == '.' || d.data[d.i] == 'e' || d.data[d.i] == 'E' ||
			('0' <= d.data[d.i] && d.data[d.i] <= '9')) {
			d.i++
		}
		v, err := strconv.ParseFloat(string(d.data[start:d.i]), 64)
		if err != nil {
			return Point{}, fmt.Errorf("bad number at byte %d", start)
		}
		p[k] = v
	}
	return p, d.expect(']')
}
