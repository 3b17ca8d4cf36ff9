package web

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"parley"
)

// timeline is the timeline of a process's contacts, drawn on the server as
// an SVG: one lane per channel (and one for contacts outside any channel),
// time from left to right with a tick per month, one mark per contact
// whose shape says its kind and whose fill and stroke say its status.
type timeline struct {
	Width, Height int
	// PlotLeft and PlotRight delimit the time axis; AxisY is its height
	// and TickY where its ticks end.
	PlotLeft, PlotRight, AxisY, TickY int
	// StatusY, KindY and PlanY are the rows of the legend.
	StatusY, KindY, PlanY int
	Lanes                 []timelineLane
	Ticks                 []timelineTick
	Marks                 []timelineMark
	Legend                []timelineMark
	// Desc sums the timeline up in words, for screen readers.
	Desc string
}

// timelineLane is one lane.
type timelineLane struct {
	Y, Height int
	// Label is the lane's name as shown, cut to fit; Name is the whole.
	Label, Name string
	Odd         bool // every other lane is shaded
}

// timelineTick is one month on the axis.
type timelineTick struct {
	X     float64
	Label string
}

// timelineMark is one contact, or a sample in the legend.
type timelineMark struct {
	X, Y  float64
	Href  string
	Title string
	// Path is the outline of the shape; Cross is drawn over it for a
	// cancelled contact.
	Path, Cross string
	Fill        string
	Stroke      string
	Dash        string // stroke-dasharray, for a shelved contact
	Label       string // in the legend
}

// Geometry of the timeline, in SVG user units.
const (
	tlWidth     = 960
	tlLabels    = 190 // the lane names
	tlRight     = 40
	tlLane      = 44
	tlTop       = 8
	tlAxis      = 30 // below the lanes: ticks and month names
	tlLegend    = 82 // three rows of samples
	tlMark      = 7  // half the size of a mark
	tlTickSpace = 56 // the least room between two month names
	tlLabelLen  = 26 // characters of a lane's name shown
	tlInk       = "#1f3a5f"
	tlCrossInk  = "#9b1c15"
)

// contactStatuses and contactKinds are in the order the legend shows
// them.
var (
	contactStatuses = []parley.ContactStatus{parley.Held, parley.Planned, parley.Cancelled, parley.Shelved}
	contactKinds    = []parley.ContactKind{parley.Call, parley.Meeting, parley.Summit, parley.Message, parley.Document, parley.Leak}
)

// newTimeline draws the contacts of a process, which are in the order they
// started, and below them, in a lane of their own, the versions of its
// plans, so that a reader sees which talks each draft followed; nil when
// there are no contacts.
func newTimeline(channels []*parley.Channel, contacts []*parley.Contact, plans []*parley.Plan, n *names) *timeline {
	return drawTimeline(channels, contacts, len(contacts), plans, n)
}

// drawTimeline is newTimeline for the latest contacts of a process of
// total, which its description then tells.
func drawTimeline(channels []*parley.Channel, contacts []*parley.Contact, total int, plans []*parley.Plan, n *names) *timeline {
	if len(contacts) == 0 {
		return nil
	}
	var versions []*parley.Version
	planOf := map[string]string{}
	for _, p := range plans {
		for _, v := range p.Versions {
			versions = append(versions, v)
			planOf[v.ID] = p.Title
		}
	}
	lane := map[string]int{}
	var lanes []timelineLane
	addLane := func(id, name string) {
		lane[id] = len(lanes)
		label := name
		if utf8.RuneCountInString(label) > tlLabelLen {
			label = string([]rune(label)[:tlLabelLen-1]) + "…"
		}
		lanes = append(lanes, timelineLane{Y: tlTop + len(lanes)*tlLane, Height: tlLane, Label: label, Name: name, Odd: len(lanes)%2 == 1})
	}
	for _, c := range channels {
		addLane(c.ID, c.Name)
	}
	outside := false
	for _, c := range contacts {
		if _, ok := lane[c.ChannelID]; !ok || c.ChannelID == "" {
			outside = true
		}
	}
	if outside {
		addLane("", "Outside any channel")
	}
	if len(versions) > 0 {
		addLane(versionLane, "Plan versions")
	}
	axisY := tlTop + len(lanes)*tlLane
	t := &timeline{Width: tlWidth, Height: axisY + tlAxis + tlLegend, PlotLeft: tlLabels, PlotRight: tlWidth - tlRight,
		AxisY: axisY, TickY: axisY + 5, StatusY: axisY + tlAxis + 14, KindY: axisY + tlAxis + 40, PlanY: axisY + tlAxis + 66,
		Lanes: lanes}

	first, last := contacts[0].Start.UTC(), contacts[0].Start.UTC()
	for _, c := range contacts {
		first, last = minTime(first, c.Start.UTC()), maxTime(last, c.Start.UTC())
	}
	// The axis spans the versions too; the description tells the
	// contacts' own span.
	contactsFrom, contactsTo := first, last
	for _, v := range versions {
		first, last = minTime(first, v.Date.UTC()), maxTime(last, v.Date.UTC())
	}
	start := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(last.Year(), last.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	// In seconds since 1970 rather than as durations, which stop at 292
	// years while contacts may be dated from 1800 to 9999.
	span := float64(end.Unix() - start.Unix())
	x := func(at time.Time) float64 {
		return round1(float64(tlLabels) + float64(at.Unix()-start.Unix())/span*float64(tlWidth-tlLabels-tlRight))
	}
	t.Ticks = monthTicks(start, end, x)

	// Marks that would overlap in a lane move up or down a little: three
	// rows per lane, each remembering where its last mark ended.
	rows := []float64{0, -12, 12}
	ends := make([][3]float64, len(lanes))
	for k := range ends {
		ends[k] = [3]float64{math.Inf(-1), math.Inf(-1), math.Inf(-1)}
	}
	// place returns where a mark at cx goes in lane l.
	place := func(l int, cx float64) float64 {
		row := 0
		for k := range rows {
			if cx-ends[l][k] >= 2*tlMark+3 {
				row = k
				break
			}
		}
		ends[l][row] = cx
		return float64(lanes[l].Y+tlLane/2) + rows[row]
	}
	for _, c := range contacts {
		l, ok := lane[c.ChannelID]
		if !ok {
			l = lane[""]
		}
		cx := x(c.Start.UTC())
		m := newMark(c.Kind, c.Status, cx, place(l, cx))
		m.Href, m.Title = contactURL(c.ID), markTitle(c, n)
		t.Marks = append(t.Marks, m)
	}
	slices.SortStableFunc(versions, func(a, b *parley.Version) int { return a.Date.Compare(b.Date) })
	for _, v := range versions {
		cx := x(v.Date.UTC())
		m := versionMark(v.TextUnknown, cx, place(lane[versionLane], cx))
		m.Href = versionURL(v.ID)
		m.Title = v.Label + " · " + planOf[v.ID] + " · " + formatDay(v.Date) + " · " + string(v.Status)
		if v.TextUnknown {
			m.Title += " · text unknown"
		}
		t.Marks = append(t.Marks, m)
	}
	t.Legend = timelineLegend(t.StatusY, t.KindY, t.PlanY)
	channelsUsed := len(lanes)
	if outside {
		channelsUsed--
	}
	if len(versions) > 0 {
		channelsUsed--
	}
	t.Desc = fmt.Sprintf("%s from %s to %s, in %s.", plural(len(contacts), "contact", "contacts"),
		formatDay(contactsFrom), formatDay(contactsTo), plural(channelsUsed, "channel", "channels"))
	if total > len(contacts) {
		t.Desc = fmt.Sprintf("The latest %d of %s contacts, from %s to %s, in %s.", len(contacts), thousands(total),
			formatDay(contactsFrom), formatDay(contactsTo), plural(channelsUsed, "channel", "channels"))
	}
	if outside {
		t.Desc = strings.TrimSuffix(t.Desc, ".") + " and outside any channel."
	}
	if len(versions) > 0 {
		t.Desc += " " + plural(len(versions), "plan version", "plan versions") + " below them."
	}
	return t
}

// monthTicks returns a tick per month from start to end, or per several
// months when one month is too narrow for its name: names of months, with
// the year on January and on the first tick.
func monthTicks(start, end time.Time, x func(time.Time) float64) []timelineTick {
	months := (end.Year()-start.Year())*12 + int(end.Month()-start.Month())
	perMonth := float64(tlWidth-tlLabels-tlRight) / float64(months)
	step := 1
	for _, s := range []int{1, 2, 3, 6, 12, 24, 60, 120, 600, 1200, 6000, 12000} {
		step = s
		if float64(s)*perMonth >= tlTickSpace {
			break
		}
	}
	var ticks []timelineTick
	for m := start; !m.After(end); m = m.AddDate(0, 1, 0) {
		if step <= 12 && (int(m.Month())-1)%step != 0 || step > 12 && (m.Month() != time.January || m.Year()%(step/12) != 0) {
			continue
		}
		label := m.Format("Jan")
		switch {
		case step >= 12:
			label = m.Format("2006")
		case len(ticks) == 0 || m.Month() == time.January:
			label = m.Format("Jan 2006")
		}
		ticks = append(ticks, timelineTick{X: x(m), Label: label})
	}
	return ticks
}

// newMark draws a contact of a kind and status at (x, y): the shape
// tells the kind, the fill and stroke the status.
func newMark(kind parley.ContactKind, status parley.ContactStatus, x, y float64) timelineMark {
	r := float64(tlMark)
	m := timelineMark{X: x, Y: y, Fill: "#fff", Stroke: tlInk}
	switch kind {
	case parley.Call:
		m.Path = fmt.Sprintf("M%.1f %.1fa%.1f %.1f 0 1 0 %.1f 0a%.1f %.1f 0 1 0 %.1f 0Z", x-r, y, r, r, 2*r, r, r, -2*r)
	case parley.Summit:
		d := r * 1.3
		m.Path = fmt.Sprintf("M%.1f %.1fL%.1f %.1fL%.1f %.1fL%.1f %.1fZ", x, y-d, x+d, y, x, y+d, x-d, y)
	case parley.Message:
		m.Path = fmt.Sprintf("M%.1f %.1fL%.1f %.1fL%.1f %.1fZ", x, y-r*1.2, x+r*1.1, y+r*0.9, x-r*1.1, y+r*0.9)
	case parley.Leak:
		m.Path = fmt.Sprintf("M%.1f %.1fL%.1f %.1fL%.1f %.1fZ", x-r*1.1, y-r*0.9, x+r*1.1, y-r*0.9, x, y+r*1.2)
	case parley.Document:
		// A page with a folded corner, told apart from a meeting's square.
		m.Path = fmt.Sprintf("M%.1f %.1fh%.1fl%.1f %.1fv%.1fh%.1fZ", x-r*0.75, y-r, r, 0.5*r, 0.5*r, 1.5*r, -1.5*r)
	default: // a meeting, and any kind this drawing does not know
		m.Path = fmt.Sprintf("M%.1f %.1fh%.1fv%.1fh%.1fZ", x-r, y-r, 2*r, 2*r, -2*r)
	}
	switch status {
	case parley.Held:
		m.Fill = tlInk
	case parley.Cancelled:
		m.Cross = fmt.Sprintf("M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1f", x-r, y-r, x+r, y+r, x+r, y-r, x-r, y+r)
	case parley.Shelved:
		m.Dash = "3 2"
	}
	return m
}

// versionLane is the lane key of the plan versions: no channel has an
// empty-looking ID like it.
const versionLane = "\x00versions"

// versionMark draws a plan version at (x, y): a flag on a pole, outlined
// and dashed when the text is unknown.
func versionMark(textUnknown bool, x, y float64) timelineMark {
	r := float64(tlMark)
	m := timelineMark{X: x, Y: y, Fill: "#b45309", Stroke: "#b45309",
		Path: fmt.Sprintf("M%.1f %.1fv%.1fM%.1f %.1fh%.1fl%.1f %.1fl%.1f %.1fh%.1fZ",
			x-r*0.8, y+r*1.2, -2.4*r, x-r*0.8, y-r*1.2, 1.9*r, -0.5*r, 0.6*r, 0.5*r, 0.6*r, -1.9*r)}
	if textUnknown {
		m.Fill, m.Dash = "#fff", "2 1.5"
	}
	return m
}

// timelineLegend draws the samples of every status and every kind, in two
// rows, and of a plan version.
func timelineLegend(statusY, kindY, planY int) []timelineMark {
	var out []timelineMark
	for k, st := range contactStatuses {
		m := newMark(parley.Meeting, st, float64(tlLabels+12+k*120), float64(statusY))
		m.Label = string(st)
		out = append(out, m)
	}
	for k, unknown := range []bool{false, true} {
		m := versionMark(unknown, float64(tlLabels+12+k*120), float64(planY))
		m.Label = "plan version"
		if unknown {
			m.Label = "text unknown"
		}
		out = append(out, m)
	}
	for k, kind := range contactKinds {
		m := newMark(kind, parley.Held, float64(tlLabels+12+k*120), float64(kindY))
		m.Label = string(kind)
		out = append(out, m)
	}
	return out
}

// markTitle is a mark's tooltip: what, when, where, and the start of the
// summary.
func markTitle(c *parley.Contact, n *names) string {
	parts := []string{capitalize(string(c.Kind)) + ", " + string(c.Status), formatWhen(c.Start)}
	if c.Place != "" {
		parts = append(parts, c.Place)
	}
	if c.ChannelID != "" {
		parts = append(parts, n.Channel(c.ChannelID))
	}
	title := strings.Join(parts, " · ")
	if c.Summary != "" {
		title += "\n" + cut(c.Summary, 160)
	}
	return title
}

// cut shortens a text to at most n characters, ending it with "…".
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:n-1])) + "…"
}

// round1 rounds to one decimal, which is precise enough on screen and
// keeps the SVG short.
func round1(f float64) float64 { return math.Round(f*10) / 10 }

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
