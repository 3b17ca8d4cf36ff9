package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"

	"parley/compare"
	"parley/plantext"

	"golang.org/x/term"
)

// compareUsage documents parley compare.
const compareUsage = `Usage: parley compare OLD NEW [--format text|json|html|md] [-o FILE]
                      [--threshold 0.5] [--color auto|always|never]

Compares two versions of a plan point by point: unchanged, renumbered,
moved, edited (with the words that changed), merged, split, added, dropped.
OLD and NEW are plain-text or Markdown files; "-" reads standard input.

Exit status: 0 identical, 1 different, 2 trouble.

The text report is coloured on a terminal unless NO_COLOR is set to a
non-empty value or TERM is dumb; --color always or never overrides both.

Options:
`

// maxInput bounds each input file.
const maxInput = 64 << 20

func runCompare(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", envOr("PARLEY_FORMAT", "text"), "output `format`: text, json, html or md (env PARLEY_FORMAT)")
	out := fs.String("o", "", "write the report to `FILE` instead of standard output")
	threshold := fs.Float64("threshold", 0.5, "similarity below which two points are different")
	color := fs.String("color", "auto", "colour the text report: auto, always or never")
	pos, status, stop := parseWithHelp(fs, args, compareUsage, stdout)
	if stop {
		return status
	}
	if len(pos) != 2 {
		fmt.Fprintf(stderr, "parley compare: want two files, OLD and NEW, got %d\n", len(pos))
		fs.Usage()
		return 2
	}
	switch *format {
	case "text", "json", "html", "md":
	default:
		fmt.Fprintf(stderr, "parley compare: unknown format %q (want text, json, html or md)\n", *format)
		return 2
	}
	if !(*threshold > 0 && *threshold <= 1) {
		fmt.Fprintf(stderr, "parley compare: --threshold must be above 0 and at most 1, got %v\n", *threshold)
		return 2
	}
	switch *color {
	case "auto", "always", "never":
	default:
		fmt.Fprintf(stderr, "parley compare: unknown colour setting %q (want auto, always or never)\n", *color)
		return 2
	}
	if pos[0] == "-" && pos[1] == "-" {
		fmt.Fprintln(stderr, "parley compare: only one of OLD and NEW can be standard input")
		return 2
	}
	// The output file is opened first, so that a wrong -o fails at once.
	var tmp *os.File
	if *out != "" {
		var err error
		if tmp, err = createTemp(*out); err != nil {
			fmt.Fprintf(stderr, "parley compare: %v\n", err)
			return 2
		}
	}
	job := compareJob{
		names:     pos,
		stdin:     stdin,
		stdout:    stdout,
		tmp:       tmp,
		out:       *out,
		format:    *format,
		color:     *color,
		threshold: *threshold,
	}
	// The work runs aside so that an interrupt ends the command at once,
	// leaving no temporary file behind.
	done := make(chan int, 1)
	var msg strings.Builder
	go func() { done <- job.run(&msg) }()
	select {
	case code := <-done:
		fmt.Fprint(stderr, msg.String())
		return code
	case <-ctx.Done():
		if tmp != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
		fmt.Fprintln(stderr, "parley compare: interrupted")
		return 2
	}
}

// compareJob is one run of parley compare, after its arguments are checked.
type compareJob struct {
	names         []string // OLD and NEW, "-" for standard input
	stdin         io.Reader
	stdout        io.Writer
	tmp           *os.File // the temporary output file, with -o
	out           string   // the -o file name
	format, color string
	threshold     float64
}

// run reads, parses and compares the two versions and writes the report.
// It writes errors to stderr and returns the exit status.
func (j compareJob) run(stderr io.Writer) int {
	fail := func(err error) int {
		if j.tmp != nil {
			j.tmp.Close()
			os.Remove(j.tmp.Name())
		}
		fmt.Fprintf(stderr, "parley compare: %v\n", err)
		return 2
	}
	// Read and parse both versions at once, each on its own: on a large
	// plan this is a good part of the work. The collector is set from the
	// files' sizes before they are read (standard input counts as empty).
	size := int64(0)
	for _, name := range j.names {
		if st, err := os.Stat(name); name != "-" && err == nil {
			size += st.Size()
		}
	}
	defer tuneGC(size)()
	var docs [2]*plantext.Document
	var errs [2]error
	var wg sync.WaitGroup
	for k, name := range j.names {
		wg.Go(func() {
			src, err := readInput(name, j.stdin)
			if err == nil {
				docs[k], err = parsePlan(inputLabel(name), src)
			}
			errs[k] = err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return fail(err)
		}
	}
	rep := compare.Compare(docs[0], docs[1], compare.Options{Threshold: j.threshold})

	w := io.Writer(j.stdout)
	if j.tmp != nil {
		w = j.tmp
	}
	names := compare.Names{OldName: filepath.Base(inputLabel(j.names[0])), NewName: filepath.Base(inputLabel(j.names[1]))}
	var err error
	switch j.format {
	case "json":
		err = compare.WriteJSON(w, rep)
	case "html":
		err = compare.WriteHTML(w, rep, names)
	case "md":
		err = compare.WriteMarkdown(w, rep, names)
	default:
		opt := compare.TextOptions{Width: 80}
		if j.tmp == nil {
			opt = terminalText(j.stdout, j.color)
		} else if j.color == "always" {
			opt.Color = true
		}
		err = compare.WriteText(w, rep, opt)
	}
	if j.tmp != nil {
		err = commitTemp(j.tmp, j.out, err)
	}
	if err != nil {
		fmt.Fprintf(stderr, "parley compare: %v\n", err)
		return 2
	}
	if rep.Summary.Identical {
		return 0
	}
	return 1
}

// inputLabel names an input in messages.
func inputLabel(name string) string {
	if name == "-" {
		return "standard input"
	}
	return name
}

// readInput reads one input whole, saying which file is wrong and how. A
// file is read in one go into a buffer of its size.
func readInput(name string, stdin io.Reader) ([]byte, error) {
	var src []byte
	var err error
	if name == "-" {
		src, err = io.ReadAll(io.LimitReader(stdin, maxInput+1))
	} else {
		var f *os.File
		if f, err = os.Open(name); err == nil {
			var st os.FileInfo
			switch st, err = f.Stat(); {
			case err != nil:
			case st.IsDir():
				err = fmt.Errorf("%s is a directory, not a file", name)
			case st.Size() > maxInput:
				err = fmt.Errorf("%s: larger than the limit of %d MiB", name, maxInput>>20)
			default:
				src = make([]byte, 0, st.Size()+1)
				src, err = readAll(io.LimitReader(f, maxInput+1), src)
			}
			f.Close()
		}
	}
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("cannot read %s: %v", name, pe.Err)
		}
		return nil, err
	}
	if len(src) > maxInput {
		return nil, fmt.Errorf("%s: larger than the limit of %d MiB", inputLabel(name), maxInput>>20)
	}
	return src, nil
}

// readAll reads r to the end into buf, growing it only if needed.
func readAll(r io.Reader, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// parsePlan parses one input, saying what is wrong with it and where.
func parsePlan(label string, src []byte) (*plantext.Document, error) {
	if len(bytes.TrimSpace(bytes.TrimPrefix(src, []byte("\xef\xbb\xbf")))) == 0 {
		return nil, fmt.Errorf("%s: the document is empty", label)
	}
	d, err := plantext.Parse(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", label, err)
	}
	if len(d.Points) == 0 {
		return nil, fmt.Errorf("%s: no numbered points found (expected lines such as \"1. ...\", \"Point 1: ...\", \"Article 1\" or bullets)", label)
	}
	return d, nil
}

// parseWithHelp parses the flags of a command that writes a report,
// which may come among its positional arguments, with usage as the head
// of its help. Help asked
// for goes to standard output, for a pager. done says the command stops
// there with status: 0 after help, 2 after a bad flag (which the flag
// set has reported).
func parseWithHelp(fs *flag.FlagSet, args []string, usage string, stdout io.Writer) (pos []string, status int, done bool) {
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			fs.SetOutput(stdout)
		}
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, 0, true
		}
		return nil, 2, true
	}
	return pos, 0, false
}

// parseInterspersed parses flags that may come before, between or after the
// positional arguments ("parley compare a.txt b.txt --format json"). A lone
// "-" is a positional argument (standard input); "--" ends the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > 0 && len(rest) < len(args) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// createTemp creates a temporary file beside name, so that the report can
// be renamed into place once complete: a failed run never leaves a
// half-written report.
func createTemp(name string) (*os.File, error) {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp*")
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("cannot write %s: %v", name, err)
	}
	// A report is an ordinary file: keep the mode of the one it replaces,
	// or make it readable by all, like a file the shell would create.
	mode := os.FileMode(0o644)
	if st, err := os.Stat(name); err == nil {
		mode = st.Mode().Perm()
	}
	if err := f.Chmod(mode); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("cannot write %s: %v", name, err)
	}
	return f, nil
}

// commitTemp finishes a report written to f: on success it closes f and
// renames it to name, so that readers see the old report or the whole new
// one, never part of it; on failure (werr, or any step) it removes f. A
// report can be made again, so it is not synced to disk.
func commitTemp(f *os.File, name string, werr error) error {
	err := werr
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		os.Remove(f.Name())
		if werr != nil {
			return werr
		}
		return fmt.Errorf("cannot write %s: %v", name, err)
	}
	return nil
}

// tuneGC lets a comparison run without garbage collection until the heap
// nears a limit proportional to the input: the command is short-lived, and
// collecting (and faulting in fresh pages after each cycle) costs more than
// the memory it would save. The limit keeps the peak near 12 times the
// input, with a floor for small plans. The returned function restores the
// collector's settings.
func tuneGC(inputBytes int64) (restore func()) {
	limit := debug.SetMemoryLimit(max(64<<20, 12*inputBytes))
	percent := debug.SetGCPercent(-1)
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}

func envOr(key, def string) string {
	if v, ok := os.LookupEnv(key); ok && strings.TrimSpace(v) != "" {
		return v
	}
	return def
}

// terminalText chooses colour and width for the text view on w: colour
// only on a terminal, never with NO_COLOR set to a non-empty value or
// TERM=dumb (unless forced with --color always); the terminal's width, or $COLUMNS, or 80.
func terminalText(w io.Writer, color string) compare.TextOptions {
	opt := compare.TextOptions{Width: 80}
	f, isFile := w.(*os.File)
	tty := isFile && term.IsTerminal(int(f.Fd()))
	switch color {
	case "always":
		opt.Color = true
	case "auto":
		// NO_COLOR counts when set and not empty (no-color.org).
		opt.Color = tty && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
	}
	if tty {
		if width, _, err := term.GetSize(int(f.Fd())); err == nil && width > 0 {
			opt.Width = width
			return opt
		}
	}
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		opt.Width = n
	}
	return opt
}
