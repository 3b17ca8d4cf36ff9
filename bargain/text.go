package bargain

import (
	"bufio"
	"fmt"
	"io"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// methodTitles name the methods in reports.
var methodTitles = map[string]string{
	MethodNash:    "Nash bargaining solution",
	MethodKS:      "Kalai–Smorodinsky solution",
	MethodMaximin: "Maximin solution",
	MethodMaxSum:  "Largest total utility",
}

// methodDefinitions say what each fair-point method picks.
var methodDefinitions = map[string]string{
	MethodNash:    "the largest product of gains over reservation levels",
	MethodKS:      "the largest smallest ratio of gain to best possible gain",
	MethodMaximin: "the largest smallest gain over reservation levels",
	MethodMaxSum:  "the largest sum of utilities",
}

// WriteText writes the document as a report for people: aligned tables,
// utilities to two decimals in tables (marked ≈ when rounded) and
// exactly, as fractions, where a single package is reported; shares of a
// split issue are always exact.
func (d Document) WriteText(w io.Writer) error {
	if d.Problem == nil {
		return fmt.Errorf("bargain: a document without its problem")
	}
	bw := bufio.NewWriter(w)
	t := &textWriter{w: bw, p: d.Problem}
	var err error
	switch d.Method {
	case MethodFrontier:
		err = t.frontier(d.Frontier)
	case MethodNash, MethodKS, MethodMaximin, MethodMaxSum:
		err = t.solution(d.Method, d.Solution)
	case MethodAW:
		err = t.division(d.Division)
	case MethodEvaluate:
		err = t.evaluation(d.Evaluation, d.Package, d.Previous)
	case MethodImprove:
		err = t.improvement(d.Improvement, d.Package)
	default:
		err = fmt.Errorf("bargain: unknown method %q", d.Method)
	}
	if err != nil {
		return err
	}
	if d.Problem.Note != "" {
		t.printf("\nNote: %s\n", d.Problem.Note)
	}
	if t.err != nil {
		return t.err
	}
	return bw.Flush()
}

// textWriter writes a text report and keeps the first error.
type textWriter struct {
	w   io.Writer
	p   *Problem
	err error
}

func (t *textWriter) printf(format string, args ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, args...)
	}
}

// table writes rows of cells, columns aligned, each line indented by two
// spaces.
func (t *textWriter) table(rows [][]string) {
	if t.err != nil {
		return
	}
	tw := tabwriter.NewWriter(t.w, 0, 0, 2, ' ', 0)
	for _, row := range rows {
		fmt.Fprintf(tw, "  %s\n", strings.Join(row, "\t"))
	}
	t.err = tw.Flush()
}

// frontier writes the frontier's packages as a table.
func (t *textWriter) frontier(fr *Frontier) error {
	if fr == nil {
		return fmt.Errorf("bargain: a frontier document without its frontier")
	}
	n := len(fr.Outcomes)
	if fr.Exact {
		t.printf("Pareto frontier of %s: %s.\n", listNames(fr.Parties), plural(n, "package"))
	} else {
		t.printf("ε-Pareto set of %s (ε = %v of each party's range): %s.\n", listNames(fr.Parties), fr.Epsilon, plural(n, "package"))
		t.printf("Every feasible package is within ε of one of these for every party.\n")
	}
	if n > 0 {
		t.printf("\n")
		t.outcomeTable(fr.Outcomes, fr.Parties)
	}
	return nil
}

// outcomeTable writes packages as rows: number, utilities, choices.
func (t *textWriter) outcomeTable(outcomes []*Outcome, parties []string) {
	head := []string{"#"}
	head = append(head, parties...)
	for _, is := range t.p.Issues {
		head = append(head, is.ID)
	}
	rows := [][]string{head}
	for k, o := range outcomes {
		row := []string{fmt.Sprint(k + 1)}
		for _, party := range parties {
			row = append(row, approxText(o.Utility[party]))
		}
		for _, is := range t.p.Issues {
			row = append(row, choiceText(is, o.Choice[is.ID]))
		}
		rows = append(rows, row)
	}
	t.table(rows)
}

// solution writes a fair point.
func (t *textWriter) solution(method string, s *Solution) error {
	if s == nil {
		return fmt.Errorf("bargain: a %s document without its solution", method)
	}
	t.printf("%s (%s): %s.\n", methodTitles[method], method, methodDefinitions[method])
	if s.Outcome == nil {
		t.printf("\nNo feasible package gives every party at least its reservation level.\n")
		return nil
	}
	t.printf("Value: %s\n", trimFloat(s.Value))
	if s.Approximate {
		t.printf("Chosen from an ε-Pareto set: the value is within the set's tolerance of the best.\n")
	}
	t.printf("\n")
	t.utilities(s.Outcome, nil)
	t.printf("\n")
	t.packageTable(s.Outcome.Choice)
	return nil
}

// utilities writes each party's utility exactly, with its reservation
// and, when given, its ideal and distance.
func (t *textWriter) utilities(o *Outcome, e *Evaluation) {
	head := []string{"party", "utility", "reservation"}
	if e != nil {
		head = append(head, "ideal", "distance")
	}
	rows := [][]string{head}
	for _, party := range t.p.Parties {
		row := []string{party, exactText(o.Utility[party]), trimFloat(t.p.Preferences[party].Reservation)}
		if e != nil {
			row = append(row, exactText(e.Ideal[party]), exactText(e.Distance[party]))
		}
		rows = append(rows, row)
	}
	t.table(rows)
}

// packageTable writes a package issue by issue.
func (t *textWriter) packageTable(pkg Package) {
	rows := [][]string{{"issue", "choice"}}
	for _, is := range t.p.Issues {
		rows = append(rows, []string{is.ID, choiceText(is, pkg[is.ID])})
	}
	t.table(rows)
}

// division writes an Adjusted Winner division.
func (t *textWriter) division(d *Division) error {
	if d == nil || d.Outcome == nil {
		return fmt.Errorf("bargain: an aw document without its division")
	}
	a, b := d.Parties[0], d.Parties[1]
	t.printf("Adjusted Winner between %s and %s: each ends with %s points", a, b, exactText(d.Points[a]))
	if d.Split == "" {
		t.printf("; no issue is split.\n\n")
	} else {
		t.printf("; %s is split.\n\n", d.Split)
	}
	rows := [][]string{{"issue", "goes to", a + "'s points", b + "'s points"}}
	for _, is := range t.p.Issues {
		c := d.Choice[is.ID]
		row := []string{is.ID, choiceText(is, c)}
		for _, party := range d.Parties {
			row = append(row, exactText(awShare(t.p, party, is.ID, c)))
		}
		rows = append(rows, row)
	}
	rows = append(rows, []string{"total", "", exactText(d.Points[a]), exactText(d.Points[b])})
	t.table(rows)
	t.printf("\nEquitable (equal points), envy-free, efficient; at most one issue split.\n")
	return nil
}

// awShare returns the points a party gets from its share of an issue,
// as Adjusted Winner counts them.
func awShare(p *Problem, party, issue string, c Choice) *big.Rat {
	pr := p.Preferences[party]
	rating := 100
	if r := pr.Ratings[issue]; len(r) > 0 {
		rating = r[party]
	}
	pts := big.NewRat(int64(pr.Weights[issue])*int64(rating), 100)
	switch {
	case c.Shares != nil && c.Shares[party] != nil:
		return pts.Mul(pts, c.Shares[party])
	case c.Option == party:
		return pts
	}
	return new(big.Rat)
}

// evaluation writes what a package means for every party.
func (t *textWriter) evaluation(e *Evaluation, name, previous string) error {
	if e == nil || e.Outcome == nil {
		return fmt.Errorf("bargain: an evaluate document without its evaluation")
	}
	t.printf("Package %s for %s.\n\n", quoteName(name), listNames(t.p.Parties))
	t.packageTable(e.Choice)
	t.printf("\n")
	t.utilities(e.Outcome, e)
	t.printf("\n")
	if e.Feasible {
		t.printf("Feasible: no party's never-list is touched.\n")
	} else {
		t.printf("Not feasible:\n")
		for _, v := range e.Violations {
			t.printf("  %s\n", v)
		}
	}
	if len(e.Below) > 0 {
		t.printf("Below their reservation level: %s.\n", listNames(e.Below))
	} else {
		t.printf("Every party gets at least its reservation level.\n")
	}
	if e.Concessions == nil {
		return nil
	}
	t.printf("\nChanges against %s, and what each cost (a negative cost is a gain):\n", quoteName(previous))
	rows := [][]string{{"party", "issue", "from", "to", "cost"}}
	for _, party := range t.p.Parties {
		for _, c := range e.Concessions[party] {
			is := t.issue(c.Issue)
			rows = append(rows, []string{party, c.Issue, choiceText(is, c.From), choiceText(is, c.To), exactText(c.Loss)})
		}
	}
	if len(rows) == 1 {
		t.printf("  none: the packages agree on every issue.\n")
		return nil
	}
	t.table(rows)
	return nil
}

// issue returns the issue with the given ID; an issue of that ID alone
// when the problem has none.
func (t *textWriter) issue(id string) Issue {
	for _, is := range t.p.Issues {
		if is.ID == id {
			return is
		}
	}
	return Issue{ID: id}
}

// improvement writes the packages that improve on a tentative one.
func (t *textWriter) improvement(im *Improvement, name string) error {
	if im == nil || im.Tentative == nil {
		return fmt.Errorf("bargain: an improve document without its result")
	}
	var at []string
	for _, party := range t.p.Parties {
		at = append(at, party+" "+exactText(im.Tentative.Utility[party]))
	}
	t.printf("Tentative package %s: %s.\n\n", quoteName(name), strings.Join(at, ", "))
	if im.None {
		t.printf("No feasible package gives every party at least as much and one party more")
		if im.Certificate != nil {
			fr := im.Certificate
			kind := "Pareto frontier"
			if !fr.Exact {
				kind = fmt.Sprintf("ε-Pareto set (ε = %v)", fr.Epsilon)
			}
			t.printf(":\nnone of the %s of the %s does.\n", plural(len(fr.Outcomes), "package"), kind)
		} else {
			t.printf(".\n")
		}
		return nil
	}
	t.printf("%s every party prefers (no one loses, someone gains), largest smallest gain first:\n\n",
		capitalise(plural(len(im.Packages), "package")))
	t.outcomeTable(im.Packages, t.p.Parties)
	return nil
}

// choiceText writes a choice: the option, or each option's exact share in
// the issue's order of options ("fund 5/6 + rebuild 1/6").
func choiceText(is Issue, c Choice) string {
	if c.Shares == nil {
		if c.Option == "" {
			return "-"
		}
		return c.Option
	}
	options := slices.Clone(is.Options)
	for o := range c.Shares {
		if !slices.Contains(options, o) {
			options = append(options, o)
		}
	}
	var parts []string
	for _, o := range options {
		if s := c.Shares[o]; s != nil && s.Sign() != 0 {
			parts = append(parts, o+" "+s.RatString())
		}
	}
	return strings.Join(parts, " + ")
}

// exactText writes a number exactly: a decimal when it has one of at
// most four places, else the fraction and its value to two places
// ("170/3 ≈ 56.67").
func exactText(r *big.Rat) string {
	if r == nil {
		return "-"
	}
	if s, ok := shortDecimal(r); ok {
		return s
	}
	return r.RatString() + " ≈ " + r.FloatString(2)
}

// approxText writes a number to at most two decimals, marked ≈ when
// rounded.
func approxText(r *big.Rat) string {
	if r == nil {
		return "-"
	}
	if s, ok := shortDecimal(r); ok && decimalPlaces(s) <= 2 {
		return s
	}
	return "≈" + trimDecimal(r.FloatString(2))
}

// shortDecimal writes r as a decimal of at most four places, if it is
// one.
func shortDecimal(r *big.Rat) (string, bool) {
	scaled := new(big.Rat).Mul(r, big.NewRat(10000, 1))
	if !scaled.IsInt() {
		return "", false
	}
	return trimDecimal(r.FloatString(4)), true
}

// decimalPlaces counts the digits after the point of a decimal.
func decimalPlaces(s string) int {
	if _, frac, ok := strings.Cut(s, "."); ok {
		return len(frac)
	}
	return 0
}

// trimDecimal drops trailing zeros of a decimal, and its point.
func trimDecimal(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		return "0"
	}
	return s
}

// trimFloat writes a float to six significant digits, without an
// exponent.
func trimFloat(f float64) string { return strconv.FormatFloat(round6(f), 'f', -1, 64) }

// listNames writes names as "A", "A and B" or "A, B and C".
func listNames(names []string) string {
	switch len(names) {
	case 0:
		return "no one"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// plural writes "1 package" or "3 packages".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// capitalise upper-cases the first letter of an ASCII sentence.
func capitalise(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

// quoteName writes a package's name in quotes, or "(unnamed)".
func quoteName(name string) string {
	if name == "" {
		return "(unnamed)"
	}
	return "“" + name + "”"
}
