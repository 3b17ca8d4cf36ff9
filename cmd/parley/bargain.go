package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"parley/bargain"
)

// bargainUsage documents parley bargain.
const bargainUsage = `Usage: parley bargain METHOD FILE [--format text|json|svg] [--package NAME]
                      [--previous NAME] [--epsilon F] [-o FILE]

Analyses a negotiation described in FILE, JSON ("-" reads standard input):
the parties, the issues and their options, each party's weights, ratings,
reservation level and never-list, and named packages (see
examples/bargain/).

Methods:
  frontier  the Pareto frontier: the packages no other package improves on
            for every party (for three parties or more, an ε-Pareto set)
  nash      the Nash bargaining solution
  ks        the Kalai–Smorodinsky solution
  maximin   the package with the largest smallest gain over reservation
  maxsum    the package with the largest total utility
  aw        Adjusted Winner: two parties divide the issues, splitting one
  evaluate  what the package --package means for each party; with
            --previous, what each party gave up against that package
  improve   the packages every party prefers to --package

--format svg draws the frontier with the fair points marked, for frontier,
nash, ks, maximin, maxsum and improve; improve marks the tentative package
and its improvements, and the others mark --package when it is given. With
three parties or more the plot shows the first two, and its title says so.
aw and evaluate have no plot: their results are a table, not a frontier.

Exit status: 0 on success, 2 on trouble.

Options:
`

// bargainMethods lists the methods in the order of the usage.
var bargainMethods = []string{
	bargain.MethodFrontier, bargain.MethodNash, bargain.MethodKS, bargain.MethodMaximin,
	bargain.MethodMaxSum, bargain.MethodAW, bargain.MethodEvaluate, bargain.MethodImprove,
}

// fairMethods are the methods that pick a fair point.
var fairMethods = []string{bargain.MethodNash, bargain.MethodKS, bargain.MethodMaximin, bargain.MethodMaxSum}

// bargainFormats are the output formats of parley bargain.
var bargainFormats = []string{"text", "json", "svg"}

func runBargain(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bargain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	// PARLEY_FORMAT is shared with parley compare, whose formats differ: it
	// counts here only when it names one of ours.
	defFormat := "text"
	if env := envOr("PARLEY_FORMAT", ""); slices.Contains(bargainFormats, env) {
		defFormat = env
	}
	format := fs.String("format", defFormat, "output `format`: text, json or svg (env PARLEY_FORMAT, when it names one of these)")
	pkgName := fs.String("package", "", "the `NAME` of a package of FILE: evaluated (evaluate), improved on (improve) or marked (svg)")
	previous := fs.String("previous", "", "with evaluate, the `NAME` of the package before, to count concessions against")
	epsilon := fs.Float64("epsilon", 0, "for three parties or more, the ε of the ε-Pareto set, a fraction of each party's range (0 means 0.005)")
	outFile := fs.String("o", "", "write the report to `FILE` instead of standard output")
	pos, status, stop := parseWithHelp(fs, args, bargainUsage, stdout)
	if stop {
		return status
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	job := bargainJob{format: *format, pkg: *pkgName, previous: *previous, epsilon: *epsilon}
	if len(pos) > 0 {
		job.method = pos[0]
	}
	if len(pos) > 1 {
		job.file = pos[1]
	}
	if msg := job.check(len(pos), set); msg != "" {
		fmt.Fprintf(stderr, "parley bargain: %s\n", msg)
		if len(pos) != 2 {
			fs.Usage()
		}
		return 2
	}
	// The work runs aside so that an interrupt ends the command at once;
	// the output is written only when complete.
	type result struct {
		out []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		var out bytes.Buffer
		err := job.run(stdin, &out)
		done <- result{out.Bytes(), err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			fmt.Fprintf(stderr, "parley bargain: %s\n", indentLines(r.err.Error()))
			return 2
		}
		if *outFile != "" {
			// The report goes in place whole, or not at all.
			tmp, err := createTemp(*outFile)
			if err == nil {
				_, werr := tmp.Write(r.out)
				err = commitTemp(tmp, *outFile, werr)
			}
			if err != nil {
				fmt.Fprintf(stderr, "parley bargain: %v\n", err)
				return 2
			}
			return 0
		}
		if _, err := stdout.Write(r.out); err != nil {
			fmt.Fprintf(stderr, "parley bargain: %v\n", err)
			return 2
		}
		return 0
	case <-ctx.Done():
		fmt.Fprintln(stderr, "parley bargain: interrupted")
		return 2
	}
}

// bargainJob is one run of parley bargain.
type bargainJob struct {
	method, file  string
	format        string
	pkg, previous string
	epsilon       float64
}

// check checks the arguments before any file is read, and says what is
// wrong; "" when nothing is. n is the number of positional arguments,
// set the flags given.
func (j bargainJob) check(n int, set map[string]bool) string {
	switch {
	case n != 2:
		return fmt.Sprintf("want a method and a file, got %d arguments", n)
	case !slices.Contains(bargainMethods, j.method):
		return fmt.Sprintf("unknown method %q (want %s)", j.method, strings.Join(bargainMethods, ", "))
	case !slices.Contains(bargainFormats, j.format):
		return fmt.Sprintf("unknown format %q (want text, json or svg)", j.format)
	case j.format == "svg" && (j.method == bargain.MethodAW || j.method == bargain.MethodEvaluate):
		return fmt.Sprintf("%s has no plot; --format svg draws the frontier, for frontier, nash, ks, maximin, maxsum and improve", j.method)
	case (j.method == bargain.MethodEvaluate || j.method == bargain.MethodImprove) && j.pkg == "":
		return fmt.Sprintf("%s needs --package NAME, a package of the file", j.method)
	case set["package"] && j.method == bargain.MethodAW:
		return "--package does not apply to aw"
	case set["package"] && j.format != "svg" && j.method != bargain.MethodEvaluate && j.method != bargain.MethodImprove:
		return fmt.Sprintf("--package applies to evaluate and improve, and to %s only with --format svg, where it marks the package", j.method)
	case set["previous"] && j.method != bargain.MethodEvaluate:
		return "--previous applies to evaluate only"
	case set["epsilon"] && (j.method == bargain.MethodAW || j.method == bargain.MethodEvaluate):
		return fmt.Sprintf("--epsilon does not apply to %s", j.method)
	case set["epsilon"] && j.method == bargain.MethodImprove:
		// Improve searches the frontier at the engine's own ε, which it
		// states in its answer; a different ε would plot one frontier and
		// search another.
		return fmt.Sprintf("--epsilon does not apply to improve, which works at ε = %v", bargain.DefaultEpsilon)
	case math.IsNaN(j.epsilon) || j.epsilon < 0 || j.epsilon >= 1:
		return fmt.Sprintf("--epsilon must be at least 0 and below 1, got %v", j.epsilon)
	}
	return ""
}

// run reads the problem, applies the method and writes the result to w.
func (j bargainJob) run(stdin io.Reader, w io.Writer) error {
	src, err := readInput(j.file, stdin)
	if err != nil {
		return err
	}
	label := inputLabel(j.file)
	p, err := bargain.ParseProblem(bytes.NewReader(src))
	if err != nil {
		return fmt.Errorf("%s: %w", label, err)
	}
	var tentative, before bargain.Package
	if j.pkg != "" {
		if tentative, err = lookupPackage(p, label, j.pkg); err != nil {
			return err
		}
	}
	if j.previous != "" {
		if before, err = lookupPackage(p, label, j.previous); err != nil {
			return err
		}
	}
	if j.format == "svg" {
		return j.plot(p, tentative, w)
	}
	doc := bargain.Document{Problem: p, Method: j.method, Package: j.pkg, Previous: j.previous}
	switch j.method {
	case bargain.MethodFrontier:
		doc.Frontier, err = bargain.Pareto(p, j.epsilon)
	case bargain.MethodAW:
		doc.Division, err = bargain.AdjustedWinner(p)
	case bargain.MethodEvaluate:
		doc.Evaluation, err = bargain.Evaluate(p, tentative, before)
	case bargain.MethodImprove:
		doc.Improvement, err = bargain.Improve(p, tentative, 0, nil)
	default:
		var fr *bargain.Frontier
		if fr, err = bargain.Pareto(p, j.epsilon); err == nil {
			doc.Solution, err = bargain.Fair(p, j.method, fr)
		}
	}
	if err != nil {
		return fmt.Errorf("%s: %w", label, err)
	}
	if j.format == "json" {
		return doc.WriteJSON(w)
	}
	return doc.WriteText(w)
}

// plot draws the frontier of the first two parties with the fair points,
// and the tentative package and its improvements for improve (or the
// package named, for the other methods).
func (j bargainJob) plot(p *bargain.Problem, tentative bargain.Package, w io.Writer) error {
	if len(p.Parties) < 2 {
		return fmt.Errorf("a plot needs two parties; the problem has %d", len(p.Parties))
	}
	fr, err := bargain.Pareto(p, j.epsilon)
	if err != nil {
		return err
	}
	opt := bargain.PlotOptions{X: p.Parties[0], Y: p.Parties[1], TentativeName: j.pkg}
	for _, m := range fairMethods {
		s, err := bargain.Fair(p, m, fr)
		if err != nil {
			return err
		}
		opt.Fair = append(opt.Fair, s)
	}
	switch {
	case j.method == bargain.MethodImprove:
		im, err := bargain.Improve(p, tentative, 0, fr)
		if err != nil {
			return err
		}
		opt.Tentative, opt.Improvements = im.Tentative, im.Packages
	case tentative != nil:
		e, err := bargain.Evaluate(p, tentative, nil)
		if err != nil {
			return err
		}
		opt.Tentative = e.Outcome
	}
	plot, err := bargain.FrontierPlot(fr, opt)
	if err != nil {
		return err
	}
	return plot.WriteSVG(w)
}

// lookupPackage returns the package of p named name, or an error that
// lists the names there are.
func lookupPackage(p *bargain.Problem, label, name string) (bargain.Package, error) {
	if pkg, ok := p.Packages[name]; ok {
		return pkg, nil
	}
	if len(p.Packages) == 0 {
		return nil, fmt.Errorf("%s: no package %q: the file names no packages (add them under \"packages\")", label, name)
	}
	names := make([]string, 0, len(p.Packages))
	for n := range p.Packages {
		names = append(names, fmt.Sprintf("%q", n))
	}
	slices.Sort(names)
	return nil, fmt.Errorf("%s: no package %q; the packages are %s", label, name, strings.Join(names, ", "))
}

// indentLines puts each line after the first of a message on a line of
// its own, indented: Validate reports several problems, one a line.
func indentLines(msg string) string {
	lines := strings.Split(msg, "\n")
	if len(lines) == 1 {
		return msg
	}
	return lines[0] + "\n  " + strings.Join(lines[1:], "\n  ")
}
