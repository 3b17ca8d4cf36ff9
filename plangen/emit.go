package plangen

import (
	"strconv"
	"strings"
)

// label returns the label of top-level point number n in the given style,
// with the space that separates it from the text.
func label(style, n int) string {
	s := strconv.Itoa(n)
	switch style {
	case styleParen:
		return s + ") "
	case stylePoint:
		return "Point " + s + ": "
	case styleArticle:
		return "Article " + s + " "
	default:
		return s + ". "
	}
}

var romans = []string{"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"}

// labelID normalises a label as written into the last element of a point id:
// "12. ", "Point 12: ", "Article 12 ", "a) ", "(iii) " give "12", "12", "12",
// "a", "iii".
func labelID(l string) string {
	l = strings.TrimSpace(l)
	for _, p := range []string{"Point ", "Article ", "§ "} {
		l = strings.TrimPrefix(l, p)
	}
	l = strings.TrimLeft(l, "(")
	l = strings.TrimRight(l, ".):")
	return strings.ToLower(l)
}

// emit writes the version and sets the id of every point. It returns the text
// and the ids read back from the labels it wrote, in document order.
func (d *doc) emit() ([]byte, []string) {
	var b strings.Builder
	var ids []string
	b.Grow(len(d.points) * 480)
	b.WriteString(d.title)
	b.WriteString("\n\n")
	wrap(&b, "", "", d.preamble)
	for i, p := range d.points {
		b.WriteByte('\n')
		if h, ok := d.headings[i]; ok && d.headingStyle != headingNone {
			switch d.headingStyle {
			case headingMarkdown:
				b.WriteString("## " + h)
			case headingCaps:
				b.WriteString(strings.ToUpper(h))
			default:
				b.WriteString(h + ":")
			}
			b.WriteString("\n\n")
		}
		l := label(d.style, d.numbers[i])
		p.id = strconv.Itoa(d.numbers[i])
		top := labelID(l)
		ids = append(ids, top)
		wrap(&b, l, strings.Repeat(" ", len(l)), p.text)
		for j, k := range p.kids {
			letter := string(rune('a' + j))
			sl := "    " + letter + ") "
			k.id = p.id + "." + letter
			sub := top + "." + labelID(sl)
			ids = append(ids, sub)
			wrap(&b, sl, strings.Repeat(" ", len(sl)), k.text)
			for m, kk := range k.kids {
				ssl := "        (" + romans[m] + ") "
				kk.id = k.id + "." + romans[m]
				ids = append(ids, sub+"."+labelID(ssl))
				wrap(&b, ssl, strings.Repeat(" ", len(ssl)), kk.text)
			}
		}
	}
	return []byte(b.String()), ids
}

// links builds the truth from the points of both versions, whose ids are set.
func links(old, nw []*node) []Link {
	var out []Link
	used := map[*node]bool{}
	splits := map[*node]int{}
	var walk func(n *node)
	walk = func(n *node) {
		for _, s := range n.src {
			used[s] = true
		}
		switch n.op {
		case OpAdded:
			out = append(out, Link{Op: OpAdded, Old: []string{}, New: []string{n.id}})
		case OpMerged:
			var ids []string
			for _, s := range n.src {
				ids = append(ids, s.id)
			}
			out = append(out, Link{Op: OpMerged, Old: ids, New: []string{n.id}, Edited: n.edited})
		case OpSplit:
			if i, ok := splits[n.src[0]]; ok {
				out[i].New = append(out[i].New, n.id)
			} else {
				splits[n.src[0]] = len(out)
				out = append(out, Link{Op: OpSplit, Old: []string{n.src[0].id}, New: []string{n.id}})
			}
		default:
			op := OpUnchanged
			switch {
			case n.moved:
				op = OpMoved
			case n.edited:
				op = OpEdited
			case n.id != n.src[0].id:
				op = OpRenumbered
			}
			out = append(out, Link{Op: op, Old: []string{n.src[0].id}, New: []string{n.id}, Moved: n.moved, Edited: n.edited})
		}
		for _, k := range n.kids {
			walk(k)
		}
	}
	for _, n := range nw {
		walk(n)
	}
	var drop func(n *node)
	drop = func(n *node) {
		if !used[n] {
			out = append(out, Link{Op: OpDropped, Old: []string{n.id}, New: []string{}})
		}
		for _, k := range n.kids {
			drop(k)
		}
	}
	for _, n := range old {
		drop(n)
	}
	return out
}

// adversarial builds a pair for speed tests: near-duplicate points, each
// edited, in reverse order.
func adversarial(g *textGen) (*Pair, emitted) {
	old := &doc{
		title:    "Consolidated Draft of the Implementation Protocol for " + g.pick(places),
		preamble: preamble(g),
		style:    g.r.IntN(numStyles),
	}
	for range AdversarialPoints {
		old.points = append(old.points, &node{text: g.boilerplateBytes(adversarialBytes)})
	}
	old.numbers = consecutive(len(old.points))
	nw := &doc{title: old.title, preamble: old.preamble, style: old.style}
	for i := len(old.points) - 1; i >= 0; i-- {
		o := old.points[i]
		nw.points = append(nw.points, &node{
			text:   g.edit(o.text, langEnglish, 2, false),
			src:    []*node{o},
			edited: true,
			moved:  i != len(old.points)-1,
		})
	}
	nw.numbers = consecutive(len(nw.points))
	var em emitted
	p := &Pair{}
	p.Old, em.old = old.emit()
	p.New, em.new = nw.emit()
	p.Truth = Truth{Links: links(old.points, nw.points)}
	return p, em
}
