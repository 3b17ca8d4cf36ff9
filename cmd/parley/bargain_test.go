package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden outputs of parley bargain in bargain/testdata/parley-bargain")

const (
	bramsTaylor = "../../examples/bargain/brams-taylor.json"
	ukraine28   = "../../examples/bargain/ukraine-28.json"
	bargainGold = "../../bargain/testdata/parley-bargain"
)

func TestBargainGolden(t *testing.T) {
	tests := []struct {
		golden string
		args   []string
	}{
		{"aw-brams-taylor.txt", []string{"aw", bramsTaylor}},
		{"aw-brams-taylor.json", []string{"aw", bramsTaylor, "--format", "json"}},
		{"frontier-brams-taylor.txt", []string{"frontier", bramsTaylor}},
		{"frontier-brams-taylor.json", []string{"frontier", bramsTaylor, "--format", "json"}},
		{"frontier-brams-taylor.svg", []string{"frontier", "--format", "svg", bramsTaylor, "--package", "all-to-carol"}},
		{"frontier-ukraine-28.txt", []string{"frontier", ukraine28}},
		{"frontier-ukraine-28.svg", []string{"frontier", ukraine28, "--format", "svg"}},
		{"nash-ukraine-28.txt", []string{"nash", ukraine28}},
		{"ks-ukraine-28.json", []string{"ks", ukraine28, "--format", "json"}},
		{"maximin-ukraine-28.txt", []string{"maximin", ukraine28}},
		{"maxsum-ukraine-28.txt", []string{"maxsum", ukraine28, "--epsilon", "0.01"}},
		{"evaluate-ukraine-28.txt", []string{"evaluate", ukraine28, "--package", "20-point", "--previous", "28-point"}},
		{"evaluate-ukraine-28.json", []string{"evaluate", ukraine28, "--package", "28-point", "--format", "json"}},
		{"improve-ukraine-28.txt", []string{"improve", ukraine28, "--package", "28-point"}},
		{"improve-compromise-ukraine-28.txt", []string{"improve", ukraine28, "--package", "compromise"}},
		{"improve-brams-taylor.txt", []string{"improve", bramsTaylor, "--package", "crossed"}},
		{"improve-brams-taylor.svg", []string{"improve", bramsTaylor, "--package", "crossed", "--format", "svg"}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			t.Setenv("PARLEY_FORMAT", "")
			code, stdout, stderr := run(t, "", append([]string{"bargain"}, tt.args...)...)
			if code != 0 {
				t.Fatalf("got exit status %d, want 0 (stderr %q)", code, stderr)
			}
			if stderr != "" {
				t.Errorf("got %q on standard error, want nothing", stderr)
			}
			checkFormat(t, tt.golden, stdout)
			path := filepath.Join(bargainGold, tt.golden)
			if *updateGolden {
				if err := os.MkdirAll(bargainGold, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(stdout), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./cmd/parley -run Bargain -update to create it)", err)
			}
			if stdout != string(want) {
				t.Errorf("output differs from %s (run with -update if the change is right):\n%s", path, stdout)
			}
		})
	}
}

// checkFormat checks that an output is what its golden file's extension
// says: JSON of the bargain schema, well-formed SVG, or text.
func checkFormat(t *testing.T, name, out string) {
	t.Helper()
	switch filepath.Ext(name) {
	case ".json":
		var doc struct {
			Schema string `json:"schema"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Schema != "parley.bargain/v1" {
			t.Errorf("got schema %q and error %v, want JSON of parley.bargain/v1", doc.Schema, err)
		}
	case ".svg":
		var doc struct {
			XMLName xml.Name `xml:"svg"`
			Title   string   `xml:"title"`
		}
		if err := xml.Unmarshal([]byte(out), &doc); err != nil || doc.Title == "" {
			t.Errorf("got title %q and error %v, want a titled SVG", doc.Title, err)
		}
	default:
		if strings.HasPrefix(out, "{") || strings.HasPrefix(out, "<") {
			t.Errorf("got %.40q, want text", out)
		}
	}
}

func TestBargainExitStatus(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"aw", []string{"aw", bramsTaylor}, 0},
		{"flags first", []string{"--format", "json", "frontier", bramsTaylor}, 0},
		{"help", []string{"-h"}, 0},
		{"no arguments", nil, 2},
		{"one argument", []string{"frontier"}, 2},
		{"three arguments", []string{"frontier", bramsTaylor, bramsTaylor}, 2},
		{"unknown method", []string{"pareto", bramsTaylor}, 2},
		{"unknown format", []string{"aw", bramsTaylor, "--format", "html"}, 2},
		{"missing file", []string{"aw", "no-such-file.json"}, 2},
		{"aw of four parties", []string{"aw", ukraine28}, 2},
		{"evaluate without a package", []string{"evaluate", ukraine28}, 2},
		{"unknown package", []string{"improve", ukraine28, "--package", "29-point"}, 2},
		{"previous without evaluate", []string{"improve", ukraine28, "--package", "28-point", "--previous", "20-point"}, 2},
		{"package for aw", []string{"aw", bramsTaylor, "--package", "all-to-carol"}, 2},
		{"package for text frontier", []string{"frontier", ukraine28, "--package", "28-point"}, 2},
		{"svg of aw", []string{"aw", bramsTaylor, "--format", "svg"}, 2},
		{"svg of evaluate", []string{"evaluate", ukraine28, "--package", "28-point", "--format", "svg"}, 2},
		{"epsilon of 1", []string{"frontier", ukraine28, "--epsilon", "1"}, 2},
		{"negative epsilon", []string{"frontier", ukraine28, "--epsilon", "-0.1"}, 2},
		{"epsilon for aw", []string{"aw", bramsTaylor, "--epsilon", "0.1"}, 2},
		{"epsilon for improve", []string{"improve", ukraine28, "--package", "28-point", "--epsilon", "0.1"}, 2},
		{"plot of one party", []string{"frontier", onePartyFile(t), "--format", "svg"}, 2},
		{"text of one party", []string{"frontier", onePartyFile(t)}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, _, stderr := run(t, "", append([]string{"bargain"}, tt.args...)...); got != tt.want {
				t.Errorf("got exit status %d, want %d (stderr %q)", got, tt.want, stderr)
			}
		})
	}
}

func TestBargainErrors(t *testing.T) {
	valid, err := os.ReadFile(bramsTaylor)
	if err != nil {
		t.Fatal(err)
	}
	badJSON := writeFile(t, "bad.json", []byte("{\n  \"parties\": [\"Carol\" \"Bob\"]\n}\n"))
	wrongType := writeFile(t, "type.json", bytes.Replace(valid, []byte(`"steps": 6`), []byte(`"steps": "six"`), 1))
	badWeights := writeFile(t, "weights.json", bytes.Replace(valid, []byte(`"retirement": 50,`), []byte(`"retirement": 48,`), 1))
	unknownField := writeFile(t, "field.json", bytes.Replace(valid, []byte(`"steps": 6`), []byte(`"step": 6`), 1))
	tests := []struct {
		name string
		args []string
		want []string // in the error message
	}{
		{"missing file", []string{"aw", "no-such-file.json"}, []string{"cannot read no-such-file.json"}},
		{"directory", []string{"aw", t.TempDir()}, []string{"is a directory"}},
		{"bad JSON", []string{"aw", badJSON}, []string{"bad.json: line 2, column 23: invalid JSON: invalid character"}},
		{"wrong type", []string{"aw", wrongType}, []string{"type.json: line ", "steps: want an integer, got a string"}},
		{"unknown field", []string{"frontier", unknownField}, []string{"field.json: line ", `step: unknown field`}},
		{"invalid preferences", []string{"frontier", badWeights}, []string{"weights.json: preferences.Carol.weights: sum to 98, not 100"}},
		{"unknown method", []string{"pareto", bramsTaylor}, []string{`unknown method "pareto"`, "frontier, nash, ks, maximin, maxsum, aw, evaluate, improve"}},
		{"unknown package", []string{"evaluate", ukraine28, "--package", "29-point"}, []string{`no package "29-point"; the packages are "20-point", "28-point"`}},
		{"no package", []string{"evaluate", ukraine28}, []string{"evaluate needs --package NAME"}},
		{"aw of four parties", []string{"aw", ukraine28}, []string{"ukraine-28.json: adjusted winner: divides between two parties; the problem has 4"}},
		{"svg of aw", []string{"aw", bramsTaylor, "--format", "svg"}, []string{"aw has no plot"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, "", append([]string{"bargain"}, tt.args...)...)
			if code != 2 {
				t.Errorf("got exit status %d, want 2", code)
			}
			if stdout != "" {
				t.Errorf("got %q on standard output, want nothing", stdout)
			}
			if !strings.HasPrefix(stderr, "parley bargain: ") {
				t.Errorf("got error %q, want it to start with parley bargain:", stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("got error %q, want it to say %q", stderr, w)
				}
			}
		})
	}
}

func TestBargainSeveralProblems(t *testing.T) {
	valid, err := os.ReadFile(bramsTaylor)
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Replace(valid, []byte(`"retirement": 50,`), []byte(`"retirement": 48,`), 1)
	bad = bytes.Replace(bad, []byte(`"retirement": 40,`), []byte(`"retirement": 45,`), 1)
	code, _, stderr := run(t, string(bad), "bargain", "frontier", "-")
	if code != 2 {
		t.Fatalf("got exit status %d, want 2", code)
	}
	// Each problem on a line of its own, the file named once.
	want := "parley bargain: standard input: preferences.Carol.weights: sum to 98, not 100\n  preferences.Bob.weights: sum to 105, not 100\n"
	if stderr != want {
		t.Errorf("got\n%s\nwant\n%s", stderr, want)
	}
}

func TestBargainStdin(t *testing.T) {
	src, err := os.ReadFile(bramsTaylor)
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, string(src), "bargain", "aw", "-", "--format", "json")
	if code != 0 {
		t.Fatalf("got exit status %d, want 0 (stderr %q)", code, stderr)
	}
	var doc struct {
		Split       string            `json:"split"`
		PointsExact map[string]string `json:"points_exact"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Split != "retirement" || doc.PointsExact["Bob"] != "170/3" || doc.PointsExact["Carol"] != "170/3" {
		t.Errorf("got split %q and points %v, want retirement and 170/3 each", doc.Split, doc.PointsExact)
	}
}

func TestBargainFormatFromEnvironment(t *testing.T) {
	tests := []struct {
		env, prefix string
	}{
		{"json", "{"},
		{"svg", "<svg"},
		{"html", "Pareto frontier of Carol and Bob"}, // compare's format: ignored here
		{"", "Pareto frontier of Carol and Bob"},
	}
	for _, tt := range tests {
		t.Run(tt.env, func(t *testing.T) {
			t.Setenv("PARLEY_FORMAT", tt.env)
			code, stdout, stderr := run(t, "", "bargain", "frontier", bramsTaylor)
			if code != 0 || !strings.HasPrefix(stdout, tt.prefix) {
				t.Errorf("got %d and %.30q (stderr %q), want 0 and output starting %q", code, stdout, stderr, tt.prefix)
			}
		})
	}
	t.Setenv("PARLEY_FORMAT", "svg")
	if code, stdout, _ := run(t, "", "bargain", "frontier", bramsTaylor, "--format", "text"); code != 0 || strings.HasPrefix(stdout, "<") {
		t.Errorf("--format text with PARLEY_FORMAT=svg: got %d and %.30q, want text", code, stdout)
	}
}

func TestBargainHelp(t *testing.T) {
	for _, args := range [][]string{{"help", "bargain"}, {"bargain", "--help"}} {
		code, stdout, stderr := run(t, "", args...)
		if code != 0 || !strings.Contains(stdout, "Usage: parley bargain METHOD FILE") || !strings.Contains(stdout, "-epsilon") {
			t.Errorf("%v: got %d, %q, %q, want 0 and the usage with its options on standard output", args, code, stdout, stderr)
		}
	}
	_, stdout, _ := run(t, "", "help")
	if !strings.Contains(stdout, "bargain METHOD FILE") {
		t.Errorf("parley help does not list bargain:\n%s", stdout)
	}
}

// onePartyFile writes a problem of one party, which has a frontier but no
// plot.
func onePartyFile(t *testing.T) string {
	t.Helper()
	return writeFile(t, "one.json", []byte(`{"parties": ["A"], "issues": [{"id": "x", "options": ["a", "b"]}],
		"preferences": {"A": {"weights": {"x": 100}, "ratings": {"x": {"a": 100}}, "reservation": 0}}}`))
}

// -o writes the report to a file, whole, and nothing to standard output;
// a file that cannot be written is an error and leaves nothing behind.
func TestBargainOutputFile(t *testing.T) {
	_, want, _ := run(t, "", "bargain", "aw", bramsTaylor)
	dir := t.TempDir()
	out := filepath.Join(dir, "aw.txt")
	code, stdout, stderr := run(t, "", "bargain", "aw", bramsTaylor, "-o", out)
	if code != 0 || stdout != "" {
		t.Fatalf("-o: got status %d, stdout %q, stderr %q; want 0 and nothing on stdout", code, stdout, stderr)
	}
	if got, err := os.ReadFile(out); err != nil || string(got) != want {
		t.Errorf("-o: the file holds %q (%v), want the report %q", got, err, want)
	}
	code, _, stderr = run(t, "", "bargain", "aw", bramsTaylor, "-o", filepath.Join(dir, "missing", "aw.txt"))
	if code != 2 || !strings.Contains(stderr, "cannot write") {
		t.Errorf("-o into a missing folder: got status %d, stderr %q; want 2 and cannot write", code, stderr)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the folder holds %d files, want the report alone", len(entries))
	}
}
