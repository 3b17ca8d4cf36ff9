// Command plangen writes synthetic pairs of plan versions with their ground
// truth, and scores a comparison report against such a truth.
//
// Usage:
//
//	plangen -points 2000 -seed 1 [-adversarial] -out DIR
//	plangen eval -truth DIR/truth.json -report REPORT.json [-min-f1 0.98] [-min-move 0.95]
//
// The first form writes DIR/old.txt, DIR/new.txt and DIR/truth.json. The second
// reads a parley.compare/v1 report, prints the metrics as JSON and, when a
// threshold is given, exits 1 if link F1, move precision or move recall falls
// short of it or if any unchanged or renumbered point was reported as changed.
// Errors exit 2.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"parley/plangen"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Exit codes.
const (
	exitOK    = 0
	exitGate  = 1 // a quality threshold was not met
	exitError = 2
)

// reportSchema is the schema of the comparison reports eval reads.
const reportSchema = "parley.compare/v1"

// run executes the command line args and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "eval" {
		return runEval(args[1:], stdout, stderr)
	}
	return runGenerate(args, stdout, stderr)
}

func runGenerate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plangen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	points := fs.Int("points", 2000, fmt.Sprintf("approximate number of points of the old version, %d..%d", plangen.MinPoints, plangen.MaxPoints))
	seed := fs.Int64("seed", 1, "seed selecting the pair")
	adversarial := fs.Bool("adversarial", false, fmt.Sprintf("write the %d-point reversed near-duplicate pair for speed tests", plangen.AdversarialPoints))
	out := fs.String("out", "", "directory to write old.txt, new.txt and truth.json to (required)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if *out == "" {
		fmt.Fprintln(stderr, "plangen: -out is required")
		return exitError
	}
	if *points < plangen.MinPoints || *points > plangen.MaxPoints {
		fmt.Fprintf(stderr, "plangen: -points %d is out of range %d..%d\n", *points, plangen.MinPoints, plangen.MaxPoints)
		return exitError
	}
	p := plangen.Generate(plangen.Options{Seed: *seed, Points: *points, Adversarial: *adversarial})
	if err := write(*out, p); err != nil {
		fmt.Fprintf(stderr, "plangen: %v\n", err)
		return exitError
	}
	fmt.Fprintf(stdout, "wrote %s: old.txt %d bytes, new.txt %d bytes, truth.json %d links\n",
		*out, len(p.Old), len(p.New), len(p.Truth.Links))
	return exitOK
}

// parse parses the flags; when it fails or help was asked for, it returns the
// exit code and false.
func parse(fs *flag.FlagSet, args []string) (int, bool) {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitOK, false
	case err != nil:
		return exitError, false
	case fs.NArg() > 0:
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return exitError, false
	}
	return 0, true
}

func write(dir string, p *plangen.Pair) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// One link per line keeps the truth readable and diffable.
	var t bytes.Buffer
	t.WriteString("{\"links\": [\n")
	for i, l := range p.Truth.Links {
		b, err := json.Marshal(l)
		if err != nil {
			return err
		}
		t.Write(b)
		if i < len(p.Truth.Links)-1 {
			t.WriteByte(',')
		}
		t.WriteByte('\n')
	}
	t.WriteString("]}\n")
	for name, data := range map[string][]byte{"old.txt": p.Old, "new.txt": p.New, "truth.json": t.Bytes()} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// report is the part of a comparison report that eval reads.
type report struct {
	Schema string         `json:"schema"`
	Pairs  []plangen.Link `json:"pairs"`
}

func runEval(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plangen eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	truthPath := fs.String("truth", "", "truth.json written by plangen (required)")
	reportPath := fs.String("report", "", reportSchema+" comparison report (required)")
	minF1 := fs.Float64("min-f1", 0, "exit 1 when link F1 is below this, or any false change occurs")
	minMove := fs.Float64("min-move", 0, "exit 1 when move precision or recall is below this, or any false change occurs")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if *truthPath == "" || *reportPath == "" {
		fmt.Fprintln(stderr, "plangen eval: -truth and -report are required")
		return exitError
	}
	var truth plangen.Truth
	if err := readJSON(*truthPath, &truth); err != nil {
		fmt.Fprintf(stderr, "plangen eval: %v\n", err)
		return exitError
	}
	var rep report
	if err := readJSON(*reportPath, &rep); err != nil {
		fmt.Fprintf(stderr, "plangen eval: %v\n", err)
		return exitError
	}
	if rep.Schema != reportSchema {
		fmt.Fprintf(stderr, "plangen eval: %s: schema is %q, want %q\n", *reportPath, rep.Schema, reportSchema)
		return exitError
	}
	m := plangen.Evaluate(truth, rep.Pairs)
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		fmt.Fprintf(stderr, "plangen eval: %v\n", err)
		return exitError
	}
	fmt.Fprintf(stdout, "%s\n", b)

	if *minF1 == 0 && *minMove == 0 {
		return exitOK
	}
	failed := false
	fail := func(format string, a ...any) {
		fmt.Fprintf(stderr, "plangen eval: "+format+"\n", a...)
		failed = true
	}
	if m.LinkF1 < *minF1 {
		fail("link F1 %.4f is below %.4f", m.LinkF1, *minF1)
	}
	if m.MovePrecision < *minMove {
		fail("move precision %.4f is below %.4f", m.MovePrecision, *minMove)
	}
	if m.MoveRecall < *minMove {
		fail("move recall %.4f is below %.4f", m.MoveRecall, *minMove)
	}
	if m.FalseChanges > 0 {
		fail("%d of %d unchanged or renumbered points reported as changed", m.FalseChanges, m.RenumberOnly)
	}
	if failed {
		return exitGate
	}
	return exitOK
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
