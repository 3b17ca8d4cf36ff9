package compare

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
)

// report builds the Report: pairs in the order of the new version, with
// dropped points after the pair of the old point before them.
func (a *aligner) report() *Report {
	r := &Report{Schema: Schema, Old: a.old.doc, New: a.new.doc}
	// Each pair gets a position in new order: a linked or added pair
	// stands at 2×(its first new item)+1; a dropped point at 2×(the new
	// position of the linked old point before it)+2, so it follows that
	// pair; ties keep old order, as the sort is stable.
	type slot struct {
		pos  int
		kind int8 // 0 group, 1 dropped, 2 added
		idx  int
	}
	slots := make([]slot, 0, len(a.groups)+len(a.old.items)/8+len(a.new.items)/8)
	for g := range a.groups {
		if !a.groups[g].dead {
			slots = append(slots, slot{2*a.groups[g].new[0] + 1, 0, g})
		}
	}
	last := 0
	for i := range a.old.items {
		if g := a.old.link[i]; g >= 0 {
			last = 2*a.groups[g].new[0] + 2
			continue
		}
		slots = append(slots, slot{last, 1, i})
	}
	for j := range a.new.items {
		if a.new.link[j] < 0 {
			slots = append(slots, slot{2*j + 1, 2, j})
		}
	}
	slices.SortStableFunc(slots, func(x, y slot) int { return cmp.Compare(x.pos, y.pos) })
	// Describe the pairs in two halves at once: the word diffs are the
	// bulk of the work and each half has its own diff buffers.
	r.Pairs = make([]Pair, len(slots))
	notes := make([][]string, 2)
	var wg sync.WaitGroup
	for h := range 2 {
		wg.Go(func() {
			var d differ
			for k := h * len(slots) / 2; k < (h+1)*len(slots)/2; k++ {
				sl := slots[k]
				switch sl.kind {
				case 0:
					var note string
					r.Pairs[k], note = a.pair(&a.groups[sl.idx], &d)
					if note != "" {
						notes[h] = append(notes[h], note)
					}
				case 1:
					r.Pairs[k] = Pair{Op: Dropped, Old: []string{a.old.items[sl.idx].p.ID}, New: []string{}}
				default:
					r.Pairs[k] = Pair{Op: Added, Old: []string{}, New: []string{a.new.items[sl.idx].p.ID}}
				}
			}
		})
	}
	wg.Wait()
	a.degraded = append(append(a.degraded, notes[0]...), notes[1]...)
	r.Summary = a.summary(r.Pairs)
	return r
}

// groupText is the text of a group of items, joined by "\n".
func (s *side) groupText(items []int) string {
	if len(items) == 1 {
		return s.items[items[0]].p.Text
	}
	texts := make([]string, len(items))
	for k, i := range items {
		texts[k] = s.items[i].p.Text
	}
	return strings.Join(texts, "\n")
}

// pair describes one live group, with its word diff computed with d. The
// note says when the diff hit its effort cap. pair only reads the aligner.
func (a *aligner) pair(gr *group, d *differ) (p Pair, note string) {
	p = Pair{Similarity: math.Round(gr.sim*1000) / 1000, Moved: gr.moved}
	p.Old = make([]string, len(gr.old))
	for k, i := range gr.old {
		p.Old[k] = a.old.items[i].p.ID
	}
	p.New = make([]string, len(gr.new))
	for k, j := range gr.new {
		p.New[k] = a.new.items[j].p.ID
	}
	op, np := a.old.items[gr.old[0]].p, a.new.items[gr.new[0]].p
	if op.Heading != np.Heading {
		p.OldHeading, p.NewHeading = op.Heading, np.Heading
	}
	p.LevelChanged = op.Depth != np.Depth
	var oldText, newText string
	if !gr.exact { // identical texts need neither joining nor a diff
		oldText, newText = a.old.groupText(gr.old), a.new.groupText(gr.new)
	}
	p.Edited = oldText != newText
	if p.Edited {
		var ok bool
		p.Changes, ok = d.changes(oldText, newText)
		if !ok {
			note = fmt.Sprintf("word diff of %s → %s reached its effort limit; its middle is shown as one replacement",
				strings.Join(p.Old, "+"), strings.Join(p.New, "+"))
		}
	} else if len(gr.old) == 1 && len(gr.new) == 1 {
		p.Similarity = 1
	}
	p.Renumbered = len(gr.old) == 1 && len(gr.new) == 1 && op.ID != np.ID
	switch {
	case len(gr.old) > 1:
		p.Op = Merged
	case len(gr.new) > 1:
		p.Op = Split
	case p.Moved:
		p.Op = Moved
	case p.Edited:
		p.Op = Edited
	case p.Renumbered:
		p.Op = Renumbered
	default:
		p.Op = Unchanged
	}
	return p, note
}

// summary counts the pairs and compares the parts that are not points.
func (a *aligner) summary(pairs []Pair) Summary {
	s := Summary{
		OldPoints: len(a.old.items),
		NewPoints: len(a.new.items),
		Counts:    make(map[Op]int, len(Ops)),
		Threshold: a.opt.Threshold,
		Degraded:  a.degraded,
	}
	for _, op := range Ops {
		s.Counts[op] = 0
	}
	for _, p := range pairs {
		s.Counts[p.Op]++
		if p.OldHeading != p.NewHeading {
			s.HeadingChanges++
		}
		for _, c := range p.Changes {
			if c.Number {
				s.NumberChanges++
			}
		}
	}
	s.TitleChanged = a.old.doc.Title != a.new.doc.Title
	s.PreambleChanged = a.old.doc.Preamble != a.new.doc.Preamble
	s.Identical = s.Counts[Unchanged] == len(pairs) && s.HeadingChanges == 0 && !s.TitleChanged && !s.PreambleChanged
	for _, w := range a.old.doc.Warnings {
		s.OldWarnings = append(s.OldWarnings, w.String())
	}
	for _, w := range a.new.doc.Warnings {
		s.NewWarnings = append(s.NewWarnings, w.String())
	}
	return s
}
