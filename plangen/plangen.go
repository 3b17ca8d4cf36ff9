// Package plangen generates pairs of versions of a synthetic peace plan,
// written as numbered points, together with the exact ground truth of how each
// point changed between them, and scores the links an aligner reports against
// that truth.
//
// Generation is deterministic: the same Options always give the same Pair.
package plangen

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// The ops of a Link. When several apply to a point, the first of this order
// wins: merged/split > moved > edited > renumbered > unchanged.
const (
	// OpUnchanged marks a point with the same id and text, in order.
	OpUnchanged = "unchanged"
	// OpRenumbered marks a point with the same text, in order, whose id changed.
	OpRenumbered = "renumbered"
	// OpMoved marks a point relocated out of the order of the others.
	OpMoved = "moved"
	// OpEdited marks a point whose words changed.
	OpEdited = "edited"
	// OpMerged marks several old points that became one new point.
	OpMerged = "merged"
	// OpSplit marks an old point that became several new points.
	OpSplit = "split"
	// OpAdded marks a point found only in the new version.
	OpAdded = "added"
	// OpDropped marks a point found only in the old version.
	OpDropped = "dropped"
)

// Ops lists every op a Link may carry.
var Ops = []string{OpUnchanged, OpRenumbered, OpMoved, OpEdited, OpMerged, OpSplit, OpAdded, OpDropped}

const (
	// MinPoints is the least value of Options.Points.
	MinPoints = 20
	// MaxPoints is the greatest value of Options.Points.
	MaxPoints = 10000
	// AdversarialPoints is the number of points of an adversarial pair.
	AdversarialPoints = 12000
)

// Options says which pair to generate.
type Options struct {
	// Seed selects the pair; equal Options give equal pairs.
	Seed int64
	// Points is the approximate number of points of the old version, counting
	// top-level points and sub-points; it is clamped to MinPoints..MaxPoints.
	Points int
	// Adversarial asks for a pair built to stress an aligner's speed:
	// AdversarialPoints near-duplicate top-level points, each edited, listed
	// in reverse order in the new version. Points is then ignored.
	Adversarial bool
}

// Pair is an old and a new version of a plan and the truth linking their points.
type Pair struct {
	// Old and New are the texts of the two versions, in UTF-8.
	Old, New []byte
	// Truth links the points of Old to the points of New.
	Truth Truth
}

// Truth is the exact account of how the points of the old version became the
// points of the new one. Every point id of either version is in exactly one link.
// Links are listed in the order of the new version, followed by the dropped
// points in the order of the old version.
type Truth struct {
	// Links holds one link per change; see Link.
	Links []Link `json:"links"`
}

// Link connects points of the old version to points of the new version.
// A point id is the path of its labels, normalised and lower-cased, joined by
// dots: "12", "12.a", "12.a.iii".
type Link struct {
	// Op is one of Ops.
	Op string `json:"op"`
	// Old holds the ids in the old version; it is empty for added points.
	Old []string `json:"old"`
	// New holds the ids in the new version; it is empty for dropped points.
	New []string `json:"new"`
	// Moved is set when the point was relocated out of the order of the others.
	Moved bool `json:"moved,omitempty"`
	// Edited is set when its words changed.
	Edited bool `json:"edited,omitempty"`
}

// Label styles of top-level points.
const (
	styleDot     = iota // "12. "
	styleParen          // "12) "
	stylePoint          // "Point 12: "
	styleArticle        // "Article 12 "
	numStyles
)

// Heading styles.
const (
	headingNone     = iota
	headingMarkdown // "## Security guarantees"
	headingCaps     // "SECURITY GUARANTEES"
	headingColon    // "Security guarantees:"
)

// node is a point of either version.
type node struct {
	text string
	lang int
	kids []*node
	id   string // set when the version is emitted

	// In the new version only:
	src    []*node // the old points it comes from
	op     string  // OpAdded, OpMerged, OpSplit, or "" for a point derived from src[0]
	edited bool
	moved  bool
}

func (n *node) count() int {
	c := 1
	for _, k := range n.kids {
		c += k.count()
	}
	return c
}

// doc is one version of the plan, ready to be emitted.
type doc struct {
	title, preamble string
	style           int
	headingStyle    int
	points          []*node
	numbers         []int          // number of each top-level point
	headings        map[int]string // heading before top-level point i
}

// unit is a step from the old version to the new one at top level.
type unit struct {
	nodes   []*node // new top-level points: none when dropped, two when split
	key     int     // position in the new version
	seq     int
	dropped bool
	kept    bool // derived from one old point: it may be moved and edited
	group   int  // heading group
}

// Generate returns the pair selected by opt.
//
// Each version is plain text that reads as Markdown: a title, a preamble, then
// top-level points one per paragraph, in one label style per version ("12. ",
// "12) ", "Point 12: " or "Article 12 "), wrapped at 90 columns with
// continuation lines indented to the text. Sub-points ("    a) ") and
// sub-sub-points ("        (i) ") follow their parent line by line. Runs of
// top-level points may sit under headings ("## Name", "NAME" or "Name:").
//
// The new version drops, adds, edits, moves, merges and splits points, edits,
// drops and adds sub-points, and is renumbered consecutively; depending on the
// seed it also changes the label style, regroups and renames the headings, or
// leaves the numbers of dropped points unused.
func Generate(opt Options) *Pair {
	p, _ := generate(opt)
	return p
}

// emitted lists the ids read back from the labels as they were written.
type emitted struct{ old, new []string }

// Word targets of point texts; with the labels, indentation and line breaks a
// point averages about 425 bytes.
const (
	topWords    = 53
	topSpread   = 10
	subWords    = 44
	subSpread   = 8
	boilerShare = 0.2
	// adversarialBytes is the least length of an adversarial point's text.
	adversarialBytes = 290
)

func generate(opt Options) (*Pair, emitted) {
	r := rand.New(rand.NewPCG(uint64(opt.Seed), 0x5eed_9a1e_7ca1_0b51))
	g := &textGen{r: r}
	open := slices.Clone(boilerplateOpenings)
	r.Shuffle(len(open), func(i, j int) { open[i], open[j] = open[j], open[i] })
	if opt.Adversarial {
		g.openings = open[:1]
		return adversarial(g)
	}
	g.openings = open[:3]
	points := min(max(opt.Points, MinPoints), MaxPoints)

	old := &doc{
		title:    fmt.Sprintf(g.pick(titles), g.pick(places)),
		preamble: preamble(g),
		style:    r.IntN(numStyles),
	}
	if g.chance(0.75) {
		old.headingStyle = 1 + r.IntN(3)
	}
	for total := 0; total < points; {
		n := g.point(topWords, topSpread)
		if g.chance(0.1) {
			for range 2 + r.IntN(3) {
				kid := g.point(subWords, subSpread)
				if g.chance(0.08) {
					for range 2 + r.IntN(2) {
						kid.kids = append(kid.kids, g.point(subWords, subSpread))
					}
				}
				n.kids = append(n.kids, kid)
			}
		}
		old.points = append(old.points, n)
		total += n.count()
	}
	old.numbers = consecutive(len(old.points))
	groups := old.group(g)

	nw := &doc{title: old.title, preamble: old.preamble, style: old.style, headingStyle: old.headingStyle}
	if g.chance(0.25) {
		nw.style = (old.style + 1 + r.IntN(numStyles-1)) % numStyles
	}
	if g.chance(0.3) {
		nw.title += " (revised draft)"
	}
	gaps := g.chance(0.25)
	units := g.transform(old.points, groups)
	nw.number(units, gaps)
	if old.headingStyle != headingNone {
		nw.regroup(g, units, old.headings, groups, g.chance(0.35))
	}

	var em emitted
	p := &Pair{}
	p.Old, em.old = old.emit()
	p.New, em.new = nw.emit()
	p.Truth = Truth{Links: links(old.points, nw.points)}
	return p, em
}

func consecutive(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i + 1
	}
	return s
}

func preamble(g *textGen) string {
	c := slices.Clone(preambleClauses)
	g.r.Shuffle(len(c), func(i, j int) { c[i], c[j] = c[j], c[i] })
	return "The Parties, " + strings.Join(c[:3+g.r.IntN(3)], ", ") + ", agree as follows."
}

// point returns a fresh point of about words±spread words.
func (g *textGen) point(words, spread int) *node {
	lang := langEnglish
	if g.chance(0.01) {
		lang = langCyrillic + g.r.IntN(2)
	}
	target := words - spread/2 + g.r.IntN(spread+1)
	return &node{text: g.pointText(lang, target, boilerShare), lang: lang}
}

// fresh returns a point for the new version only, unlike any old point.
func (g *textGen) fresh(words, spread int) *node {
	target := words - spread/2 + g.r.IntN(spread+1)
	return &node{text: g.english(target), op: OpAdded}
}

// group splits the top-level points of d into runs under headings and returns
// the group of each point.
func (d *doc) group(g *textGen) []int {
	groups := make([]int, len(d.points))
	d.headings = map[int]string{}
	names := slices.Clone(headingNames)
	g.r.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	longest := max(4, min(30, len(d.points)/3))
	for i, gr := 0, 0; i < len(d.points); gr++ {
		n := 3 + g.r.IntN(longest-2)
		d.headings[i] = names[gr%len(names)]
		for j := i; j < min(i+n, len(d.points)); j++ {
			groups[j] = gr
		}
		i += n
	}
	if d.headingStyle == headingNone {
		d.headings = nil
	}
	return groups
}

func rate(n int, r float64) int { return max(1, int(math.Round(float64(n)*r))) }

type span struct{ lo, hi int }

// transform applies the changes to the old top-level points and returns the
// units of the new version in their new order.
func (g *textGen) transform(old []*node, groups []int) []*unit {
	r := g.r
	t := len(old)
	const (
		keep = iota
		drop
		mergeFirst
		mergeSecond
		split
	)
	act := make([]int, t)
	busy := make([]bool, t)
	busy[0] = true // the first point stays unchanged
	choose := func(n int, ok func(i int) bool, mark func(i int)) {
		for tries := 0; n > 0 && tries < 200*n+200; tries++ {
			if i := 1 + r.IntN(t-1); ok(i) {
				mark(i)
				n--
			}
		}
	}
	childless := func(i int) bool { return !busy[i] && len(old[i].kids) == 0 && old[i].lang == langEnglish }
	choose(rate(t, 0.01), func(i int) bool { return i+1 < t && childless(i) && childless(i+1) }, func(i int) {
		act[i], act[i+1], busy[i], busy[i+1] = mergeFirst, mergeSecond, true, true
	})
	choose(rate(t, 0.01), func(i int) bool { return childless(i) && len(sentenceCuts(old[i].text)) > 0 }, func(i int) {
		act[i], busy[i] = split, true
	})
	choose(rate(t, 0.05), func(i int) bool { return !busy[i] }, func(i int) {
		act[i], busy[i] = drop, true
	})

	var units []*unit
	for i := 0; i < t; i++ {
		u := &unit{key: 4 * len(units), group: groups[i]}
		o := old[i]
		switch act[i] {
		case drop:
			u.dropped = true
		case mergeFirst:
			m := &node{text: o.text + " " + old[i+1].text, op: OpMerged, src: []*node{o, old[i+1]}}
			if g.chance(0.3) {
				m.text, m.edited = g.edit(m.text, langEnglish, 2, false), true
			}
			u.nodes = []*node{m}
			i++
		case split:
			a, b, _ := splitText(o.text)
			u.nodes = []*node{
				{text: a, op: OpSplit, src: []*node{o}},
				{text: b, op: OpSplit, src: []*node{o}},
			}
		default:
			u.kept = true
			u.nodes = []*node{{text: o.text, lang: o.lang, src: []*node{o}}}
		}
		units = append(units, u)
	}

	// Moves, counted over the units that have a new point.
	var matched []int
	for i, u := range units {
		if !u.dropped {
			matched = append(matched, i)
		}
	}
	m := len(matched)
	var spans []span
	var long *span
	move := func(s, d int) bool {
		if s < 1 || d < 1 || s >= m || d >= m || !units[matched[s]].kept || units[matched[s]].nodes[0].moved {
			return false
		}
		sp := span{min(s, d), max(s, d)}
		if long != nil && !(sp.hi < long.lo-1 || sp.lo > long.hi+1 || (sp.lo > long.lo+1 && sp.hi < long.hi-1)) {
			return false
		}
		for _, e := range spans {
			if !(sp.hi < e.lo-1 || sp.lo > e.hi+1) {
				return false
			}
		}
		u := units[matched[s]]
		if d > s {
			u.key = 4*matched[d] + 2
		} else {
			u.key = 4*matched[d] - 2
		}
		u.nodes[0].moved = true
		if g.chance(0.3) {
			n := u.nodes[0]
			n.text, n.edited = g.edit(n.text, n.lang, 4, true), true
		}
		spans = append(spans, sp)
		return true
	}
	if m >= 100 {
		for tries := 0; tries < 100; tries++ {
			s, d := 1+r.IntN(m-1), m/4+r.IntN(m/4)
			if r.IntN(2) == 0 {
				d = -d
			}
			if move(s, s+d) {
				first := spans[0]
				long, spans = &first, nil
				break
			}
		}
	}
	nMove := rate(t, 0.025)
	if long != nil {
		nMove--
	}
	for tries, reach := 0, max(1, min(25, m/4)); nMove > 0 && tries < 200*nMove+200; tries++ {
		s, d := 1+r.IntN(max(1, m-1)), 5+r.IntN(reach)
		if r.IntN(2) == 0 {
			d = -d
		}
		if move(s, s+d) {
			nMove--
		}
	}

	// Edits of kept points that stay in place.
	for n, tries := rate(t, 0.15), 0; n > 0 && tries < 200*n+200; tries++ {
		if u := units[1+r.IntN(len(units)-1)]; u.kept && !u.nodes[0].moved && !u.nodes[0].edited {
			p := u.nodes[0]
			p.text, p.edited = g.edit(p.text, p.lang, 4, true), true
			n--
		}
	}

	// Sub-points of kept parents.
	var parents []*node
	for _, u := range units {
		if u.kept {
			n := u.nodes[0]
			g.deriveKids(n, n.src[0], 1)
			if len(n.kids) > 0 {
				parents = append(parents, n)
			}
		}
	}
	g.forceKidChanges(parents)

	// Points added in the new version.
	for range rate(t, 0.05) {
		units = append(units, &unit{key: 4*r.IntN(len(units)) + 1, nodes: []*node{g.fresh(topWords, topSpread)}})
	}
	for i, u := range units {
		u.seq = i
	}
	slices.SortStableFunc(units, func(a, b *unit) int { return cmp.Compare(a.key, b.key) })
	return units
}

// deriveKids gives new parent n the kids of old parent o, some edited or
// dropped, and sometimes a new one.
func (g *textGen) deriveKids(n, o *node, depth int) {
	n.kids = nil
	for _, ok := range o.kids {
		if g.chance(0.05) {
			continue
		}
		k := &node{text: ok.text, lang: ok.lang, src: []*node{ok}}
		if g.chance(0.12) {
			k.text, k.edited = g.edit(k.text, k.lang, 3, true), true
		}
		g.deriveKids(k, ok, depth+1)
		n.kids = append(n.kids, k)
	}
	if depth == 1 && len(o.kids) > 0 && len(n.kids) < 6 && g.chance(0.08) {
		g.addKid(n)
	}
}

func (g *textGen) addKid(n *node) {
	i := g.r.IntN(len(n.kids) + 1)
	n.kids = slices.Insert(n.kids, i, g.fresh(subWords, subSpread))
}

// forceKidChanges makes sure that a sub-point is edited, one is dropped and one
// is added somewhere, when there are sub-points at all.
func (g *textGen) forceKidChanges(parents []*node) {
	if len(parents) == 0 {
		return
	}
	var edited, dropped, added bool
	for _, p := range parents {
		seen := 0
		for _, k := range p.kids {
			switch {
			case k.op == OpAdded:
				added = true
			case k.edited:
				edited = true
			}
			if k.op != OpAdded {
				seen++
			}
		}
		if seen < len(p.src[0].kids) {
			dropped = true
		}
	}
	plain := func() (*node, int) {
		for range 100 {
			p := parents[g.r.IntN(len(parents))]
			i := g.r.IntN(len(p.kids))
			if k := p.kids[i]; k.op == "" && !k.edited {
				return p, i
			}
		}
		return nil, 0
	}
	if !edited {
		if p, i := plain(); p != nil {
			k := p.kids[i]
			k.text, k.edited = g.edit(k.text, k.lang, 3, true), true
		}
	}
	if !dropped {
		if p, i := plain(); p != nil {
			p.kids = slices.Delete(p.kids, i, i+1)
		}
	}
	if !added {
		g.addKid(parents[g.r.IntN(len(parents))])
	}
}

// number gives the new version its top-level points and their numbers. With
// gaps, a dropped point keeps its number unused.
func (d *doc) number(units []*unit, gaps bool) {
	n := 0
	for _, u := range units {
		if u.dropped && gaps {
			n++
		}
		for _, p := range u.nodes {
			n++
			d.points = append(d.points, p)
			d.numbers = append(d.numbers, n)
		}
	}
}

// regroup sets the headings of the new version: the old groups, or with
// regroup a new partition whose headings are partly renamed.
func (d *doc) regroup(g *textGen, units []*unit, oldHeadings map[int]string, groups []int, regroup bool) {
	name := map[int]string{}
	for i, h := range oldHeadings {
		name[groups[i]] = h
	}
	d.headings = map[int]string{}
	i, prev, last := 0, -1, ""
	for _, u := range units {
		if u.dropped {
			continue
		}
		if !u.kept || !u.nodes[0].moved {
			if u.nodes[0].op != OpAdded {
				prev = u.group
			}
		}
		if prev < 0 {
			prev = 0
		}
		u.group = prev
		if h := name[prev]; h != last && !regroup {
			d.headings[i], last = h, h
		}
		i += len(u.nodes)
	}
	if !regroup {
		return
	}
	// A new partition of the points, each run named after its first point's old
	// group or renamed.
	var at []int // unit group of each new top-level point
	for _, u := range units {
		for range u.nodes {
			at = append(at, u.group)
		}
	}
	longest := max(4, min(30, len(at)/3))
	for i := 0; i < len(at); {
		h := name[at[i]]
		if g.chance(0.5) {
			h = g.pick(headingRenames)
		}
		if h == last {
			h = g.pick(headingNames)
		}
		d.headings[i], last = h, h
		i += 3 + g.r.IntN(longest-2)
	}
	if g.chance(0.3) {
		d.headingStyle = 1 + (d.headingStyle+g.r.IntN(2))%3 // another of the three styles
	}
}
