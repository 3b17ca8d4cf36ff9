package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// GeoJSON (RFC 7946) is read strictly: a shape that is not closed, runs
// the wrong way round or crosses itself is refused with where it is, not
// repaired, since a repaired border is a border nobody drew. Only areas
// (Polygon, MultiPolygon) and lines (LineString, MultiLineString) are
// territory; points and geometry collections are refused. A third number
// in a position (an altitude) is accepted and dropped: territory is drawn
// on the ground. Members other than type, id, properties, geometry,
// features, coordinates and bbox are ignored (foreign members, RFC 7946
// §6.1); of a member given twice the last counts, as in encoding/json.
//
// The input is checked to be JSON once, then walked in place: coordinate
// lists are read straight into positions, counted against the limits as
// they go, without being copied or decoded into interfaces first.

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

// StringProperty returns a property that is a string, or "" when it is
// absent or not a string.
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

// Limits bound what a reader accepts; a limit of 0 or less is no limit.
type Limits struct {
	MaxBytes     int // of the whole input
	MaxFeatures  int
	MaxPositions int // in all, over every feature (and every arc of a topology)
}

// DefaultLimits are generous for any real map of regions.
var DefaultLimits = Limits{MaxBytes: 32 << 20, MaxFeatures: 10_000, MaxPositions: 2_000_000}

// Error is a problem with an input: where it is and what is wrong.
type Error struct {
	// Feature is the index of the feature, or -1 outside any.
	Feature int
	// ID is the feature's ID as given (a JSON string keeps its quotes),
	// or "".
	ID string
	// Where is the place inside the feature or document, such as
	// "polygon 1, ring 0, position 12".
	Where string
	// Msg says what is wrong.
	Msg string
	// Line and Column place a JSON syntax error (1-based); 0 otherwise.
	Line, Column int
}

// Error writes the place, then the problem.
func (e *Error) Error() string {
	var b strings.Builder
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

// ParseGeoJSON reads a FeatureCollection, a Feature or a bare geometry
// (then one feature without ID or properties).
func ParseGeoJSON(data []byte, lim Limits) (*FeatureCollection, error) {
	rd, top, err := newReader(data, lim)
	if err != nil {
		return nil, err
	}
	return rd.geoJSON(top)
}

// ParseGeometry reads one GeoJSON geometry object.
func ParseGeometry(data []byte, lim Limits) (Geometry, error) {
	rd, top, err := newReader(data, lim)
	if err != nil {
		return Geometry{}, err
	}
	return rd.geometryValue(top, "the geometry")
}

// Parse reads TopoJSON when the input's "type" is "Topology", GeoJSON
// otherwise.
func Parse(data []byte, lim Limits) (*FeatureCollection, error) {
	rd, top, err := newReader(data, lim)
	if err != nil {
		return nil, err
	}
	if m, err := rd.members(top, "the document"); err == nil && rd.isString(m.typ, "Topology") {
		return rd.topology(top)
	}
	return rd.geoJSON(top)
}

// DecodeGeometry reads a geometry that MarshalJSON wrote, without
// checking its shapes again: for geometries a store checked when they
// were written. An empty MultiPolygon or MultiLineString, which
// MarshalJSON writes for an empty area or no lines and ParseGeometry
// refuses, is read back as empty. Anything but an object of the four
// types with well-formed coordinates is an error, never a panic.
func DecodeGeometry(data []byte) (Geometry, error) {
	rd, top, err := newReader(data, Limits{})
	if err != nil {
		return Geometry{}, fmt.Errorf("geo: stored geometry: %w", err)
	}
	rd.trusted = true
	g, err := rd.geometryValue(top, "the geometry")
	if err != nil {
		return Geometry{}, fmt.Errorf("geo: stored geometry: %w", err)
	}
	return g, nil
}

// reader walks one input, which is known to be valid JSON, counting
// positions against its limits.
type reader struct {
	data      []byte
	lim       Limits
	positions int
	features  int
	// feature and id name the feature being read, for errors.
	feature int
	id      string
	// trusted skips the checks of shapes, for input this package wrote.
	trusted bool
}

// span is the place of one JSON value in the input: data[a:b]. The zero
// span is an absent value.
type span struct{ a, b int }

// present reports whether the value was given.
func (s span) present() bool { return s.b > s.a }

// newReader checks the size and syntax of an input and returns a reader
// over it with the span of its top-level value.
func newReader(data []byte, lim Limits) (*reader, span, error) {
	rd := &reader{data: data, lim: lim, feature: -1}
	if lim.MaxBytes > 0 && len(data) > lim.MaxBytes {
		return nil, span{}, &Error{Feature: -1, Msg: fmt.Sprintf("the input is %d bytes, more than the %d allowed", len(data), lim.MaxBytes)}
	}
	if !json.Valid(data) {
		return nil, span{}, syntaxError(data)
	}
	a := rd.skipSpace(0)
	return rd, span{a, rd.valueEnd(a)}, nil
}

// syntaxError describes why data is not JSON, with the line and column.
func syntaxError(data []byte) error {
	var v struct{}
	err := json.Unmarshal(data, &v)
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return &Error{Feature: -1, Msg: "the input is not JSON"}
	}
	at := int(se.Offset) - 1 // the offset counts the offending byte
	if at < 0 || strings.HasPrefix(se.Error(), "unexpected end") {
		at = int(se.Offset)
	}
	line, col := lineColumn(data, at)
	return &Error{Feature: -1, Line: line, Column: col, Msg: se.Error()}
}

// lineColumn returns the 1-based line and column (in characters) of the
// byte at offset at.
func lineColumn(data []byte, at int) (line, col int) {
	at = max(0, min(at, len(data)))
	line = 1 + bytes.Count(data[:at], []byte{'\n'})
	start := bytes.LastIndexByte(data[:at], '\n') + 1
	return line, 1 + len([]rune(string(data[start:at])))
}

// fail returns an error at the current feature.
func (rd *reader) fail(where, format string, args ...any) *Error {
	return &Error{Feature: rd.feature, ID: rd.id, Where: where, Msg: fmt.Sprintf(format, args...)}
}

// skipSpace returns the index of the first byte at or after i that is not
// white space.
func (rd *reader) skipSpace(i int) int {
	for i < len(rd.data) {
		switch rd.data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// valueEnd returns the index just after the JSON value that starts at i.
func (rd *reader) valueEnd(i int) int {
	d := rd.data
	if i >= len(d) {
		return i
	}
	switch d[i] {
	case '"':
		return stringEnd(d, i)
	case '{', '[':
		depth := 0
		for i < len(d) {
			// Most bytes of a coordinate list are digits and commas:
			// pass them quickly.
			for i < len(d) && !structural[d[i]] {
				i++
			}
			if i >= len(d) {
				break
			}
			switch d[i] {
			case '"':
				i = stringEnd(d, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	}
	for i < len(d) {
		switch d[i] {
		case ',', ']', '}', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}

// structural marks the bytes that open or close a string, an array or an
// object.
var structural = [256]bool{'"': true, '[': true, ']': true, '{': true, '}': true}

// stringEnd returns the index just after the JSON string that starts at i.
func stringEnd(d []byte, i int) int {
	for i++; i < len(d); i++ {
		switch d[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

// kind describes a value for a message: "a number (30.5)", "the string
// \"NaN\"", "an object".
func (rd *reader) kind(v span) string {
	if !v.present() {
		return "nothing"
	}
	raw := rd.data[v.a:v.b]
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "the string " + cut(raw)
	case 't', 'f', 'n':
		return string(raw)
	}
	return "a number (" + cut(raw) + ")"
}

// cut shortens raw JSON for a message.
func cut(raw []byte) string {
	if len(raw) > 40 {
		return string(raw[:40]) + "…"
	}
	return string(raw)
}

// each calls fn with the index and span of every element of the array v,
// stopping at fn's first error.
func (rd *reader) each(v span, fn func(i int, e span) error) error {
	i := rd.skipSpace(v.a + 1)
	for n := 0; i < v.b && rd.data[i] != ']'; n++ {
		end := rd.valueEnd(i)
		if err := fn(n, span{i, end}); err != nil {
			return err
		}
		i = rd.skipSpace(end)
		if i < v.b && rd.data[i] == ',' {
			i = rd.skipSpace(i + 1)
		}
	}
	return nil
}

// eachMember calls fn with the raw key (quotes included) and the span of
// the value of every member of the object v.
func (rd *reader) eachMember(v span, fn func(key []byte, val span) error) error {
	i := rd.skipSpace(v.a + 1)
	for i < v.b && rd.data[i] == '"' {
		kEnd := stringEnd(rd.data, i)
		key := rd.data[i:kEnd]
		j := rd.skipSpace(kEnd)
		if j < v.b && rd.data[j] == ':' {
			j = rd.skipSpace(j + 1)
		}
		end := rd.valueEnd(j)
		if err := fn(key, span{j, end}); err != nil {
			return err
		}
		i = rd.skipSpace(end)
		if i < v.b && rd.data[i] == ',' {
			i = rd.skipSpace(i + 1)
		}
	}
	return nil
}

// unquote decodes a raw JSON string.
func unquote(raw []byte) string {
	if bytes.IndexByte(raw, '\\') < 0 && len(raw) >= 2 {
		return string(raw[1 : len(raw)-1])
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// members are the members of an object that the readers know; absent
// ones have zero spans.
type members struct {
	typ, id, properties, geometry, features, coordinates, bbox span
	// TopoJSON
	arcs, objects, transform, geometries, scale, translate span
}

// members reads the known members of the object v; what names it for an
// error when it is not an object.
func (rd *reader) members(v span, what string) (members, error) {
	var m members
	if !rd.isKind(v, '{') {
		return m, rd.fail("", "%s is %s, not an object", what, rd.kind(v))
	}
	err := rd.eachMember(v, func(key []byte, val span) error {
		var dst *span
		switch unquote(key) {
		case "type":
			dst = &m.typ
		case "id":
			dst = &m.id
		case "properties":
			dst = &m.properties
		case "geometry":
			dst = &m.geometry
		case "features":
			dst = &m.features
		case "coordinates":
			dst = &m.coordinates
		case "bbox":
			dst = &m.bbox
		case "arcs":
			dst = &m.arcs
		case "objects":
			dst = &m.objects
		case "transform":
			dst = &m.transform
		case "geometries":
			dst = &m.geometries
		case "scale":
			dst = &m.scale
		case "translate":
			dst = &m.translate
		default:
			return nil // a foreign member
		}
		*dst = val
		return nil
	})
	return m, err
}

// isKind reports whether the value v starts with the byte c: '{' for an
// object, '[' for an array, '"' for a string, 'n' for null.
func (rd *reader) isKind(v span, c byte) bool {
	return v.present() && rd.data[v.a] == c
}

// isNumber reports whether v is a JSON number.
func (rd *reader) isNumber(v span) bool {
	return v.present() && (rd.data[v.a] == '-' || rd.data[v.a] >= '0' && rd.data[v.a] <= '9')
}

// isString reports whether v is the JSON string s.
func (rd *reader) isString(v span, s string) bool {
	return rd.isKind(v, '"') && unquote(rd.data[v.a:v.b]) == s
}

// typeOf reads the "type" member of an object.
func (rd *reader) typeOf(m members, what string) (string, error) {
	if !m.typ.present() {
		return "", rd.fail("", "%s has no \"type\"", what)
	}
	if !rd.isKind(m.typ, '"') {
		return "", rd.fail("", "the \"type\" of %s is %s, not a string such as \"Polygon\"", what, rd.kind(m.typ))
	}
	return unquote(rd.data[m.typ.a:m.typ.b]), nil
}

// geoJSON reads the top-level value of a GeoJSON document.
func (rd *reader) geoJSON(top span) (*FeatureCollection, error) {
	m, err := rd.members(top, "the document")
	if err != nil {
		return nil, err
	}
	typ, err := rd.typeOf(m, "the document")
	if err != nil {
		return nil, err
	}
	if err := rd.checkBBox(m.bbox); err != nil {
		return nil, err
	}
	fc := &FeatureCollection{}
	switch typ {
	case "FeatureCollection":
		if !rd.isKind(m.features, '[') {
			return nil, rd.fail("", "a FeatureCollection has \"features\", an array of features, not %s", rd.kind(m.features))
		}
		err = rd.each(m.features, func(i int, v span) error {
			f, err := rd.featureAt(i, v)
			if err == nil {
				fc.Features = append(fc.Features, f)
			}
			return err
		})
	case "Feature":
		var f Feature
		f, err = rd.featureAt(0, top)
		fc.Features = []Feature{f}
	default:
		var g Geometry
		g, err = rd.geometry(m, typ)
		fc.Features = []Feature{{Geometry: g}}
	}
	if err != nil {
		return nil, err
	}
	return fc, nil
}

// featureAt reads feature i, counting it against the limit.
func (rd *reader) featureAt(i int, v span) (Feature, error) {
	rd.feature, rd.id = i, ""
	rd.features++
	if rd.lim.MaxFeatures > 0 && rd.features > rd.lim.MaxFeatures {
		return Feature{}, rd.fail("", "more than the %d features allowed", rd.lim.MaxFeatures)
	}
	m, err := rd.members(v, "the feature")
	if err != nil {
		return Feature{}, err
	}
	f, err := rd.idAndProperties(m)
	if err != nil {
		return Feature{}, err
	}
	typ, err := rd.typeOf(m, "the feature")
	if err != nil {
		return Feature{}, err
	}
	if typ != "Feature" {
		return Feature{}, rd.fail("", "\"type\" is %q, not \"Feature\"", typ)
	}
	if err := rd.checkBBox(m.bbox); err != nil {
		return Feature{}, err
	}
	switch {
	case !m.geometry.present():
		return Feature{}, rd.fail("", "a feature has a \"geometry\" (null for none)")
	case rd.isKind(m.geometry, 'n'):
		return f, nil
	}
	f.Geometry, err = rd.geometryValue(m.geometry, "the geometry")
	return f, err
}

// idAndProperties reads a feature's ID (a string or a number) and its
// properties (an object or null), and names the feature by its ID for
// the errors that follow.
func (rd *reader) idAndProperties(m members) (Feature, error) {
	var f Feature
	if m.id.present() && !rd.isKind(m.id, 'n') {
		if !rd.isKind(m.id, '"') && !rd.isNumber(m.id) {
			return f, rd.fail("", "\"id\" is a string or a number, not %s", rd.kind(m.id))
		}
		f.ID = json.RawMessage(bytes.Clone(rd.data[m.id.a:m.id.b]))
		rd.id = string(f.ID)
	}
	if m.properties.present() && !rd.isKind(m.properties, 'n') {
		if !rd.isKind(m.properties, '{') {
			return f, rd.fail("", "\"properties\" is an object or null, not %s", rd.kind(m.properties))
		}
		f.Properties = compact(rd.data[m.properties.a:m.properties.b])
	}
	return f, nil
}

// compact returns raw JSON without its insignificant white space.
func compact(raw []byte) json.RawMessage {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return json.RawMessage(bytes.Clone(raw))
	}
	return b.Bytes()
}

// checkBBox checks a "bbox" member, when given: 2n finite numbers.
func (rd *reader) checkBBox(v span) error {
	if !v.present() {
		return nil
	}
	bad := !rd.isKind(v, '[')
	n := 0
	if !bad {
		_ = rd.each(v, func(_ int, e span) error {
			n++
			if !rd.isNumber(e) {
				bad = true
			} else if x, err := strconv.ParseFloat(string(rd.data[e.a:e.b]), 64); err != nil || math.IsInf(x, 0) {
				bad = true
			}
			return nil
		})
	}
	if bad || (n != 4 && n != 6) {
		return rd.fail("", "\"bbox\" is an array of 4 numbers (or 6 with altitudes), not %s", cut(rd.data[v.a:v.b]))
	}
	return nil
}

// geometryValue reads the geometry object v.
func (rd *reader) geometryValue(v span, what string) (Geometry, error) {
	m, err := rd.members(v, what)
	if err != nil {
		return Geometry{}, err
	}
	typ, err := rd.typeOf(m, what)
	if err != nil {
		return Geometry{}, err
	}
	return rd.geometry(m, typ)
}

// shapes names the levels of nesting of each geometry's coordinates,
// above the numbers of a position.
var shapes = map[string][]string{
	"LineString":      {"position"},
	"MultiLineString": {"line", "position"},
	"Polygon":         {"ring", "position"},
	"MultiPolygon":    {"polygon", "ring", "position"},
}

// shapeText says what the coordinates of each geometry are.
var shapeText = map[string]string{
	"LineString":      "an array of positions",
	"MultiLineString": "an array of lines, each an array of positions",
	"Polygon":         "an array of rings, each an array of positions",
	"MultiPolygon":    "an array of polygons, each an array of rings, each an array of positions",
}

// geometry reads a geometry object of type typ and checks it.
func (rd *reader) geometry(m members, typ string) (Geometry, error) {
	names, ok := shapes[typ]
	switch {
	case typ == "Point" || typ == "MultiPoint":
		return Geometry{}, rd.fail("", "a %s is not territory: give an area (Polygon or MultiPolygon) or a line (LineString or MultiLineString)", typ)
	case typ == "GeometryCollection":
		return Geometry{}, rd.fail("", "a GeometryCollection is not read: give each area or line a feature of its own")
	case typ == "Feature" || typ == "FeatureCollection":
		return Geometry{}, rd.fail("", "a %s where a geometry belongs", typ)
	case !ok:
		return Geometry{}, rd.fail("", "unknown geometry type %q: give a Polygon, MultiPolygon, LineString or MultiLineString", typ)
	case !m.coordinates.present() || rd.isKind(m.coordinates, 'n'):
		return Geometry{}, rd.fail("", "a %s has \"coordinates\"", typ)
	}
	if err := rd.checkBBox(m.bbox); err != nil {
		return Geometry{}, err
	}
	c := coordReader{rd: rd, typ: typ, names: names}
	tree, err := c.level(m.coordinates, nil)
	if err != nil {
		return Geometry{}, err
	}
	return rd.assemble(tree, typ)
}

// coordTree is coordinates as read: positions at the lowest level, else
// the lists below.
type coordTree struct {
	pts  []Point
	kids []coordTree
}

// coordReader reads the coordinates of one geometry.
type coordReader struct {
	rd    *reader
	typ   string
	names []string
}

// where names a place in the coordinates by its path of indices.
func (c *coordReader) where(path []int) string {
	var b strings.Builder
	for i, k := range path {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %d", c.names[i], k)
	}
	return b.String()
}

// level reads the array at v, at path: positions when it is the last
// level. It reads in one pass, each byte once.
func (c *coordReader) level(v span, path []int) (coordTree, error) {
	var t coordTree
	_, err := c.array(v.a, path, &t)
	return t, err
}

// array reads the array that starts at i into t and returns the index
// just after it.
func (c *coordReader) array(i int, path []int, t *coordTree) (int, error) {
	rd := c.rd
	if i >= len(rd.data) || rd.data[i] != '[' {
		v := span{i, rd.valueEnd(i)}
		if len(path) == 0 {
			return 0, rd.fail("", "the coordinates of a %s are %s, not %s", c.typ, rd.kind(v), shapeText[c.typ])
		}
		return 0, rd.fail(c.where(path), "%s, not an array: the coordinates of a %s are %s", rd.kind(v), c.typ, shapeText[c.typ])
	}
	last := len(path) == len(c.names)-1
	at := append(path[:len(path):len(path)], 0)
	i = rd.skipSpace(i + 1)
	for k := 0; i < len(rd.data) && rd.data[i] != ']'; k++ {
		at[len(at)-1] = k
		var err error
		if last {
			var p Point
			p, i, err = c.position(i, at)
			t.pts = append(t.pts, p)
		} else {
			t.kids = append(t.kids, coordTree{})
			i, err = c.array(i, at, &t.kids[len(t.kids)-1])
		}
		if err != nil {
			return 0, err
		}
		i = rd.skipSpace(i)
		if i < len(rd.data) && rd.data[i] == ',' {
			i = rd.skipSpace(i + 1)
		}
	}
	return i + 1, nil
}

// position reads the position that starts at i, 2 numbers or 3 with an
// altitude that is dropped, and returns the index just after it.
func (c *coordReader) position(i int, path []int) (Point, int, error) {
	rd := c.rd
	rd.positions++
	if rd.lim.MaxPositions > 0 && rd.positions > rd.lim.MaxPositions {
		return Point{}, 0, rd.fail(c.where(path), "more than the %d positions allowed in all: the input is too large", rd.lim.MaxPositions)
	}
	start := i
	if i >= len(rd.data) || rd.data[i] != '[' {
		v := span{i, rd.valueEnd(i)}
		hint := ""
		if rd.isNumber(v) {
			hint = fmt.Sprintf(" (the coordinates are nested one level too shallow for a %s)", c.typ)
		}
		return Point{}, 0, rd.fail(c.where(path), "%s, not a position [longitude, latitude]%s", rd.kind(v), hint)
	}
	var nums [3]float64
	n := 0
	i = rd.skipSpace(i + 1)
	for ; i < len(rd.data) && rd.data[i] != ']'; n++ {
		end := numberEnd(rd.data, i)
		if end == i {
			v := span{i, rd.valueEnd(i)}
			hint := ""
			if rd.isKind(v, '[') {
				hint = fmt.Sprintf(" (the coordinates are nested too deep for a %s)", c.typ)
			}
			return Point{}, 0, rd.fail(c.where(path), "number %d of the position is %s, not a number%s", n, rd.kind(v), hint)
		}
		if n < 3 {
			x, err := strconv.ParseFloat(string(rd.data[i:end]), 64)
			if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
				return Point{}, 0, rd.fail(c.where(path), "number %d of the position, %s, is not a finite number", n, cut(rd.data[i:end]))
			}
			nums[n] = x
		}
		i = rd.skipSpace(end)
		if i < len(rd.data) && rd.data[i] == ',' {
			i = rd.skipSpace(i + 1)
		}
	}
	end := i + 1
	switch {
	case n < 2:
		return Point{}, 0, rd.fail(c.where(path), "a position has a longitude and a latitude, not %d number(s): %s", n, cut(rd.data[start:end]))
	case n > 3:
		return Point{}, 0, rd.fail(c.where(path), "a position has at most 3 numbers (longitude, latitude, altitude), not %d", n)
	case nums[0] < -180 || nums[0] > 180:
		return Point{}, 0, rd.fail(c.where(path), "longitude %v is outside [-180, 180]", nums[0])
	case nums[1] < -90 || nums[1] > 90:
		return Point{}, 0, rd.fail(c.where(path), "latitude %v is outside [-90, 90]", nums[1])
	}
	return Point{nums[0], nums[1]}, end, nil
}

// numberEnd returns the index just after the JSON number that starts at
// i, or i when no number starts there.
func numberEnd(d []byte, i int) int {
	if i >= len(d) || !(d[i] == '-' || d[i] >= '0' && d[i] <= '9') {
		return i
	}
	j := i + 1
	for j < len(d) {
		switch c := d[j]; {
		case c >= '0' && c <= '9', c == '.', c == 'e', c == 'E', c == '+', c == '-':
			j++
		default:
			return j
		}
	}
	return j
}

// assemble turns the coordinates read into a geometry and checks it.
func (rd *reader) assemble(t coordTree, typ string) (Geometry, error) {
	g := Geometry{Type: typ}
	switch typ {
	case "LineString":
		l, err := rd.line(t.pts, "")
		if err != nil {
			return Geometry{}, err
		}
		g.Lines = []Line{l}
	case "MultiLineString":
		if len(t.kids) == 0 && !rd.trusted {
			return Geometry{}, rd.fail("", "a MultiLineString has at least one line")
		}
		for i, k := range t.kids {
			l, err := rd.line(k.pts, "line "+strconv.Itoa(i))
			if err != nil {
				return Geometry{}, err
			}
			g.Lines = append(g.Lines, l)
		}
	case "Polygon":
		p, err := rd.polygon(t, "")
		if err != nil {
			return Geometry{}, err
		}
		g.Area = MultiPolygon{p}
	case "MultiPolygon":
		if len(t.kids) == 0 && !rd.trusted {
			return Geometry{}, rd.fail("", "a MultiPolygon has at least one polygon")
		}
		for i, k := range t.kids {
			p, err := rd.polygon(k, "polygon "+strconv.Itoa(i))
			if err != nil {
				return Geometry{}, err
			}
			g.Area = append(g.Area, p)
		}
		if err := rd.checkArea(g.Area); err != nil {
			return Geometry{}, err
		}
	}
	return g, nil
}

// line checks that a line has at least two positions.
func (rd *reader) line(pts []Point, where string) (Line, error) {
	if len(pts) < 2 {
		return nil, rd.fail(where, "a line has at least 2 positions, not %d", len(pts))
	}
	return Line(pts), nil
}

// polygon builds a polygon from its rings and checks it; where names the
// polygon within a MultiPolygon ("" for a Polygon).
func (rd *reader) polygon(t coordTree, where string) (Polygon, error) {
	if len(t.kids) == 0 {
		return nil, rd.fail(where, "a polygon has at least its exterior ring")
	}
	p := make(Polygon, len(t.kids))
	for i, k := range t.kids {
		p[i] = Ring(k.pts)
	}
	if rd.trusted {
		return p, nil
	}
	if err := CheckPolygon(p); err != nil {
		return nil, rd.placed(err, where)
	}
	return p, nil
}

// checkArea checks that the polygons of an area do not overlap.
func (rd *reader) checkArea(m MultiPolygon) error {
	if rd.trusted {
		return nil
	}
	if err := CheckOverlap(m); err != nil {
		return rd.placed(err, "")
	}
	return nil
}

// placed sets the feature and the outer place of an *Error from the
// checks, which know only the place within what they checked.
func (rd *reader) placed(err error, where string) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	out := *e
	out.Feature, out.ID = rd.feature, rd.id
	switch {
	case where == "":
	case out.Where == "":
		out.Where = where
	default:
		out.Where = where + ", " + out.Where
	}
	return &out
}

// MarshalJSON writes the geometry as a GeoJSON geometry object; a
// geometry without a type is null. A Polygon or LineString holding more
// than one polygon or line is written as a MultiPolygon or
// MultiLineString, so that nothing is lost.
func (g Geometry) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	if err := g.write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// write writes the geometry.
func (g Geometry) write(b *bytes.Buffer) error {
	typ := g.Type
	switch {
	case typ == "Polygon" && len(g.Area) != 1:
		typ = "MultiPolygon"
	case typ == "LineString" && len(g.Lines) != 1:
		typ = "MultiLineString"
	}
	if err := g.checkFinite(); err != nil {
		return err
	}
	switch typ {
	case "":
		b.WriteString("null")
		return nil
	case "Polygon":
		b.WriteString(`{"type":"Polygon","coordinates":`)
		writeRings(b, g.Area[0])
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
		writePositions(b, g.Lines[0])
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
		return fmt.Errorf("geo: cannot write a geometry of type %q", g.Type)
	}
	b.WriteByte('}')
	return nil
}

// checkFinite refuses coordinates that JSON cannot hold.
func (g Geometry) checkFinite() error {
	bad := func(p Point) bool {
		return math.IsNaN(p[0]) || math.IsInf(p[0], 0) || math.IsNaN(p[1]) || math.IsInf(p[1], 0)
	}
	for _, poly := range g.Area {
		for _, r := range poly {
			for _, p := range r {
				if bad(p) {
					return fmt.Errorf("geo: cannot write the position (%v, %v)", p[0], p[1])
				}
			}
		}
	}
	for _, l := range g.Lines {
		for _, p := range l {
			if bad(p) {
				return fmt.Errorf("geo: cannot write the position (%v, %v)", p[0], p[1])
			}
		}
	}
	return nil
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
// and properties are written as they were read (compacted).
func (fc *FeatureCollection) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for i, f := range fc.Features {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := f.write(&b); err != nil {
			return nil, fmt.Errorf("feature %d: %w", i, err)
		}
	}
	b.WriteString("]}")
	return b.Bytes(), nil
}

// write writes one feature.
func (f Feature) write(b *bytes.Buffer) error {
	b.WriteString(`{"type":"Feature"`)
	if len(f.ID) > 0 {
		id := compact(f.ID)
		if !json.Valid(id) || (id[0] != '"' && id[0] != '-' && (id[0] < '0' || id[0] > '9')) {
			return fmt.Errorf("geo: the ID %s is not a JSON string or number", cut(f.ID))
		}
		b.WriteString(`,"id":`)
		b.Write(id)
	}
	b.WriteString(`,"properties":`)
	if len(f.Properties) > 0 {
		props := compact(f.Properties)
		if !json.Valid(props) || props[0] != '{' {
			return fmt.Errorf("geo: the properties %s are not a JSON object", cut(f.Properties))
		}
		b.Write(props)
	} else {
		b.WriteString("null")
	}
	b.WriteString(`,"geometry":`)
	if err := f.Geometry.write(b); err != nil {
		return err
	}
	b.WriteByte('}')
	return nil
}
