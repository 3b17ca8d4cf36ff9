package demo

import (
	"fmt"
	"strings"

	"parley"
)

// The negotiation model of the demo: the questions on which the 28 points,
// the European counter-proposal and the December framework gave different
// answers, each answer tied to the point that gives it. The issues and
// their ties are read off the texts; the parties' preferences and most
// positions are not on record anywhere and are illustrative, as their
// notes say.

// optionDef is an answer to an issue and the points, by version key and
// point ID, whose wording gives it. Labels are short: they fill the cells
// of the analysis's tables, and the tied points give the full wording.
type optionDef struct {
	id, label string
	points    []string // "v-us-28#6"
}

type issueDef struct {
	key, name string
	divisible bool
	options   []optionDef
	// def is what a version that says nothing of the issue means.
	def string
}

// issues, in the order the analysis shows them.
var issues = []issueDef{
	{key: "territory", name: "Territory in the east", options: []optionDef{
		{"withdraw", "Ukraine leaves Donetsk; de facto recognition", []string{"v-us-28#21"}},
		{"line-zones", "Freeze on the line; zones by referendum", []string{"v-framework#14"}},
		{"talks", "Talks from the line; no recognition", []string{"v-e3#21"}},
	}},
	{key: "guarantee", name: "Security guarantee", options: []optionDef{
		{"conditional", "Conditional US guarantee", []string{"v-us-28#10"}},
		{"us-art5", "US guarantee like Article 5", []string{"v-e3#10"}},
		{"joint-art5", "US, NATO and European guarantee like Article 5", []string{"v-framework#3"}},
	}},
	{key: "army", name: "Cap on Ukraine's armed forces", def: "none", options: []optionDef{
		{"600k", "600,000", []string{"v-us-28#6"}},
		{"800k", "800,000", []string{"v-e3#6", "v-framework#4"}},
		{"none", "No cap", nil},
	}},
	{key: "nato", name: "NATO membership", def: "open", options: []optionDef{
		{"renounced", "Renounced", []string{"v-us-28#7"}},
		{"consensus", "Left to a consensus of members", []string{"v-e3#7"}},
		{"open", "Not addressed", nil},
	}},
	{key: "assets", name: "Frozen Russian assets", divisible: true, def: "frozen", options: []optionDef{
		{"fund", "Reconstruction and a US–Russian fund", []string{"v-us-28#14"}},
		{"frozen", "Frozen until Russia pays", []string{"v-e3#14"}},
		{"returned", "Released to Russia", nil},
	}},
	{key: "sanctions", name: "Sanctions on Russia", def: "kept", options: []optionDef{
		{"lifted", "Lifted in stages", []string{"v-us-28#13", "v-e3#13"}},
		{"kept", "Kept", nil},
	}},
	{key: "amnesty", name: "Amnesty", def: "none", options: []optionDef{
		{"full", "Full amnesty", []string{"v-us-28#26"}},
		{"none", "No amnesty", nil},
	}},
	{key: "elections", name: "Elections in Ukraine", options: []optionDef{
		{"100-days", "Within 100 days", []string{"v-us-28#25"}},
		{"after-signing", "Soon after signing", []string{"v-e3#25", "v-framework#18"}},
	}},
}

// prefDef is a party's illustrative valuation of the issues.
type prefDef struct {
	party       string
	weights     map[string]int
	ratings     map[string]map[string]int
	reservation int
	never       []string // "issue:option"
}

// illustrative is the note on every preference of the demo.
const illustrative = "Illustrative numbers, not any party's real valuation: they restate what the party said in public as importance points and ratings, so that the analysis has something to work on."

// preferences: the weights say what each side fought hardest over in
// public; the never-lists are the public red lines (Kyiv on withdrawing
// from Donetsk, Moscow on Western forces in Ukraine).
var preferences = []prefDef{
	{party: "ua", reservation: 35, never: []string{"territory:withdraw"},
		weights: map[string]int{"territory": 30, "guarantee": 25, "army": 12, "nato": 8, "assets": 8, "sanctions": 5, "amnesty": 7, "elections": 5},
		ratings: map[string]map[string]int{
			"territory": {"withdraw": 0, "line-zones": 65, "talks": 100},
			"guarantee": {"conditional": 15, "us-art5": 75, "joint-art5": 100},
			"army":      {"600k": 10, "800k": 70, "none": 100},
			"nato":      {"renounced": 0, "consensus": 60, "open": 100},
			"assets":    {"fund": 30, "frozen": 100, "returned": 0},
			"sanctions": {"lifted": 20, "kept": 100},
			"amnesty":   {"full": 0, "none": 100},
			"elections": {"100-days": 30, "after-signing": 100},
		}},
	{party: "ru", reservation: 40, never: []string{"guarantee:joint-art5"},
		weights: map[string]int{"territory": 35, "guarantee": 10, "army": 15, "nato": 18, "assets": 6, "sanctions": 10, "amnesty": 4, "elections": 2},
		ratings: map[string]map[string]int{
			"territory": {"withdraw": 100, "line-zones": 45, "talks": 10},
			"guarantee": {"conditional": 100, "us-art5": 25, "joint-art5": 0},
			"army":      {"600k": 100, "800k": 45, "none": 0},
			"nato":      {"renounced": 100, "consensus": 40, "open": 0},
			"assets":    {"fund": 60, "frozen": 0, "returned": 100},
			"sanctions": {"lifted": 100, "kept": 0},
			"amnesty":   {"full": 100, "none": 20},
			"elections": {"100-days": 100, "after-signing": 40},
		}},
	{party: "us", reservation: 30,
		weights: map[string]int{"territory": 20, "guarantee": 10, "army": 8, "nato": 8, "assets": 22, "sanctions": 18, "amnesty": 4, "elections": 10},
		ratings: map[string]map[string]int{
			"territory": {"withdraw": 80, "line-zones": 100, "talks": 40},
			"guarantee": {"conditional": 100, "us-art5": 40, "joint-art5": 60},
			"army":      {"600k": 90, "800k": 100, "none": 40},
			"nato":      {"renounced": 100, "consensus": 70, "open": 30},
			"assets":    {"fund": 100, "frozen": 30, "returned": 0},
			"sanctions": {"lifted": 100, "kept": 40},
			"amnesty":   {"full": 80, "none": 60},
			"elections": {"100-days": 100, "after-signing": 70},
		}},
	{party: "e3", reservation: 35, never: []string{"assets:returned"},
		weights: map[string]int{"territory": 22, "guarantee": 25, "army": 14, "nato": 10, "assets": 15, "sanctions": 6, "amnesty": 5, "elections": 3},
		ratings: map[string]map[string]int{
			"territory": {"withdraw": 0, "line-zones": 70, "talks": 100},
			"guarantee": {"conditional": 10, "us-art5": 90, "joint-art5": 100},
			"army":      {"600k": 10, "800k": 100, "none": 80},
			"nato":      {"renounced": 0, "consensus": 100, "open": 70},
			"assets":    {"fund": 20, "frozen": 100, "returned": 0},
			"sanctions": {"lifted": 30, "kept": 100},
			"amnesty":   {"full": 10, "none": 100},
			"elections": {"100-days": 40, "after-signing": 100},
		}},
}

// positionDef is a party's stance on a point of a version.
type positionDef struct {
	party, version, point string
	stance                parley.Stance
	note                  string
	// counter is the wording the party proposed instead, when it is on
	// record.
	counter string
	// confidential marks the positions that are the party's own
	// (illustrative) record rather than public reporting.
	confidential bool
}

// positions. The E3's on the 28 points are its counter-proposal read
// point by point: what it kept it accepts, what it rewrote it accepts with
// its own wording, what it deleted it rejects. The US authored the 28
// points. Ukraine's and Russia's are illustrative, restating their public
// lines, and confidential to each.
func positions() ([]positionDef, error) {
	var out []positionDef
	e3Text, err := versionText("v-e3")
	if err != nil {
		return nil, err
	}
	us28, err := versionText("v-us-28")
	if err != nil {
		return nil, err
	}
	for n := 1; n <= 28; n++ {
		id := fmt.Sprint(n)
		if _, ok := us28[id]; !ok {
			return nil, fmt.Errorf("the 28 points have no point %s", id)
		}
		out = append(out, positionDef{party: "us", version: "v-us-28", point: id, stance: parley.Accepts,
			note: "Tabled by the United States."})
		// The E3 text keeps the numbering up to 25, deletes point 3 in
		// place and drops the amnesty (26), so 27 and 28 become 26 and 27.
		e3ID := id
		if n > 26 {
			e3ID = fmt.Sprint(n - 1)
		}
		switch {
		case n == 3 || n == 26:
			out = append(out, positionDef{party: "e3", version: "v-us-28", point: id, stance: parley.Rejects,
				note: "Deleted in the European counter-proposal."})
		case e3Text[e3ID] != us28[id]:
			out = append(out, positionDef{party: "e3", version: "v-us-28", point: id, stance: parley.AcceptsWithChanges,
				note: "Rewritten in the European counter-proposal.", counter: e3Text[e3ID]})
		default:
			out = append(out, positionDef{party: "e3", version: "v-us-28", point: id, stance: parley.Accepts,
				note: "Kept word for word in the European counter-proposal."})
		}
	}
	ua := map[string]positionDef{
		"6":  {stance: parley.Rejects, note: "Illustrative: no cap at 600,000.", counter: e3Text["6"]},
		"7":  {stance: parley.RedLine, note: "Illustrative: membership is for Ukraine and the Alliance to decide."},
		"10": {stance: parley.AcceptsWithChanges, note: "Illustrative: a guarantee that binds like an alliance.", counter: e3Text["10"]},
		"14": {stance: parley.AcceptsWithChanges, note: "Illustrative: the assets pay for the damage Russia caused.", counter: e3Text["14"]},
		"21": {stance: parley.RedLine, note: "Illustrative: no withdrawal from the part of Donetsk Ukraine holds."},
		"25": {stance: parley.AcceptsWithChanges, note: "Illustrative: elections once the war is over.", counter: e3Text["25"]},
		"26": {stance: parley.Rejects, note: "Illustrative: no amnesty that closes war-crimes cases."},
	}
	ru := map[string]positionDef{
		"3":  {stance: parley.Accepts, note: "Illustrative: no further enlargement of NATO."},
		"5":  {stance: parley.AcceptsWithChanges, note: "Illustrative: guarantees without Western troops in Ukraine."},
		"8":  {stance: parley.Accepts, note: "Illustrative: a condition Russia insists on; no NATO forces in Ukraine, at any time."},
		"9":  {stance: parley.Rejects, note: "Illustrative: no fighter aircraft stationed near the border."},
		"11": {stance: parley.NoPosition, note: "Illustrative: for Ukraine and the EU to settle."},
		"14": {stance: parley.AcceptsWithChanges, note: "Illustrative: the assets are Russia's."},
		"21": {stance: parley.Accepts, note: "Illustrative: the whole of Donetsk, as raised in the October call."},
		"22": {stance: parley.Accepts, note: "Illustrative."},
	}
	for n := 1; n <= 28; n++ {
		id := fmt.Sprint(n)
		for party, m := range map[string]map[string]positionDef{"ua": ua, "ru": ru} {
			p, ok := m[id]
			if !ok {
				p = positionDef{stance: parley.Accepts, note: "Illustrative."}
			}
			p.party, p.version, p.point, p.confidential = party, "v-us-28", id, true
			out = append(out, p)
		}
	}
	// On the December framework: Ukraine presented it; Russia's answer
	// is illustrative.
	fw, err := versionText("v-framework")
	if err != nil {
		return nil, err
	}
	ruFramework := map[string]positionDef{
		"3":  {stance: parley.RedLine, note: "Illustrative: no guarantee given by NATO or with Western troops."},
		"4":  {stance: parley.Rejects, note: "Illustrative: 800,000 is too many."},
		"5":  {stance: parley.Rejects, note: "Illustrative: see point 3."},
		"14": {stance: parley.Rejects, note: "Illustrative: Donetsk as a whole, not a freeze on the line."},
		"18": {stance: parley.AcceptsWithChanges, note: "Illustrative: elections within 100 days.", counter: us28["25"]},
	}
	for n := 1; n <= 20; n++ {
		id := fmt.Sprint(n)
		if _, ok := fw[id]; !ok {
			return nil, fmt.Errorf("the framework has no point %s", id)
		}
		out = append(out, positionDef{party: "ua", version: "v-framework", point: id, stance: parley.Accepts,
			note: "Presented by Ukraine."})
		p, ok := ruFramework[id]
		if !ok {
			p = positionDef{stance: parley.Accepts, note: "Illustrative."}
		}
		p.party, p.version, p.point, p.confidential = "ru", "v-framework", id, true
		out = append(out, p)
	}
	return out, nil
}

// versionText returns the top-level points of a version of the case, by
// point ID, as parsed by the store's parser: point texts as they will be
// stored.
func versionText(key string) (map[string]string, error) {
	for _, d := range versions {
		if d.key != key {
			continue
		}
		text, err := d.text()
		if err != nil {
			return nil, err
		}
		return topLevelPoints(text), nil
	}
	return nil, fmt.Errorf("no version %q in the case", key)
}

// topLevelPoints cuts a numbered text into its top-level points ("12. ..."),
// each with its continuation lines, trimmed: enough to compare two
// versions' wording point by point and to quote a counter-wording.
func topLevelPoints(text string) map[string]string {
	out := map[string]string{}
	current := ""
	for line := range strings.SplitSeq(text, "\n") {
		num, rest, ok := strings.Cut(line, ". ")
		if ok && num != "" && strings.Trim(num, "0123456789") == "" {
			current = num
			out[current] = rest
			continue
		}
		if current != "" && strings.TrimSpace(line) != "" && !strings.HasPrefix(line, "#") {
			out[current] += "\n" + strings.TrimSpace(line)
		}
	}
	return out
}

// negotiation stores the model, the preferences and the positions.
func (l *loader) negotiation() error {
	for k, d := range issues {
		is := &parley.Issue{ProcessID: l.process.ID, Name: d.name, Order: k + 1, Divisible: d.divisible,
			Default: d.def, Classification: public}
		for _, o := range d.options {
			opt := parley.IssueOption{ID: o.id, Label: o.label}
			for _, ref := range o.points {
				vkey, point, _ := strings.Cut(ref, "#")
				vid, err := l.id(vkey)
				if err != nil {
					return fmt.Errorf("issue %s: %w", d.key, err)
				}
				opt.Points = append(opt.Points, parley.PointRef{VersionID: vid, PointID: point})
			}
			is.Options = append(is.Options, opt)
		}
		if err := l.s.Negotiation.CreateIssue(l.ctx, is); err != nil {
			return fmt.Errorf("issue %s: %w", d.key, err)
		}
		l.ids["issue-"+d.key] = is.ID
	}
	for _, d := range preferences {
		party, err := l.id(d.party)
		if err != nil {
			return err
		}
		p := &parley.Preferences{ProcessID: l.process.ID, PartyID: party, Reservation: d.reservation,
			Note: illustrative, Weights: map[string]int{}, Ratings: map[string]map[string]int{},
			Classification: parley.Classification{Level: parley.Confidential, PartyIDs: []string{party}}}
		for key, w := range d.weights {
			id, err := l.id("issue-" + key)
			if err != nil {
				return err
			}
			p.Weights[id] = w
			p.Ratings[id] = d.ratings[key]
		}
		for _, n := range d.never {
			key, option, _ := strings.Cut(n, ":")
			id, err := l.id("issue-" + key)
			if err != nil {
				return err
			}
			p.Never = append(p.Never, parley.OptionRef{IssueID: id, OptionID: option})
		}
		if err := l.s.Negotiation.SetPreferences(l.ctx, p); err != nil {
			return fmt.Errorf("preferences of %s: %w", d.party, err)
		}
	}
	defs, err := positions()
	if err != nil {
		return err
	}
	for _, d := range defs {
		party, err := l.id(d.party)
		if err != nil {
			return err
		}
		version, err := l.id(d.version)
		if err != nil {
			return err
		}
		c := public
		if d.confidential {
			c = parley.Classification{Level: parley.Confidential, PartyIDs: []string{party}}
		}
		p := &parley.Position{ProcessID: l.process.ID, PartyID: party, VersionID: version, PointID: d.point,
			Stance: d.stance, Note: d.note, Counter: d.counter, Classification: c}
		if err := l.s.Positions.SetPosition(l.ctx, p); err != nil {
			return fmt.Errorf("position of %s on %s point %s: %w", d.party, d.version, d.point, err)
		}
	}
	return nil
}
