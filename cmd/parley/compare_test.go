package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run runs the command line and returns its exit status and output.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// writeFile writes a file in a temporary directory and returns its path.
func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const (
	us = "../../examples/us-28-points.txt"
	e3 = "../../examples/e3-counter-proposal.txt"
)

func TestCompareExitStatus(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"identical", []string{"compare", us, us}, 0},
		{"different", []string{"compare", us, e3}, 1},
		{"flags after files", []string{"compare", us, e3, "--format", "json"}, 1},
		{"missing file", []string{"compare", us, "no-such-file.txt"}, 2},
		{"one file", []string{"compare", us}, 2},
		{"unknown format", []string{"compare", us, e3, "--format", "pdf"}, 2},
		{"unknown command", []string{"frobnicate"}, 2},
		{"no command", nil, 2},
		{"help", []string{"compare", "-h"}, 0},
		{"threshold above 1", []string{"compare", us, e3, "--threshold", "2"}, 2},
		{"threshold 0", []string{"compare", us, e3, "--threshold", "0"}, 2},
		{"unknown colour", []string{"compare", us, e3, "--color", "sometimes"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, _, stderr := run(t, "", tt.args...); got != tt.want {
				t.Errorf("got exit status %d, want %d (stderr %q)", got, tt.want, stderr)
			}
		})
	}
}

func TestCompareErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		data []byte
		want string // in the error message
	}{
		{"empty", []byte(" \n\n\t\n"), "the document is empty"},
		{"no points", []byte("A title\n\nJust a paragraph of prose with no numbered points.\n"), "no numbered points"},
		{"binary", []byte("1. ok\n\x00\x01\x02\x03binary"), "binary"},
		{"utf-16", append([]byte{0xFF, 0xFE}, []byte("1\x00.\x00 \x00a\x00")...), "UTF-16"},
		{"windows-1251", []byte("1. \xcf\xf0\xe5\xea\xf0\xe0\xf9\xe5\xed\xe8\xe5 \xee\xe3\xed\xff\n"), "Windows-1251"},
		{"latin-1", []byte("1. Le cessez-le-feu entre en vigueur \xe0 la signature.\n"), "Windows-1252"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, tt.name+".txt", tt.data)
			code, _, stderr := run(t, "", "compare", us, path)
			if code != 2 {
				t.Errorf("got exit status %d, want 2", code)
			}
			if !strings.Contains(stderr, tt.want) || !strings.Contains(stderr, tt.name+".txt") {
				t.Errorf("got error %q, want it to name the file and say %q", stderr, tt.want)
			}
		})
	}
	t.Run("directory", func(t *testing.T) {
		code, _, stderr := run(t, "", "compare", us, dir)
		if code != 2 || !strings.Contains(stderr, "directory") {
			t.Errorf("got %d %q, want 2 and a message about a directory", code, stderr)
		}
	})
	t.Run("invalid UTF-8 position", func(t *testing.T) {
		path := writeFile(t, "bad.txt", []byte("1. fine\n2. caf\xe9 au lait\n"))
		_, _, stderr := run(t, "", "compare", us, path)
		if !strings.Contains(stderr, "line 2, column 7") {
			t.Errorf("got %q, want the position line 2, column 7", stderr)
		}
	})
}

func TestCompareStdinAndOutputFile(t *testing.T) {
	src, err := os.ReadFile(e3)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "report.json")
	code, stdout, stderr := run(t, string(src), "compare", us, "-", "--format", "json", "-o", out)
	if code != 1 {
		t.Fatalf("got exit status %d, want 1 (stderr %q)", code, stderr)
	}
	if stdout != "" {
		t.Errorf("got %d bytes on standard output with -o, want none", len(stdout))
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Schema string `json:"schema"`
		Pairs  []struct {
			Op  string   `json:"op"`
			Old []string `json:"old"`
			New []string `json:"new"`
		} `json:"pairs"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("report is not JSON: %v", err)
	}
	if rep.Schema != "parley.compare/v1" {
		t.Errorf("got schema %q, want parley.compare/v1", rep.Schema)
	}
	found := false
	for _, p := range rep.Pairs {
		if p.Op == "edited" && len(p.Old) == 1 && p.Old[0] == "6" && len(p.New) == 1 && p.New[0] == "6" {
			found = true
		}
	}
	if !found {
		t.Error("report lacks the edited pair 6 → 6 (600,000 → 800,000)")
	}
	if code, _, stderr := run(t, "", "compare", "-", "-"); code != 2 || !strings.Contains(stderr, "standard input") {
		t.Errorf("two standard inputs: got %d %q, want 2 and an explanation", code, stderr)
	}
}

func TestCompareFormats(t *testing.T) {
	tests := []struct {
		format string
		want   []string
		reject []string
	}{
		{"text", []string{"[-600,000-]{+800,000+}#", "edited 6 → 6"}, []string{"\x1b["}},
		{"md", []string{"| Op |", "~~600,000~~"}, nil},
		{"html", []string{"<!DOCTYPE html>", "<del", "800,000"}, []string{"http://", "https://", "<script"}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			t.Setenv("NO_COLOR", "1")
			_, stdout, stderr := run(t, "", "compare", "--format", tt.format, us, e3)
			for _, w := range tt.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("output lacks %q (stderr %q)", w, stderr)
				}
			}
			for _, r := range tt.reject {
				if strings.Contains(stdout, r) {
					t.Errorf("output contains %q", r)
				}
			}
		})
	}
}

func TestCompareOutputFileNotClobberedOnError(t *testing.T) {
	out := writeFile(t, "report.txt", []byte("previous report"))
	code, _, _ := run(t, "", "compare", us, "missing.txt", "-o", out)
	if code != 2 {
		t.Fatalf("got exit status %d, want 2", code)
	}
	if data, _ := os.ReadFile(out); string(data) != "previous report" {
		t.Errorf("output file was changed to %q", data)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*tmp*")); len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestCompareOutputFileMode(t *testing.T) {
	dir := t.TempDir()
	fresh := filepath.Join(dir, "fresh.txt")
	kept := writeFile(t, "kept.txt", []byte("old"))
	if err := os.Chmod(kept, 0o640); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		path string
		want os.FileMode
	}{{fresh, 0o644}, {kept, 0o640}} {
		if code, _, stderr := run(t, "", "compare", us, e3, "-o", tt.path); code != 1 {
			t.Fatalf("got exit status %d (%s), want 1", code, stderr)
		}
		st, err := os.Stat(tt.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm(); got != tt.want {
			t.Errorf("%s: got mode %v, want %v", filepath.Base(tt.path), got, tt.want)
		}
	}
}

func TestCompareHelpOnStdout(t *testing.T) {
	code, stdout, stderr := run(t, "", "compare", "--help")
	if code != 0 || !strings.Contains(stdout, "Usage: parley compare") || !strings.Contains(stdout, "--threshold") || stderr != "" {
		t.Errorf("got %d, stdout %q, stderr %q; want 0 and the usage on standard output only", code, stdout, stderr)
	}
}
