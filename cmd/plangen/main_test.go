package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"parley/plangen"
)

// writeReport writes links as a parley.compare/v1 report and returns its path.
func writeReport(t *testing.T, schema string, links []plangen.Link) string {
	t.Helper()
	type pair struct {
		plangen.Link
		Similarity float64 `json:"similarity"`
	}
	rep := struct {
		Schema  string         `json:"schema"`
		Pairs   []pair         `json:"pairs"`
		Summary map[string]int `json:"summary"`
	}{Schema: schema, Summary: map[string]int{"pairs": len(links)}}
	for _, l := range links {
		rep.Pairs = append(rep.Pairs, pair{l, 0.9})
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "report.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-points", "300", "-seed", "2", "-out", dir}, &stdout, &stderr); code != exitOK {
		t.Fatalf("generate: got exit %d, want 0; stderr %s", code, stderr.String())
	}
	var truth plangen.Truth
	b, err := os.ReadFile(filepath.Join(dir, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &truth); err != nil {
		t.Fatalf("truth.json: %v", err)
	}
	want := plangen.Generate(plangen.Options{Seed: 2, Points: 300})
	if got, _ := os.ReadFile(filepath.Join(dir, "old.txt")); !bytes.Equal(got, want.Old) {
		t.Error("old.txt: got a different text than Generate, want the same")
	}
	if len(truth.Links) != len(want.Truth.Links) {
		t.Fatalf("truth.json: got %d links, want %d", len(truth.Links), len(want.Truth.Links))
	}
	truthPath := filepath.Join(dir, "truth.json")

	damaged := append([]plangen.Link(nil), truth.Links...)
	for i, l := range damaged {
		if l.Op == plangen.OpRenumbered {
			damaged[i].Edited = true
			break
		}
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		out  string // expected in stdout or stderr
	}{
		{"perfect report", []string{"-report", writeReport(t, reportSchema, truth.Links), "-min-f1", "0.98", "-min-move", "0.95"}, exitOK, `"link_f1": 1`},
		{"false change", []string{"-report", writeReport(t, reportSchema, damaged), "-min-f1", "0.98", "-min-move", "0.95"}, exitGate, "reported as changed"},
		{"false change without thresholds", []string{"-report", writeReport(t, reportSchema, damaged)}, exitOK, `"false_changes": 1`},
		{"empty report", []string{"-report", writeReport(t, reportSchema, nil), "-min-f1", "0.98"}, exitGate, "link F1 0.0000 is below"},
		{"wrong schema", []string{"-report", writeReport(t, "other/v2", truth.Links)}, exitError, "schema"},
		{"missing report", []string{"-report", filepath.Join(dir, "nope.json")}, exitError, "nope.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"eval", "-truth", truthPath}, tc.args...)
			if code := run(args, &stdout, &stderr); code != tc.code {
				t.Errorf("got exit %d, want %d; stderr %s", code, tc.code, stderr.String())
			}
			if all := stdout.String() + stderr.String(); !strings.Contains(all, tc.out) {
				t.Errorf("got output %q, want it to contain %q", all, tc.out)
			}
		})
	}
}

func TestRunUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"no out", []string{"-points", "100"}},
		{"points out of range", []string{"-points", "5", "-out", t.TempDir()}},
		{"unknown flag", []string{"-bogus"}},
		{"eval without truth", []string{"eval", "-report", "r.json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(tc.args, &stdout, &stderr); code != exitError {
				t.Errorf("got exit %d, want %d", code, exitError)
			}
			if stderr.Len() == 0 {
				t.Error("got no message on stderr, want one")
			}
		})
	}
}
