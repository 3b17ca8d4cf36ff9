package plangen_test

import (
	"bytes"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"parley/plangen"
)

// doc is a version read back by a scanner that knows only the emitted format.
type doc struct {
	ids    []string          // point ids in document order
	text   map[string]string // point id -> text, lines joined by single spaces
	top    []int             // top-level numbers in order
	gap    bool              // a top-level number was skipped
	styles map[string]bool   // label and heading styles seen
}

var (
	topRE    = regexp.MustCompile(`^(?:(\d+)\. |(\d+)\) |Point (\d+): |Article (\d+) )(\S.*)$`)
	subRE    = regexp.MustCompile(`^    ([a-z])\) (\S.*)$`)
	subsubRE = regexp.MustCompile(`^        \(([ivx]+)\) (\S.*)$`)
	contRE   = regexp.MustCompile(`^ +(\S.*)$`)
	// labelish is what a continuation line must not start with.
	labelish = regexp.MustCompile(`^ +(\d|\(|§|[a-z]\)|[ivxlcdm]+\.|[a-z]\.|Point |Article )`)
)

var romans = []string{"i", "ii", "iii", "iv", "v", "vi"}

// scan reads a version back, checking the numbering and layout as it goes.
func scan(t *testing.T, text []byte) doc {
	t.Helper()
	if !utf8.Valid(text) {
		t.Fatal("text is not valid UTF-8")
	}
	d := doc{text: map[string]string{}, styles: map[string]bool{}}
	lines := strings.Split(strings.TrimSuffix(string(text), "\n"), "\n")
	if len(lines) < 4 || lines[1] != "" || lines[0] == "" {
		t.Fatalf("got first lines %q, want a title and a blank line", lines[:min(4, len(lines))])
	}
	var cur, top, sub string
	nsub, nsubsub := 0, 0
	prevBlank := false
	for i, line := range lines[2:] {
		ln := i + 3
		if len(line) > 90 && strings.Contains(line, " ") && utf8.RuneCountInString(line) > 90 {
			// wrap may only overrun when it cannot break
			t.Errorf("line %d: got %d columns, want at most 90: %q", ln, utf8.RuneCountInString(line), line)
		}
		switch {
		case line == "":
			cur = ""
		case topRE.MatchString(line):
			m := topRE.FindStringSubmatch(line)
			for k, style := range []string{"dot", "paren", "point", "article"} {
				if m[k+1] != "" {
					d.styles[style] = true
					n, _ := strconv.Atoi(m[k+1])
					if len(d.top) > 0 && n != d.top[len(d.top)-1]+1 {
						if n <= d.top[len(d.top)-1] {
							t.Errorf("line %d: got point %d after %d, want increasing numbers", ln, n, d.top[len(d.top)-1])
						}
						d.gap = true
					}
					if len(d.top) == 0 && n != 1 {
						t.Errorf("line %d: got first point %d, want 1", ln, n)
					}
					d.top = append(d.top, n)
					top = m[k+1]
				}
			}
			if !prevBlank {
				t.Errorf("line %d: got no blank line before top-level point %s", ln, top)
			}
			cur, nsub = top, 0
			d.add(t, cur, m[5])
		case subRE.MatchString(line):
			m := subRE.FindStringSubmatch(line)
			if top == "" || cur == "" {
				t.Fatalf("line %d: sub-point outside a point: %q", ln, line)
			}
			if want := string(rune('a' + nsub)); m[1] != want {
				t.Errorf("line %d: got sub-point %s, want %s", ln, m[1], want)
			}
			nsub++
			nsubsub = 0
			sub = top + "." + m[1]
			cur = sub
			d.add(t, cur, m[2])
		case subsubRE.MatchString(line):
			m := subsubRE.FindStringSubmatch(line)
			if sub == "" || cur == "" || !strings.HasPrefix(cur, sub) {
				t.Fatalf("line %d: sub-sub-point outside a sub-point: %q", ln, line)
			}
			if want := romans[nsubsub]; m[1] != want {
				t.Errorf("line %d: got sub-sub-point %s, want %s", ln, m[1], want)
			}
			nsubsub++
			cur = sub + "." + m[1]
			d.add(t, cur, m[2])
		case contRE.MatchString(line) && cur != "":
			if labelish.MatchString(line) {
				t.Errorf("line %d: continuation line looks like a label: %q", ln, line)
			}
			d.text[cur] += " " + contRE.FindStringSubmatch(line)[1]
		default: // preamble or heading
			if cur != "" {
				t.Fatalf("line %d: unindented line inside point %s: %q", ln, cur, line)
			}
			switch {
			case strings.HasPrefix(line, "## "):
				d.styles["markdown"] = true
			case strings.ToUpper(line) == line:
				d.styles["caps"] = true
			case strings.HasSuffix(line, ":"):
				d.styles["colon"] = true
			}
			if len(d.ids) > 0 && (!prevBlank || lines[i+3] != "") {
				t.Errorf("line %d: heading %q not between blank lines", ln, line)
			}
		}
		prevBlank = line == ""
	}
	if len(d.ids) == 0 {
		t.Fatal("got no points")
	}
	return d
}

func (d *doc) add(t *testing.T, id, text string) {
	t.Helper()
	if _, dup := d.text[id]; dup {
		t.Errorf("point %s appears twice", id)
	}
	d.ids = append(d.ids, id)
	d.text[id] = text
}

func top(id string) bool { return !strings.Contains(id, ".") }

type genCase struct {
	name string
	opt  plangen.Options
}

func cases() []genCase {
	var cs []genCase
	for _, n := range []int{20, 50, 200} {
		for seed := int64(1); seed <= 12; seed++ {
			cs = append(cs, genCase{fmt.Sprintf("points=%d/seed=%d", n, seed), plangen.Options{Seed: seed, Points: n}})
		}
	}
	for _, n := range []int{1000, 2000} {
		for seed := int64(1); seed <= 3; seed++ {
			cs = append(cs, genCase{fmt.Sprintf("points=%d/seed=%d", n, seed), plangen.Options{Seed: seed, Points: n}})
		}
	}
	return cs
}

func TestGenerateIsDeterministic(t *testing.T) {
	for _, tc := range []genCase{
		{"small", plangen.Options{Seed: 1, Points: 20}},
		{"medium", plangen.Options{Seed: 7, Points: 500}},
		{"negative seed", plangen.Options{Seed: -3, Points: 300}},
		{"adversarial", plangen.Options{Seed: 2, Adversarial: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := plangen.Generate(tc.opt), plangen.Generate(tc.opt)
			if !bytes.Equal(a.Old, b.Old) || !bytes.Equal(a.New, b.New) {
				t.Error("got different texts for the same options, want equal")
			}
			if !reflect.DeepEqual(a.Truth, b.Truth) {
				t.Error("got different truths for the same options, want equal")
			}
			other := tc.opt
			other.Seed++
			if c := plangen.Generate(other); bytes.Equal(a.Old, c.Old) {
				t.Errorf("got the same old text for seeds %d and %d, want different", tc.opt.Seed, other.Seed)
			}
		})
	}
}

// TestTruthCoversEveryID checks that the ids read back from the texts, the ids
// recorded from the labels as they were written, and the ids of the truth
// agree, and that every id is in exactly one link.
func TestTruthCoversEveryID(t *testing.T) {
	cs := append(cases(), genCase{"adversarial", plangen.Options{Seed: 1, Adversarial: true}})
	for _, tc := range cs {
		t.Run(tc.name, func(t *testing.T) {
			p, oldIDs, newIDs := plangen.GenerateWithIDs(tc.opt)
			o, n := scan(t, p.Old), scan(t, p.New)
			if !slices.Equal(o.ids, oldIDs) {
				t.Errorf("old: got ids %v read back, want %v as written", head(o.ids), head(oldIDs))
			}
			if !slices.Equal(n.ids, newIDs) {
				t.Errorf("new: got ids %v read back, want %v as written", head(n.ids), head(newIDs))
			}
			seenOld, seenNew := map[string]int{}, map[string]int{}
			for _, l := range p.Truth.Links {
				for _, id := range l.Old {
					seenOld[id]++
				}
				for _, id := range l.New {
					seenNew[id]++
				}
				if !slices.Contains(plangen.Ops, l.Op) {
					t.Errorf("got op %q, want one of %v", l.Op, plangen.Ops)
				}
				if l.Old == nil || l.New == nil {
					t.Errorf("link %+v: got a nil id list, want an empty one", l)
				}
			}
			checkOnce(t, "old", o.ids, seenOld)
			checkOnce(t, "new", n.ids, seenNew)
		})
	}
}

func head(s []string) []string { return s[:min(len(s), 8)] }

func checkOnce(t *testing.T, version string, ids []string, seen map[string]int) {
	t.Helper()
	for _, id := range ids {
		if seen[id] != 1 {
			t.Errorf("%s id %s: got %d links, want 1", version, id, seen[id])
		}
		delete(seen, id)
	}
	for id := range seen {
		t.Errorf("%s id %s: in the truth but not in the text", version, id)
	}
}

func TestEveryOpOccurs(t *testing.T) {
	for _, tc := range cases() {
		if tc.opt.Points < 200 {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			p := plangen.Generate(tc.opt)
			ops := map[string]int{}
			subOps := map[string]int{}
			for _, l := range p.Truth.Links {
				ops[l.Op]++
				if ids := append(slices.Clone(l.Old), l.New...); !top(ids[0]) {
					subOps[l.Op]++
				}
			}
			for _, op := range plangen.Ops {
				if ops[op] == 0 {
					t.Errorf("got no %s link, want at least one (ops %v)", op, ops)
				}
			}
			for _, op := range []string{plangen.OpEdited, plangen.OpAdded, plangen.OpDropped} {
				if subOps[op] == 0 {
					t.Errorf("got no %s sub-point, want at least one (sub-point ops %v)", op, subOps)
				}
			}
		})
	}
}

func TestSizes(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  plangen.Options
		want int // bytes of each version
	}{
		{"200", plangen.Options{Seed: 1, Points: 200}, 425 * 200},
		{"2000", plangen.Options{Seed: 2, Points: 2000}, 425 * 2000},
		{"2000 other seed", plangen.Options{Seed: 5, Points: 2000}, 425 * 2000},
		{"10000", plangen.Options{Seed: 3, Points: 10000}, 425 * 10000},
		{"adversarial", plangen.Options{Seed: 1, Adversarial: true}, 5 << 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := plangen.Generate(tc.opt)
			for version, text := range map[string][]byte{"old": p.Old, "new": p.New} {
				if got := len(text); got < tc.want*3/4 || got > tc.want*5/4 {
					t.Errorf("%s: got %d bytes, want %d ± 25%%", version, got, tc.want)
				}
			}
			if tc.opt.Adversarial {
				return
			}
			o := scan(t, p.Old)
			if got := len(o.ids); got < tc.opt.Points || got > tc.opt.Points+10 {
				t.Errorf("got %d old points, want about %d", got, tc.opt.Points)
			}
		})
	}
}

// words splits a point text into words; a no-break space stays inside a word.
func words(s string) []string { return strings.Split(s, " ") }

func bigrams(s string) map[[2]string]bool {
	w := words(strings.ToLower(s))
	b := map[[2]string]bool{}
	for i := 1; i < len(w); i++ {
		b[[2]string{w[i-1], w[i]}] = true
	}
	return b
}

// jaccard is the share of bigrams two texts have in common.
func jaccard(a, b string) float64 {
	x, y := bigrams(a), bigrams(b)
	common := 0
	for k := range x {
		if y[k] {
			common++
		}
	}
	return float64(common) / float64(len(x)+len(y)-common)
}

// wordOverlap is the share of words of the longer text found in the other.
func wordOverlap(a, b string) float64 {
	count := map[string]int{}
	for _, w := range words(a) {
		count[w]++
	}
	common := 0
	for _, w := range words(b) {
		if count[w] > 0 {
			count[w]--
			common++
		}
	}
	return float64(common) / float64(max(len(words(a)), len(words(b))))
}

// TestTextsMatchTruth reads both versions back and checks each link against
// the texts of its points.
func TestTextsMatchTruth(t *testing.T) {
	for _, tc := range cases() {
		t.Run(tc.name, func(t *testing.T) {
			p := plangen.Generate(tc.opt)
			o, n := scan(t, p.Old), scan(t, p.New)
			oldText := func(ids []string) string {
				var s []string
				for _, id := range ids {
					s = append(s, o.text[id])
				}
				return strings.Join(s, " ")
			}
			newText := func(ids []string) string {
				var s []string
				for _, id := range ids {
					s = append(s, n.text[id])
				}
				return strings.Join(s, " ")
			}
			var added []string
			for _, l := range p.Truth.Links {
				ot, nt := oldText(l.Old), newText(l.New)
				switch l.Op {
				case plangen.OpUnchanged, plangen.OpRenumbered:
					if ot != nt {
						t.Errorf("%s %v->%v: got different texts, want equal:\n%s\n%s", l.Op, l.Old, l.New, ot, nt)
					}
					if (l.Op == plangen.OpUnchanged) != (l.Old[0] == l.New[0]) {
						t.Errorf("%s %v->%v: op does not match the ids", l.Op, l.Old, l.New)
					}
				case plangen.OpMerged, plangen.OpSplit, plangen.OpEdited, plangen.OpMoved:
					if l.Edited == (ot == nt) {
						t.Errorf("%s %v->%v: got edited %v, texts equal %v", l.Op, l.Old, l.New, l.Edited, ot == nt)
					}
					if l.Edited && wordOverlap(ot, nt) < 0.85 {
						t.Errorf("%s %v->%v: got word overlap %.2f, want at least 0.85:\n%s\n%s", l.Op, l.Old, l.New, wordOverlap(ot, nt), ot, nt)
					}
					if l.Op == plangen.OpMerged && len(l.Old) < 2 || l.Op == plangen.OpSplit && len(l.New) < 2 {
						t.Errorf("%s %v->%v: wrong shape", l.Op, l.Old, l.New)
					}
					if l.Op == plangen.OpEdited && !l.Edited || l.Op == plangen.OpMoved && !l.Moved {
						t.Errorf("%s %v->%v: flag not set", l.Op, l.Old, l.New)
					}
					if l.Moved && !top(l.New[0]) {
						t.Errorf("%s %v->%v: a sub-point is moved", l.Op, l.Old, l.New)
					}
				case plangen.OpAdded:
					added = append(added, nt)
				}
			}
			// Added points are unlike any old point (an edited point keeps about
			// 0.7 of its bigrams); random old points share few bigrams.
			if tc.opt.Points > 1000 {
				added = added[:1]
			}
			for _, a := range added {
				for _, id := range o.ids {
					if j := jaccard(a, o.text[id]); j > 0.35 {
						t.Errorf("added point shares %.2f of its bigrams with old point %s, want at most 0.35", j, id)
					}
				}
			}
			sum, pairs := 0.0, 0
			for i := 0; i+7 < len(o.ids); i += 7 {
				sum += jaccard(o.text[o.ids[i]], o.text[o.ids[i+7]])
				pairs++
			}
			if pairs >= 20 && sum/float64(pairs) > 0.08 {
				t.Errorf("got mean bigram overlap %.3f between points, want at most 0.08", sum/float64(pairs))
			}
		})
	}
}

// TestMovesAreMinimal checks that the top-level points not marked moved keep
// their order and that no smaller set of moves would explain the new order.
func TestMovesAreMinimal(t *testing.T) {
	for _, tc := range cases() {
		t.Run(tc.name, func(t *testing.T) {
			p := plangen.Generate(tc.opt)
			o, n := scan(t, p.Old), scan(t, p.New)
			oldPos, newPos := position(o.ids), position(n.ids)
			type pt struct {
				old, new int
				moved    bool
			}
			var seq []pt
			for _, l := range p.Truth.Links {
				if len(l.Old) == 0 || len(l.New) == 0 || !top(l.Old[0]) {
					continue
				}
				seq = append(seq, pt{oldPos[l.Old[0]], newPos[l.New[0]], l.Moved})
			}
			slices.SortFunc(seq, func(a, b pt) int { return a.old - b.old })
			var kept, all []int
			moved := 0
			for _, s := range seq {
				all = append(all, s.new)
				if s.moved {
					moved++
				} else {
					kept = append(kept, s.new)
				}
			}
			if !slices.IsSorted(kept) {
				t.Error("points not marked moved are out of order")
			}
			if got, want := lis(all), len(all)-moved; got != want {
				t.Errorf("got a longest ordered run of %d points, want %d (%d moved)", got, want, moved)
			}
			if tc.opt.Points >= 50 && moved == 0 {
				t.Error("got no moved point, want at least one")
			}
		})
	}
}

func position(ids []string) map[string]int {
	m := map[string]int{}
	for i, id := range ids {
		m[id] = i
	}
	return m
}

// lis is the length of the longest increasing subsequence of s.
func lis(s []int) int {
	var tails []int
	for _, x := range s {
		i, _ := slices.BinarySearch(tails, x)
		if i == len(tails) {
			tails = append(tails, x)
		} else {
			tails[i] = x
		}
	}
	return len(tails)
}

// TestVariety checks that the seeds cover the label and heading styles, gaps
// in the new numbering and consecutive numbering in the old one.
func TestVariety(t *testing.T) {
	styles := map[string]bool{}
	gaps, noGaps, restyled := 0, 0, 0
	for seed := int64(1); seed <= 30; seed++ {
		p := plangen.Generate(plangen.Options{Seed: seed, Points: 200})
		o, n := scan(t, p.Old), scan(t, p.New)
		if o.gap {
			t.Errorf("seed %d: got a gap in the old numbering, want none", seed)
		}
		if n.gap {
			gaps++
		} else {
			noGaps++
		}
		if !reflect.DeepEqual(o.styles, n.styles) {
			restyled++
		}
		for s := range o.styles {
			styles[s] = true
		}
	}
	for _, s := range []string{"dot", "paren", "point", "article", "markdown", "caps", "colon"} {
		if !styles[s] {
			t.Errorf("got no document with %s style, want some", s)
		}
	}
	if gaps == 0 || noGaps == 0 || restyled == 0 {
		t.Errorf("got %d new versions with gaps, %d without, %d restyled; want some of each", gaps, noGaps, restyled)
	}
}

func TestAdversarial(t *testing.T) {
	p := plangen.Generate(plangen.Options{Seed: 4, Adversarial: true})
	if got, want := len(p.Truth.Links), plangen.AdversarialPoints; got != want {
		t.Fatalf("got %d links, want %d", got, want)
	}
	for i, l := range p.Truth.Links {
		wantOld := strconv.Itoa(plangen.AdversarialPoints - i)
		wantNew := strconv.Itoa(i + 1)
		op, moved := plangen.OpMoved, true
		if i == 0 {
			op, moved = plangen.OpEdited, false
		}
		if !slices.Equal(l.Old, []string{wantOld}) || !slices.Equal(l.New, []string{wantNew}) || l.Op != op || l.Moved != moved || !l.Edited {
			t.Fatalf("link %d: got %+v, want %s %s->%s moved %v edited", i, l, op, wantOld, wantNew, moved)
		}
	}
	o := scan(t, p.Old)
	opening := strings.Join(words(o.text["1"])[:15], " ")
	for _, id := range o.ids {
		if !strings.HasPrefix(o.text[id], opening) {
			t.Fatalf("point %s: got %q, want the common opening %q", id, o.text[id][:80], opening)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	opt := plangen.Options{Seed: 1, Points: 2000}
	var n int
	for b.Loop() {
		n = len(plangen.Generate(opt).Old)
	}
	b.SetBytes(int64(n))
}
