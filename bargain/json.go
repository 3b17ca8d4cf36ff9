package bargain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxProblemSize bounds the JSON of a problem that ParseProblem reads.
const MaxProblemSize = 8 << 20

// ParseError is a problem's JSON that cannot be read: bad syntax, a value
// of the wrong type, an unknown or repeated field. It says where.
type ParseError struct {
	// Line and Column are 1-based; the column counts characters.
	Line, Column int
	// Path names the value in the problem ("preferences.A.weights.army"),
	// "" for the document as a whole.
	Path string
	Msg  string
}

// Error writes "line 3, column 14: path: message".
func (e *ParseError) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("line %d, column %d: %s: %s", e.Line, e.Column, e.Path, e.Msg)
}

// ParseProblem reads a problem as JSON and validates it.
//
// The JSON is read strictly, so that a typing mistake is never silently
// ignored: unknown fields, fields in another case, repeated keys, null
// where a number or a string is due, data after the problem and invalid
// UTF-8 are refused, and so is input larger than MaxProblemSize. Such
// errors are *ParseError, with the line and column; then Validate checks
// the problem's meaning, naming the field that is wrong.
func ParseProblem(r io.Reader) (*Problem, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxProblemSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxProblemSize {
		return nil, fmt.Errorf("the problem is larger than the limit of %d MiB", MaxProblemSize>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("the problem is empty")
	}
	if !utf8.Valid(data) {
		k := 0
		for k < len(data) {
			r, size := utf8.DecodeRune(data[k:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			k += size
		}
		return nil, parseErrorAt(data, int64(k), "", "invalid UTF-8")
	}
	d := newDecoder(data)
	if err := d.value(problemShape, ""); err != nil {
		return nil, err
	}
	if _, at, err := d.next(); err != io.EOF {
		return nil, parseErrorAt(data, at, "", "unexpected data after the problem")
	}
	p := new(Problem)
	if err := json.Unmarshal(data, p); err != nil {
		// The walk above accepted the document, so this is not expected.
		return nil, fmt.Errorf("reading the problem: %v", err)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// shapeKind is the kind of a JSON value the problem expects.
type shapeKind int

const (
	shapeStruct shapeKind = iota
	shapeMap
	shapeList
	shapeString
	shapeInt
	shapeFloat
	shapeBool
	shapeChoice
)

// shape is what a JSON value of the problem must look like: derived from
// the Go types, so that the strict reading and the decoding agree.
type shape struct {
	kind   shapeKind
	fields map[string]*shape // of a struct, by JSON name
	elem   *shape            // of a map or a list
}

// problemShape is the shape of a Problem.
var problemShape = shapeOf(reflect.TypeFor[Problem]())

// shapeOf derives the shape of a Go type of the problem.
func shapeOf(t reflect.Type) *shape {
	if t == reflect.TypeFor[Choice]() {
		return &shape{kind: shapeChoice}
	}
	switch t.Kind() {
	case reflect.Struct:
		s := &shape{kind: shapeStruct, fields: map[string]*shape{}}
		for f := range t.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			s.fields[name] = shapeOf(f.Type)
		}
		return s
	case reflect.Map:
		return &shape{kind: shapeMap, elem: shapeOf(t.Elem())}
	case reflect.Slice:
		return &shape{kind: shapeList, elem: shapeOf(t.Elem())}
	case reflect.String:
		return &shape{kind: shapeString}
	case reflect.Int:
		return &shape{kind: shapeInt}
	case reflect.Float64:
		return &shape{kind: shapeFloat}
	case reflect.Bool:
		return &shape{kind: shapeBool}
	}
	panic("bargain: no JSON shape for " + t.String()) // a programming error, caught by any test
}

// decoder walks a JSON document token by token, knowing where each token
// starts.
type decoder struct {
	data []byte
	dec  *json.Decoder
}

func newDecoder(data []byte) *decoder {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return &decoder{data: data, dec: dec}
}

// next returns the next token and the offset where it starts; io.EOF at
// the end of the input.
func (d *decoder) next() (json.Token, int64, error) {
	at := d.dec.InputOffset()
	for at < int64(len(d.data)) && strings.IndexByte(" \t\r\n,:", d.data[at]) >= 0 {
		at++
	}
	tok, err := d.dec.Token()
	if err == io.EOF {
		return nil, at, io.EOF
	}
	if err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, se.Offset, parseErrorAt(d.data, se.Offset, "", "invalid JSON: "+trimJSONPrefix(se.Error()))
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, at, parseErrorAt(d.data, int64(len(d.data)), "", "unexpected end of input")
		}
		return nil, at, parseErrorAt(d.data, at, "", trimJSONPrefix(err.Error()))
	}
	return tok, at, nil
}

// value reads one value of shape s at path.
func (d *decoder) value(s *shape, path string) error {
	tok, at, err := d.next()
	if err == io.EOF {
		return parseErrorAt(d.data, at, path, "unexpected end of input")
	}
	if err != nil {
		return err
	}
	fail := func(want string) error {
		return parseErrorAt(d.data, at, path, fmt.Sprintf("want %s, got %s", want, describeToken(tok)))
	}
	switch s.kind {
	case shapeStruct, shapeMap:
		if tok == nil && s.kind == shapeMap {
			return nil
		}
		if tok != json.Delim('{') {
			return fail("an object")
		}
		return d.object(path, func(key string, at int64) error {
			if s.kind == shapeMap {
				return d.value(s.elem, pathJoin(path, key))
			}
			f, ok := s.fields[key]
			if !ok {
				return parseErrorAt(d.data, at, pathJoin(path, key), "unknown field"+d.suggest(s, key))
			}
			return d.value(f, pathJoin(path, key))
		})
	case shapeList:
		if tok == nil {
			return nil
		}
		if tok != json.Delim('[') {
			return fail("a list")
		}
		for k := 0; d.dec.More(); k++ {
			if err := d.value(s.elem, fmt.Sprintf("%s[%d]", path, k)); err != nil {
				return err
			}
		}
		return d.closing()
	case shapeString:
		if _, ok := tok.(string); !ok {
			return fail("a string")
		}
	case shapeInt:
		n, ok := tok.(json.Number)
		if !ok {
			return fail("an integer")
		}
		if _, err := strconv.Atoi(string(n)); errors.Is(err, strconv.ErrRange) {
			return parseErrorAt(d.data, at, path, fmt.Sprintf("%s is out of range", n))
		} else if err != nil {
			return parseErrorAt(d.data, at, path, fmt.Sprintf("want an integer, got %s", n))
		}
	case shapeFloat:
		n, ok := tok.(json.Number)
		if !ok {
			return fail("a number")
		}
		if _, err := strconv.ParseFloat(string(n), 64); err != nil {
			return parseErrorAt(d.data, at, path, fmt.Sprintf("%s is out of range", n))
		}
	case shapeBool:
		if _, ok := tok.(bool); !ok {
			return fail("true or false")
		}
	case shapeChoice:
		_, err := d.choice(tok, at, path)
		return err
	}
	return nil
}

// object reads the members of an object whose '{' has been read, calling
// member for each key (at its offset) to read the value; a key may appear
// once.
func (d *decoder) object(path string, member func(key string, at int64) error) error {
	seen := map[string]bool{}
	for d.dec.More() {
		tok, at, err := d.next()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		if seen[key] {
			return parseErrorAt(d.data, at, pathJoin(path, key), "repeated key")
		}
		seen[key] = true
		if err := member(key, at); err != nil {
			return err
		}
	}
	return d.closing()
}

// closing reads the '}' or ']' that ends an object or a list.
func (d *decoder) closing() error {
	_, at, err := d.next()
	if err == io.EOF {
		return parseErrorAt(d.data, at, "", "unexpected end of input")
	}
	return err
}

// suggest points to the field a mistyped key probably meant, by case.
func (d *decoder) suggest(s *shape, key string) string {
	for name := range s.fields {
		if strings.EqualFold(name, key) {
			return fmt.Sprintf(" (field names are lower case: %q)", name)
		}
	}
	names := make([]string, 0, len(s.fields))
	for name := range s.fields {
		names = append(names, name)
	}
	slices.Sort(names)
	return fmt.Sprintf(" (known: %s)", joinQuoted(names))
}

// choice reads a choice whose first token, tok at offset at, has been
// read: an option name, or an object of shares.
func (d *decoder) choice(tok json.Token, at int64, path string) (Choice, error) {
	switch tok := tok.(type) {
	case string:
		if tok == "" {
			return Choice{}, parseErrorAt(d.data, at, path, "empty option name")
		}
		return Choice{Option: tok}, nil
	case json.Delim:
		if tok != '{' {
			break
		}
		shares := map[string]*big.Rat{}
		err := d.object(path, func(key string, _ int64) error {
			tok, at, err := d.next()
			if err != nil {
				return err
			}
			var s string
			switch tok := tok.(type) {
			case json.Number:
				s = string(tok)
			case string:
				s = tok
			default:
				return parseErrorAt(d.data, at, pathJoin(path, key), fmt.Sprintf("want a share (a number or a fraction such as \"5/6\"), got %s", describeToken(tok)))
			}
			share, err := parseShare(s)
			if err != nil {
				return parseErrorAt(d.data, at, pathJoin(path, key), err.Error())
			}
			shares[key] = share
			return nil
		})
		if err != nil {
			return Choice{}, err
		}
		if len(shares) == 0 {
			return Choice{}, parseErrorAt(d.data, at, path, "no shares")
		}
		return Choice{Shares: shares}, nil
	}
	return Choice{}, parseErrorAt(d.data, at, path, fmt.Sprintf("want an option name or an object of shares, got %s", describeToken(tok)))
}

// sharePattern is what a share may look like: a decimal or a fraction of
// bounded length, so that no share is costly to read.
var sharePattern = regexp.MustCompile(`^-?[0-9]{1,18}(\.[0-9]{1,18}|/[0-9]{1,18})?$`)

// parseShare reads a share: "0.25", "5/6" or "1".
func parseShare(s string) (*big.Rat, error) {
	if !sharePattern.MatchString(s) {
		return nil, fmt.Errorf("share %q is not a decimal or a fraction such as \"5/6\"", s)
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return nil, fmt.Errorf("share %q has a zero denominator", s)
	}
	return r, nil
}

// UnmarshalJSON reads a choice: "option" for one whole option, or
// {"option": share, ...} for a split, each share a number or a fraction
// string ("5/6"). That the shares sum to 1 is checked by Validate.
func (c *Choice) UnmarshalJSON(data []byte) error {
	d := newDecoder(data)
	tok, at, err := d.next()
	if err != nil {
		return err
	}
	v, err := d.choice(tok, at, "")
	if err != nil {
		return err
	}
	if _, at, err := d.next(); err != io.EOF {
		return parseErrorAt(data, at, "", "unexpected data after the choice")
	}
	*c = v
	return nil
}

// MarshalJSON writes a choice exactly: "option", or {"option": "5/6"}
// for a split, so that it reads back the same.
func (c Choice) MarshalJSON() ([]byte, error) {
	if c.Shares == nil {
		if c.Option == "" {
			return nil, errors.New("bargain: a choice with neither an option nor shares")
		}
		return json.Marshal(c.Option)
	}
	exact := make(map[string]string, len(c.Shares))
	for option, share := range c.Shares {
		if share == nil {
			return nil, fmt.Errorf("bargain: share of %q missing", option)
		}
		exact[option] = share.RatString()
	}
	return json.Marshal(exact)
}

// parseErrorAt returns a ParseError at byte offset off of data.
func parseErrorAt(data []byte, off int64, path, msg string) *ParseError {
	off = min(max(off, 0), int64(len(data)))
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return &ParseError{Line: line, Column: 1 + utf8.RuneCount(data[start:off]), Path: path, Msg: msg}
}

// describeToken names the kind of a token in messages.
func describeToken(tok json.Token) string {
	switch tok := tok.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number:
		return "the number " + string(tok)
	case bool:
		return strconv.FormatBool(tok)
	case json.Delim:
		switch tok {
		case '{':
			return "an object"
		case '[':
			return "a list"
		}
		return "'" + tok.String() + "'"
	}
	return fmt.Sprint(tok)
}

// trimJSONPrefix drops the package's "json: " from a message.
func trimJSONPrefix(s string) string { return strings.TrimPrefix(s, "json: ") }

// pathJoin extends a path with a key.
func pathJoin(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// joinQuoted writes names as "a", "b", "c".
func joinQuoted(names []string) string {
	var b strings.Builder
	for k, n := range names {
		if k > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(n))
	}
	return b.String()
}

// Document is one result of the engine as `parley bargain` reports it: the
// method, the problem it was computed for, and the result. Its JSON
// (MarshalJSON, schema parley.bargain/v1) and its text (WriteText) are the
// forms the command writes.
type Document struct {
	// Problem gives the parties, their order and the issues.
	Problem *Problem
	// Method is one of the Method constants.
	Method string
	// The result, by method: Frontier for frontier; Solution for nash,
	// ks, maximin and maxsum; Division for aw; Evaluation for evaluate;
	// Improvement for improve.
	Frontier    *Frontier
	Solution    *Solution
	Division    *Division
	Evaluation  *Evaluation
	Improvement *Improvement
	// Package names the package evaluated or improved on, Previous the
	// one against which concessions are counted; "" when unnamed.
	Package, Previous string
}

// MarshalJSON writes the document as
//
//	{"schema": "parley.bargain/v1", "method": "...", "parties": [...],
//	 "packages": [outcome, ...], ...}
//
// where each outcome is
//
//	{"choice": {"issue": "option" | {"option": 0.833333, ...}},
//	 "exact": {"issue": {"option": "5/6", ...}},
//	 "utility": {"A": 64, "B": 56.6667},
//	 "utility_exact": {"A": "64", "B": "170/3"}}
//
// ("exact" only for split issues). Numbers are rounded to 6 significant
// digits; the "_exact" fields give them exactly, as fractions. The
// packages and the fields that follow them depend on the method:
//
//   - frontier: the frontier's packages; "exact" (whether it is the whole
//     frontier) and "epsilon".
//   - nash, ks, maximin, maxsum: the package chosen (none when no package
//     gives every party its reservation: "none": true); "value" and
//     "approximate".
//   - aw: the division; "split" (the issue split, "" for none), "points"
//     and "points_exact".
//   - evaluate: the package evaluated; "package", "feasible", "ideal",
//     "distance" (and their "_exact"), "violations", "below", and
//     "previous" and "concessions" ({"A": [{"issue", "from", "to",
//     "loss", "loss_exact"}]}, choices written exactly) when there is a
//     previous package.
//   - improve: the improving packages; "package", "tentative" (an
//     outcome), "none" and, when none improves, "certificate": the
//     frontier's packages.
func (d Document) MarshalJSON() ([]byte, error) {
	if d.Problem == nil {
		return nil, errors.New("bargain: a document without its problem")
	}
	out := documentJSON{
		Schema:   Schema,
		Method:   d.Method,
		Parties:  d.Problem.Parties,
		Note:     d.Problem.Note,
		Packages: []outcomeJSON{},
		Package:  d.Package,
	}
	missing := func() ([]byte, error) {
		return nil, fmt.Errorf("bargain: a %s document without its result", d.Method)
	}
	switch d.Method {
	case MethodFrontier:
		fr := d.Frontier
		if fr == nil {
			return missing()
		}
		out.Packages = outcomesJSON(fr.Outcomes)
		out.Exact, out.Epsilon = &fr.Exact, &fr.Epsilon
	case MethodNash, MethodKS, MethodMaximin, MethodMaxSum:
		s := d.Solution
		if s == nil {
			return missing()
		}
		none := s.Outcome == nil
		out.None = &none
		if !none {
			out.Packages = outcomesJSON([]*Outcome{s.Outcome})
			v := round6(s.Value)
			out.Value = &v
		}
		out.Approximate = s.Approximate
	case MethodAW:
		dv := d.Division
		if dv == nil || dv.Outcome == nil {
			return missing()
		}
		out.Packages = outcomesJSON([]*Outcome{dv.Outcome})
		out.Split = &dv.Split
		out.Points, out.PointsExact = numbersJSON(dv.Points)
	case MethodEvaluate:
		e := d.Evaluation
		if e == nil || e.Outcome == nil {
			return missing()
		}
		out.Packages = outcomesJSON([]*Outcome{e.Outcome})
		out.Feasible = &e.Feasible
		out.Ideal, out.IdealExact = numbersJSON(e.Ideal)
		out.Distance, out.DistanceExact = numbersJSON(e.Distance)
		violations, below := nonNil(e.Violations), nonNil(e.Below)
		out.Violations, out.Below = &violations, &below
		if e.Concessions != nil {
			out.Previous = d.Previous
			out.Concessions = make(map[string][]concessionJSON, len(e.Concessions))
			for party, cs := range e.Concessions {
				list := make([]concessionJSON, 0, len(cs))
				for _, c := range cs {
					loss, exact := exactNumber(c.Loss)
					list = append(list, concessionJSON{Issue: c.Issue, From: c.From, To: c.To, Loss: loss, LossExact: exact})
				}
				out.Concessions[party] = list
			}
		}
	case MethodImprove:
		im := d.Improvement
		if im == nil || im.Tentative == nil {
			return missing()
		}
		out.Packages = outcomesJSON(im.Packages)
		t := outcomeToJSON(im.Tentative)
		out.Tentative = &t
		out.None = &im.None
		if im.None && im.Certificate != nil {
			cert := outcomesJSON(im.Certificate.Outcomes)
			out.Certificate = &cert
		}
	default:
		return nil, fmt.Errorf("bargain: unknown method %q", d.Method)
	}
	return json.Marshal(out)
}

// documentJSON is the JSON form of a Document; see Document.MarshalJSON.
type documentJSON struct {
	Schema   string        `json:"schema"`
	Method   string        `json:"method"`
	Parties  []string      `json:"parties"`
	Note     string        `json:"note,omitempty"`
	Package  string        `json:"package,omitempty"`
	Packages []outcomeJSON `json:"packages"`

	Exact   *bool    `json:"exact,omitempty"`
	Epsilon *float64 `json:"epsilon,omitempty"`

	Value       *float64 `json:"value,omitempty"`
	Approximate bool     `json:"approximate,omitempty"`
	None        *bool    `json:"none,omitempty"`

	Split       *string            `json:"split,omitempty"`
	Points      map[string]float64 `json:"points,omitempty"`
	PointsExact map[string]string  `json:"points_exact,omitempty"`

	Feasible      *bool                       `json:"feasible,omitempty"`
	Ideal         map[string]float64          `json:"ideal,omitempty"`
	IdealExact    map[string]string           `json:"ideal_exact,omitempty"`
	Distance      map[string]float64          `json:"distance,omitempty"`
	DistanceExact map[string]string           `json:"distance_exact,omitempty"`
	Violations    *[]string                   `json:"violations,omitempty"`
	Below         *[]string                   `json:"below,omitempty"`
	Previous      string                      `json:"previous,omitempty"`
	Concessions   map[string][]concessionJSON `json:"concessions,omitempty"`

	Tentative   *outcomeJSON   `json:"tentative,omitempty"`
	Certificate *[]outcomeJSON `json:"certificate,omitempty"`
}

// outcomeJSON is the JSON form of an Outcome.
type outcomeJSON struct {
	Choice       map[string]any               `json:"choice"`
	Exact        map[string]map[string]string `json:"exact,omitempty"`
	Utility      map[string]float64           `json:"utility"`
	UtilityExact map[string]string            `json:"utility_exact"`
}

// concessionJSON is the JSON form of a Concession.
type concessionJSON struct {
	Issue     string  `json:"issue"`
	From      Choice  `json:"from"`
	To        Choice  `json:"to"`
	Loss      float64 `json:"loss"`
	LossExact string  `json:"loss_exact"`
}

// outcomesJSON converts outcomes, never to nil, so that an empty list
// is written [].
func outcomesJSON(outcomes []*Outcome) []outcomeJSON {
	out := make([]outcomeJSON, 0, len(outcomes))
	for _, o := range outcomes {
		if o != nil {
			out = append(out, outcomeToJSON(o))
		}
	}
	return out
}

// outcomeToJSON converts one outcome.
func outcomeToJSON(o *Outcome) outcomeJSON {
	out := outcomeJSON{Choice: make(map[string]any, len(o.Choice))}
	for issue, c := range o.Choice {
		if c.Shares == nil {
			out.Choice[issue] = c.Option
			continue
		}
		approx, exact := numbersJSON(c.Shares)
		out.Choice[issue] = approx
		if out.Exact == nil {
			out.Exact = map[string]map[string]string{}
		}
		out.Exact[issue] = exact
	}
	out.Utility, out.UtilityExact = numbersJSON(o.Utility)
	return out
}

// numbersJSON writes exact numbers rounded and as fractions.
func numbersJSON(m map[string]*big.Rat) (map[string]float64, map[string]string) {
	approx := make(map[string]float64, len(m))
	exact := make(map[string]string, len(m))
	for k, r := range m {
		approx[k], exact[k] = exactNumber(r)
	}
	return approx, exact
}

// exactNumber writes an exact number rounded to 6 significant digits and as a
// fraction; nil counts as 0.
func exactNumber(r *big.Rat) (float64, string) {
	if r == nil {
		return 0, "0"
	}
	f, _ := r.Float64()
	return round6(f), r.RatString()
}

// round6 rounds to 6 significant digits, enough for any reader of a
// utility on a 0–100 scale; infinities and NaN, which JSON cannot carry,
// become 0.
func round6(f float64) float64 {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return 0
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 6, 64), 64)
	return r
}

// nonNil makes a nil list empty, so that it is written [].
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// WriteJSON writes the document as indented JSON.
func (d Document) WriteJSON(w io.Writer) error {
	data, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}
