package bargain_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"parley/bargain"
)

// validProblem is a small valid problem in JSON.
const validProblem = `{
  "parties": ["A", "B"],
  "issues": [
    {"id": "army", "options": ["600k", "800k"]},
    {"id": "assets", "options": ["fund", "rebuild"], "divisible": true}
  ],
  "preferences": {
    "A": {"weights": {"army": 60, "assets": 40},
          "ratings": {"army": {"600k": 100}, "assets": {"fund": 100, "rebuild": 20}},
          "reservation": 10, "never": ["army:800k"]},
    "B": {"weights": {"army": 30, "assets": 70},
          "ratings": {"army": {"800k": 100, "600k": 10}, "assets": {"rebuild": 100}},
          "reservation": 0}
  },
  "steps": 4,
  "packages": {
    "draft": {"army": "600k", "assets": {"fund": "5/6", "rebuild": "1/6"}},
    "even": {"army": "600k", "assets": {"fund": 0.5, "rebuild": "1/2"}}
  },
  "note": "illustrative"
}`

// MustParseProblem parses a problem or fails the test.
func MustParseProblem(tb testing.TB, src string) *bargain.Problem {
	tb.Helper()
	p, err := bargain.ParseProblem(strings.NewReader(src))
	if err != nil {
		tb.Fatalf("parsing: %v", err)
	}
	return p
}

func TestParseProblem(t *testing.T) {
	p := MustParseProblem(t, validProblem)
	if got := strings.Join(p.Parties, ","); got != "A,B" {
		t.Errorf("got parties %s, want A,B", got)
	}
	if len(p.Issues) != 2 || !p.Issues[1].Divisible || p.Issues[0].Divisible {
		t.Errorf("got issues %+v, want army (whole) and assets (divisible)", p.Issues)
	}
	if got := p.Preferences["B"].Ratings["army"]["600k"]; got != 10 {
		t.Errorf("got B's rating of army:600k %d, want 10", got)
	}
	if got := p.Preferences["A"].Reservation; got != 10 {
		t.Errorf("got A's reservation %v, want 10", got)
	}
	if got := p.Preferences["A"].Never; len(got) != 1 || got[0] != "army:800k" {
		t.Errorf("got A's never-list %q, want [army:800k]", got)
	}
	if p.Steps != 4 || p.Note != "illustrative" {
		t.Errorf("got steps %d and note %q, want 4 and illustrative", p.Steps, p.Note)
	}
	even := p.Packages["even"]
	if got := even["army"]; got.Option != "600k" || got.Shares != nil {
		t.Errorf("got even.army %+v, want the whole option 600k", got)
	}
	for option, want := range map[string]string{"fund": "1/2", "rebuild": "1/2"} {
		if got := even["assets"].Shares[option]; got == nil || got.RatString() != want {
			t.Errorf("got even.assets share of %s %v, want %s", option, got, want)
		}
	}
}

func TestParseProblemErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      string // in the error
	}{
		{"empty", " \n\t", "the problem is empty"},
		{"syntax", "{\n  \"parties\": [\"A\",]\n}", "line 2, column 19: invalid JSON: invalid character ']'"},
		{"unterminated list", `{"parties": ["A"`, "line 1, column 17: unexpected end of input"},
		{"unterminated object", `{"parties": ["A"]`, "line 1, column 18: unexpected end of input"},
		{"unterminated value", `{"parties": `, "line 1, column 13: parties: unexpected end of input"},
		{"not an object", `["A"]`, "line 1, column 1: want an object, got a list"},
		{"wrong type", "{\"parties\": [\"A\"],\n \"preferences\": {\"A\": {\"weights\": {\"x\": \"ten\"}}}}", `line 2, column 41: preferences.A.weights.x: want an integer, got a string`},
		{"fraction for an integer", `{"steps": 2.5}`, "line 1, column 11: steps: want an integer, got 2.5"},
		{"integer too large", `{"steps": 99999999999999999999}`, "steps: 99999999999999999999 is out of range"},
		{"null for a string", `{"parties": [null]}`, "parties[0]: want a string, got null"},
		{"number too large", `{"preferences": {"A": {"reservation": 1e999}}}`, "preferences.A.reservation: 1e999 is out of range"},
		{"unknown field", "{\"parties\": [],\n  \"colour\": 1}", `line 2, column 3: colour: unknown field (known: "issues", "note", "packages", "parties", "preferences", "steps")`},
		{"field in another case", `{"Parties": ["A"]}`, `Parties: unknown field (field names are lower case: "parties")`},
		{"unknown nested field", `{"issues": [{"id": "x", "options": ["a"], "divisable": true}]}`, "issues[0].divisable: unknown field"},
		{"repeated key", `{"preferences": {"A": {"weights": {"x": 50, "x": 50}}}}`, "line 1, column 45: preferences.A.weights.x: repeated key"},
		{"trailing data", `{"parties": ["A"]} {}`, "line 1, column 20: unexpected data after the problem"},
		{"invalid UTF-8", "{\"parties\": [\"caf\xe9\"]}", "line 1, column 18: invalid UTF-8"},
		{"empty option chosen", `{"packages": {"p": {"x": ""}}}`, "packages.p.x: empty option name"},
		{"choice of a number", `{"packages": {"p": {"x": 1}}}`, "packages.p.x: want an option name or an object of shares, got the number 1"},
		{"share not a fraction", `{"packages": {"p": {"x": {"a": "half"}}}}`, `packages.p.x.a: share "half" is not a decimal or a fraction`},
		{"share with an exponent", `{"packages": {"p": {"x": {"a": 1e-1}}}}`, `packages.p.x.a: share "1e-1" is not a decimal`},
		{"share over zero", `{"packages": {"p": {"x": {"a": "1/0"}}}}`, `packages.p.x.a: share "1/0" has a zero denominator`},
		{"share of a list", `{"packages": {"p": {"x": {"a": [1]}}}}`, `packages.p.x.a: want a share (a number or a fraction such as "5/6"), got a list`},
		{"no shares", `{"packages": {"p": {"x": {}}}}`, "packages.p.x: no shares"},
		{"invalid problem", strings.Replace(validProblem, `"army": 60`, `"army": 58`, 1), "preferences.A.weights: sum to 98, not 100"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := bargain.ParseProblem(strings.NewReader(tt.src))
			if err == nil {
				t.Fatalf("got problem %+v, want an error saying %q", p, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %q, want it to say %q", err, tt.want)
			}
		})
	}
}

func TestParseProblemPositionIsAParseError(t *testing.T) {
	_, err := bargain.ParseProblem(strings.NewReader("{\n\n   \"steps\": true}"))
	var pe *bargain.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("got %T %v, want a *ParseError", err, err)
	}
	if pe.Line != 3 || pe.Column != 13 || pe.Path != "steps" {
		t.Errorf("got line %d, column %d, path %q, want 3, 13, steps", pe.Line, pe.Column, pe.Path)
	}
}

func TestParseProblemSizeLimit(t *testing.T) {
	big := `{"note": "` + strings.Repeat("x", bargain.MaxProblemSize) + `"}`
	_, err := bargain.ParseProblem(strings.NewReader(big))
	if err == nil || !strings.Contains(err.Error(), "larger than the limit of 8 MiB") {
		t.Errorf("got error %v, want one about the 8 MiB limit", err)
	}
}

func TestChoiceJSON(t *testing.T) {
	tests := []struct {
		in, out string
	}{
		{`"600k"`, `"600k"`},
		{`{"fund": "5/6", "rebuild": "1/6"}`, `{"fund":"5/6","rebuild":"1/6"}`},
		{`{"fund": 0.25, "rebuild": 0.75}`, `{"fund":"1/4","rebuild":"3/4"}`},
		{`{"fund": 1}`, `{"fund":"1"}`},
	}
	for _, tt := range tests {
		var c bargain.Choice
		if err := json.Unmarshal([]byte(tt.in), &c); err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		got, err := json.Marshal(c)
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if string(got) != tt.out {
			t.Errorf("%s: got %s, want %s", tt.in, got, tt.out)
		}
	}
	for _, bad := range []string{`""`, `{}`, `{"a": "x"}`, `{"a": 1, "a": 0}`, `[]`, `null`, `"a" "b"`} {
		var c bargain.Choice
		if err := json.Unmarshal([]byte(bad), &c); err == nil {
			t.Errorf("%s: got choice %+v, want an error", bad, c)
		}
	}
	if _, err := json.Marshal(bargain.Choice{}); err == nil {
		t.Error("an empty choice marshalled, want an error")
	}
}

// decodeDocument marshals a document and decodes it generically.
func decodeDocument(t *testing.T, d bargain.Document) map[string]any {
	t.Helper()
	var buf bytes.Buffer
	if err := d.WriteJSON(&buf); err != nil {
		t.Fatalf("writing %s: %v", d.Method, err)
	}
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatalf("%s document is not JSON: %v\n%s", d.Method, err, buf.Bytes())
	}
	if m["schema"] != bargain.Schema || m["method"] != d.Method {
		t.Errorf("got schema %v and method %v, want %s and %s", m["schema"], m["method"], bargain.Schema, d.Method)
	}
	return m
}

// jsonAt follows a path of keys and indexes through decoded JSON.
func jsonAt(v any, path ...any) any {
	for _, k := range path {
		switch k := k.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func TestDocumentJSON(t *testing.T) {
	p := MustParseProblem(t, validProblem)
	split := &bargain.Outcome{
		Choice:  bargain.Package{"army": {Option: "600k"}, "assets": {Shares: ratMap(t, "fund=5/6", "rebuild=1/6")}},
		Utility: ratMap(t, "A=64", "B=170/3"),
	}
	whole := &bargain.Outcome{
		Choice:  bargain.Package{"army": {Option: "800k"}, "assets": {Option: "rebuild"}},
		Utility: ratMap(t, "A=8", "B=100"),
	}
	t.Run("outcome", func(t *testing.T) {
		m := decodeDocument(t, bargain.Document{Problem: p, Method: bargain.MethodFrontier,
			Frontier: &bargain.Frontier{Parties: p.Parties, Exact: true, Outcomes: []*bargain.Outcome{split, whole}}})
		tests := []struct {
			path []any
			want any
		}{
			{[]any{"parties", 1}, "B"},
			{[]any{"note"}, "illustrative"},
			{[]any{"exact"}, true},
			{[]any{"epsilon"}, 0.0},
			{[]any{"packages", 0, "choice", "army"}, "600k"},
			{[]any{"packages", 0, "choice", "assets", "fund"}, 0.833333},
			{[]any{"packages", 0, "exact", "assets", "rebuild"}, "1/6"},
			{[]any{"packages", 0, "utility", "B"}, 56.6667},
			{[]any{"packages", 0, "utility_exact", "B"}, "170/3"},
			{[]any{"packages", 0, "utility", "A"}, 64.0},
			{[]any{"packages", 1, "choice", "assets"}, "rebuild"},
			{[]any{"packages", 1, "exact"}, nil},
		}
		for _, tt := range tests {
			if got := jsonAt(m, tt.path...); got != tt.want {
				t.Errorf("%v: got %v, want %v", tt.path, got, tt.want)
			}
		}
	})
	t.Run("fair point", func(t *testing.T) {
		m := decodeDocument(t, bargain.Document{Problem: p, Method: bargain.MethodNash,
			Solution: &bargain.Solution{Method: bargain.MethodNash, Outcome: whole, Value: 2.0 / 3, Approximate: true}})
		if got := jsonAt(m, "value"); got != 0.666667 {
			t.Errorf("got value %v, want 0.666667", got)
		}
		if jsonAt(m, "none") != false || jsonAt(m, "approximate") != true || jsonAt(m, "packages", 0, "choice", "army") != "800k" {
			t.Errorf("got none %v, approximate %v and package %v, want false, true and the package", jsonAt(m, "none"), jsonAt(m, "approximate"), jsonAt(m, "packages"))
		}
		m = decodeDocument(t, bargain.Document{Problem: p, Method: bargain.MethodKS, Solution: &bargain.Solution{Method: bargain.MethodKS}})
		if jsonAt(m, "none") != true || len(jsonAt(m, "packages").([]any)) != 0 {
			t.Errorf("without a solution got none %v and packages %v, want true and []", jsonAt(m, "none"), jsonAt(m, "packages"))
		}
	})
	t.Run("evaluate", func(t *testing.T) {
		e := &bargain.Evaluation{
			Outcome:    whole,
			Ideal:      ratMap(t, "A=100", "B=100"),
			Distance:   ratMap(t, "A=92", "B=0"),
			Violations: []string{"A never accepts army:800k"},
			Below:      []string{"A"},
			Concessions: map[string][]bargain.Concession{"A": {
				{Issue: "assets", From: bargain.Choice{Shares: ratMap(t, "fund=5/6", "rebuild=1/6")}, To: bargain.Choice{Option: "rebuild"}, Loss: exactRat(t, "80/3")},
			}},
		}
		m := decodeDocument(t, bargain.Document{Problem: p, Method: bargain.MethodEvaluate, Evaluation: e, Package: "hard", Previous: "draft"})
		tests := []struct {
			path []any
			want any
		}{
			{[]any{"package"}, "hard"},
			{[]any{"previous"}, "draft"},
			{[]any{"feasible"}, false},
			{[]any{"ideal", "A"}, 100.0},
			{[]any{"distance_exact", "A"}, "92"},
			{[]any{"violations", 0}, "A never accepts army:800k"},
			{[]any{"below", 0}, "A"},
			{[]any{"concessions", "A", 0, "issue"}, "assets"},
			{[]any{"concessions", "A", 0, "from", "fund"}, "5/6"},
			{[]any{"concessions", "A", 0, "to"}, "rebuild"},
			{[]any{"concessions", "A", 0, "loss"}, 26.6667},
			{[]any{"concessions", "A", 0, "loss_exact"}, "80/3"},
		}
		for _, tt := range tests {
			if got := jsonAt(m, tt.path...); got != tt.want {
				t.Errorf("%v: got %v, want %v", tt.path, got, tt.want)
			}
		}
	})
	t.Run("evaluate, feasible", func(t *testing.T) {
		e := &bargain.Evaluation{Outcome: whole, Ideal: ratMap(t, "A=100", "B=100"), Distance: ratMap(t, "A=92", "B=0"), Feasible: true}
		m := decodeDocument(t, bargain.Document{Problem: p, Method: bargain.MethodEvaluate, Evaluation: e})
		for _, key := range []string{"violations", "below"} {
			if got, ok := m[key].([]any); !ok || len(got) != 0 {
				t.Errorf("%s: got %v, want []", key, m[key])
			}
		}
		if _, ok := m["concessions"]; ok || m["feasible"] != true {
			t.Errorf("got concessions %v and feasible %v, want none and true", m["concessions"], m["feasible"])
		}
	})
	t.Run("improve", func(t *testing.T) {
		m := decodeDocument(t, bargain.Document{Problem: p, Method: bargain.MethodImprove, Package: "draft",
			Improvement: &bargain.Improvement{Tentative: whole, None: true, Certificate: &bargain.Frontier{Outcomes: []*bargain.Outcome{split, whole}}}})
		if jsonAt(m, "none") != true || jsonAt(m, "tentative", "choice", "army") != "800k" || jsonAt(m, "certificate", 1, "utility", "B") != 100.0 {
			t.Errorf("got none %v, tentative %v, certificate %v", jsonAt(m, "none"), jsonAt(m, "tentative"), jsonAt(m, "certificate"))
		}
		if got := jsonAt(m, "packages"); got == nil || len(got.([]any)) != 0 {
			t.Errorf("got packages %v, want []", got)
		}
	})
	t.Run("missing result", func(t *testing.T) {
		for _, method := range []string{bargain.MethodFrontier, bargain.MethodNash, bargain.MethodAW, bargain.MethodEvaluate, bargain.MethodImprove, "guess"} {
			if _, err := json.Marshal(bargain.Document{Problem: p, Method: method}); err == nil {
				t.Errorf("%s: a document without a result marshalled, want an error", method)
			}
		}
	})
}

func TestDocumentJSONAdjustedWinner(t *testing.T) {
	p := mustReadExample(t, "brams-taylor.json")
	d, err := bargain.AdjustedWinner(p)
	if err != nil {
		t.Fatal(err)
	}
	m := decodeDocument(t, bargain.Document{Problem: p, Method: bargain.MethodAW, Division: d})
	tests := []struct {
		path []any
		want any
	}{
		{[]any{"split"}, "retirement"},
		{[]any{"points", "Carol"}, 56.6667},
		{[]any{"points_exact", "Bob"}, "170/3"},
		{[]any{"packages", 0, "exact", "retirement", "Carol"}, "5/6"},
		{[]any{"packages", 0, "choice", "home"}, "Bob"},
	}
	for _, tt := range tests {
		if got := jsonAt(m, tt.path...); got != tt.want {
			t.Errorf("%v: got %v, want %v", tt.path, got, tt.want)
		}
	}
}

// mustReadExample parses a problem of examples/bargain.
func mustReadExample(tb testing.TB, name string) *bargain.Problem {
	tb.Helper()
	src, err := os.ReadFile(filepath.Join("..", "examples", "bargain", name))
	if err != nil {
		tb.Fatal(err)
	}
	return MustParseProblem(tb, string(src))
}

func BenchmarkParseProblem(b *testing.B) {
	src, err := os.ReadFile(filepath.Join("..", "examples", "bargain", "ukraine-28.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := bargain.ParseProblem(bytes.NewReader(src)); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzParseProblem(f *testing.F) {
	examples, err := filepath.Glob(filepath.Join("..", "examples", "bargain", "*.json"))
	if err != nil || len(examples) == 0 {
		f.Fatalf("no examples to seed the corpus (%v)", err)
	}
	for _, name := range examples {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte(validProblem))
	f.Add([]byte(`{"parties": ["A"], "issues": [{"id": "x", "options": ["a", "b"], "divisible": true}], "preferences": {"A": {"weights": {"x": 100}, "ratings": {"x": {"a": 100}}, "reservation": 0}}, "packages": {"p": {"x": {"a": "1/3", "b": 0.6666666666666666666}}}}`))
	f.Add([]byte(`{"packages": {"p": {"x": {"a": "1/0"}}}}`))
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := bargain.ParseProblem(bytes.NewReader(src))
		if err != nil {
			return
		}
		// A problem that reads back must write and read again, the same.
		first, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("marshalling a parsed problem: %v", err)
		}
		q, err := bargain.ParseProblem(bytes.NewReader(first))
		if err != nil {
			t.Fatalf("re-reading %s: %v", first, err)
		}
		second, err := json.Marshal(q)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, second) {
			t.Errorf("round trip changed the problem:\n%s\n%s", first, second)
		}
	})
}

func TestDocumentText(t *testing.T) {
	p := MustParseProblem(t, validProblem)
	split := &bargain.Outcome{
		Choice:  bargain.Package{"army": {Option: "600k"}, "assets": {Shares: ratMap(t, "rebuild=1/6", "fund=5/6")}},
		Utility: ratMap(t, "A=64", "B=170/3"),
	}
	tests := []struct {
		name string
		doc  bargain.Document
		want []string
	}{
		{"frontier", bargain.Document{Method: bargain.MethodFrontier, Frontier: &bargain.Frontier{Parties: p.Parties, Exact: true, Outcomes: []*bargain.Outcome{split}}},
			[]string{"Pareto frontier of A and B: 1 package.", "#  A   B       army  assets", "1  64  ≈56.67  600k  fund 5/6 + rebuild 1/6", "Note: illustrative"}},
		{"ε-Pareto set", bargain.Document{Method: bargain.MethodFrontier, Frontier: &bargain.Frontier{Parties: p.Parties, Epsilon: 0.01}},
			[]string{"ε-Pareto set of A and B (ε = 0.01 of each party's range): 0 packages."}},
		{"fair point", bargain.Document{Method: bargain.MethodKS, Solution: &bargain.Solution{Method: bargain.MethodKS, Outcome: split, Value: 0.5}},
			[]string{"Kalai–Smorodinsky solution (ks)", "Value: 0.5", "B      170/3 ≈ 56.67  0", "A      64             10", "assets  fund 5/6 + rebuild 1/6"}},
		{"no fair point", bargain.Document{Method: bargain.MethodMaximin, Solution: &bargain.Solution{Method: bargain.MethodMaximin}},
			[]string{"No feasible package gives every party at least its reservation level."}},
		{"evaluate, nothing changed", bargain.Document{Method: bargain.MethodEvaluate, Package: "draft", Previous: "draft",
			Evaluation: &bargain.Evaluation{Outcome: split, Ideal: ratMap(t, "A=100", "B=100"), Distance: ratMap(t, "A=36", "B=130/3"), Feasible: true,
				Concessions: map[string][]bargain.Concession{}}},
			[]string{"Package “draft” for A and B.", "A      64             10           100    36", "Feasible", "none: the packages agree on every issue."}},
		{"improve", bargain.Document{Method: bargain.MethodImprove, Package: "draft",
			Improvement: &bargain.Improvement{Tentative: split, Packages: []*bargain.Outcome{split, split}}},
			[]string{"Tentative package “draft”: A 64, B 170/3 ≈ 56.67.", "2 packages every party prefers", "2  64  ≈56.67"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.doc.Problem = p
			var buf bytes.Buffer
			if err := tt.doc.WriteText(&buf); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(buf.String(), w) {
					t.Errorf("got\n%s\nwant it to contain %q", buf.String(), w)
				}
			}
			for _, line := range strings.Split(buf.String(), "\n") {
				if strings.HasSuffix(line, " ") {
					t.Errorf("line %q ends in a blank", line)
				}
			}
		})
	}
	if err := (bargain.Document{Problem: p, Method: bargain.MethodAW}).WriteText(io.Discard); err == nil {
		t.Error("an aw document without its division wrote, want an error")
	}
}
