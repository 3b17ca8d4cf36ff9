package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"parley"
)

// classWords says in words who may see a record of classification c,
// naming the parties by n (by ID when n is nil or does not know them):
// "Shared with Russia, United States".
func classWords(c parley.Classification, n *names) string {
	parties := make([]string, len(c.PartyIDs))
	for k, id := range c.PartyIDs {
		parties[k] = id
		if n != nil {
			parties[k] = n.Party(id)
		}
	}
	switch c.Level {
	case parley.Public:
		return "Public"
	case parley.ProcessWide:
		return "Process-wide"
	case parley.Shared:
		return "Shared with " + strings.Join(parties, ", ")
	case parley.Confidential:
		return "Confidential to " + strings.Join(parties, ", ")
	case parley.MediatorsOnly:
		return "Mediators only"
	}
	return capitalize(string(c.Level))
}

// classBadge draws a badge of level with text: the one place where a
// classification is drawn. Its style follows the level; its words say the
// same, so that a printed page or a reader who cannot tell colours apart
// loses nothing.
func classBadge(level parley.Level, text string) template.HTML {
	style := "other"
	if slices.Contains(parley.Levels(), level) {
		style = string(level)
	}
	return template.HTML(`<span class="class-badge class-badge-` + style + `">` +
		`<span class="visually-hidden">Who may see this: </span>` + template.HTMLEscapeString(text) + `</span>`)
}

// classificationBadge is the badge of a record of classification c, with
// the parties named by n (which may be nil). Templates call it as
// "classification".
func classificationBadge(c parley.Classification, n *names) template.HTML {
	return classBadge(c.Level, classWords(c, n))
}

// contactBadge is the badge of a contact: its own classification or, when
// it has none, its channel's, said as such ("As its channel: Shared with
// Russia, United States"). The channel is found in n.
func contactBadge(c *parley.Contact, n *names) template.HTML {
	if c.Classification != nil {
		return classificationBadge(*c.Classification, n)
	}
	var channel parley.Classification
	if n != nil && n.channels[c.ChannelID] != nil {
		channel = n.channels[c.ChannelID].Classification
	}
	return inheritedBadge(channel, n)
}

// inheritedBadge is the badge of a contact that takes its channel's
// classification c; c is zero when the channel is not known.
func inheritedBadge(c parley.Classification, n *names) template.HTML {
	if c.Level == "" {
		return classBadge("", "As its channel")
	}
	return classBadge(c.Level, "As its channel: "+classWords(c, n))
}

// shareTarget is a stored record as its sharing form sees it: what it is
// called, who may see it, and how its classification is changed.
type shareTarget struct {
	noun, name string
	processID  string
	// url is the record's page, where a saved form leads; shareURL is the
	// address of its sharing form.
	url, shareURL string
	// class is the record's classification, or for a contact that has
	// none its channel's.
	class parley.Classification
	// own is what the form starts from: the record's own classification,
	// nil for a contact that takes its channel's.
	own *parley.Classification
	// inherit labels the choice of no classification of its own (a
	// contact's "as its channel"); empty when there is no such choice.
	inherit string
	// frame: a record that frames the process (the process, its parties,
	// people and channels), which only mediators change.
	frame bool
	// save changes the record's classification: c is nil only when
	// inherit allows it.
	save func(ctx context.Context, c *parley.Classification) error
}

// mayShare reports whether a reader with access acc may change who sees
// the record, so that the form is offered only to them. The store decides
// again when the form is sent.
func (t *shareTarget) mayShare(acc parley.Access) bool {
	if t.frame {
		return acc.Mediator()
	}
	return acc.Owns(t.class)
}

// badge is the record's classification badge.
func (t *shareTarget) badge(n *names) template.HTML {
	if t.own == nil {
		return inheritedBadge(t.class, n)
	}
	return classificationBadge(t.class, n)
}

// sharePath is the address of the sharing form of a record whose pages
// live under base ("/contacts/" + its ID).
func sharePath(base string) string { return base + "/share" }

// processTarget is a process as its sharing form sees it.
func processTarget(svc parley.Services, p *parley.Process) *shareTarget {
	if p.ID == "" {
		return nil
	}
	return &shareTarget{noun: "process", name: p.Name, processID: p.ID, url: processURL(p.ID),
		shareURL: sharePath(processURL(p.ID)), class: p.Classification, own: &p.Classification, frame: true,
		save: func(ctx context.Context, c *parley.Classification) error {
			p.Classification = *c
			return svc.Processes.UpdateProcess(ctx, p)
		}}
}

// partyTarget is a party as its sharing form sees it.
func partyTarget(svc parley.Services, p *parley.Party) *shareTarget {
	if p.ID == "" {
		return nil
	}
	base := "/parties/" + pathID(p.ID)
	return &shareTarget{noun: "party", name: p.Name, processID: p.ProcessID, url: processURL(p.ProcessID) + "#parties",
		shareURL: sharePath(base), class: p.Classification, own: &p.Classification, frame: true,
		save: func(ctx context.Context, c *parley.Classification) error {
			p.Classification = *c
			return svc.Parties.UpdateParty(ctx, p)
		}}
}

// personTarget is a person as their sharing form sees them.
func personTarget(svc parley.Services, p *parley.Person) *shareTarget {
	if p.ID == "" {
		return nil
	}
	base := "/people/" + pathID(p.ID)
	return &shareTarget{noun: "person", name: p.Name, processID: p.ProcessID, url: processURL(p.ProcessID) + "#people",
		shareURL: sharePath(base), class: p.Classification, own: &p.Classification, frame: true,
		save: func(ctx context.Context, c *parley.Classification) error {
			p.Classification = *c
			return svc.People.UpdatePerson(ctx, p)
		}}
}

// channelTarget is a channel as its sharing form sees it.
func channelTarget(svc parley.Services, ch *parley.Channel) *shareTarget {
	if ch.ID == "" {
		return nil
	}
	base := "/channels/" + pathID(ch.ID)
	return &shareTarget{noun: "channel", name: ch.Name, processID: ch.ProcessID, url: processURL(ch.ProcessID) + "#channels",
		shareURL: sharePath(base), class: ch.Classification, own: &ch.Classification, frame: true,
		save: func(ctx context.Context, c *parley.Classification) error {
			ch.Classification = *c
			return svc.Channels.UpdateChannel(ctx, ch)
		}}
}

// sourceTarget is a source as its sharing form sees it.
func sourceTarget(svc parley.Services, src *parley.Source) *shareTarget {
	if src.ID == "" {
		return nil
	}
	base := "/sources/" + pathID(src.ID)
	return &shareTarget{noun: "source", name: sourceName(src), processID: src.ProcessID, url: processURL(src.ProcessID) + "#sources",
		shareURL: sharePath(base), class: src.Classification, own: &src.Classification,
		save: func(ctx context.Context, c *parley.Classification) error {
			src.Classification = *c
			return svc.Sources.UpdateSource(ctx, src)
		}}
}

// planTarget is a plan as its sharing form sees it.
func planTarget(svc parley.Services, p *parley.Plan) *shareTarget {
	if p.ID == "" {
		return nil
	}
	return &shareTarget{noun: "plan", name: p.Title, processID: p.ProcessID, url: processURL(p.ProcessID) + "#plan-" + p.ID,
		shareURL: sharePath(planURL(p.ID)), class: p.Classification, own: &p.Classification,
		save: func(ctx context.Context, c *parley.Classification) error {
			p.Classification = *c
			return svc.Plans.UpdatePlan(ctx, p)
		}}
}

// contactTarget is a contact as its sharing form sees it; channel is its
// channel, when it has one the reader may see.
func contactTarget(svc parley.Services, c *parley.Contact, channel *parley.Channel) *shareTarget {
	if c.ID == "" {
		return nil
	}
	t := &shareTarget{noun: "contact", name: c.Title(), processID: c.ProcessID, url: contactURL(c.ID),
		shareURL: sharePath(contactURL(c.ID)), own: c.Classification,
		save: func(ctx context.Context, cl *parley.Classification) error {
			c.Classification = cl
			return svc.Contacts.UpdateContact(ctx, c)
		}}
	if c.ChannelID != "" {
		t.inherit = "As its channel"
	}
	switch {
	case c.Classification != nil:
		t.class = *c.Classification
	case channel != nil:
		t.class = channel.Classification
	}
	if channel != nil {
		t.inherit = "As its channel (" + channel.Name + ")"
	}
	return t
}

// versionTarget is a version as its sharing form sees it: a version's
// text never changes, but who may see it does (PlanService.ClassifyVersion).
func versionTarget(svc parley.Services, v *parley.Version, plan *parley.Plan) *shareTarget {
	return &shareTarget{noun: "version", name: plan.Title + ": " + v.Label, processID: plan.ProcessID, url: versionURL(v.ID),
		shareURL: sharePath(versionURL(v.ID)), class: v.Classification, own: &v.Classification,
		save: func(ctx context.Context, c *parley.Classification) error {
			_, err := svc.Plans.ClassifyVersion(ctx, v.ID, *c)
			return err
		}}
}

// pathID escapes an ID as a path segment.
func pathID(id string) string { return url.PathEscape(id) }

// shareLoader reads a record named by ID as its sharing form sees it.
type shareLoader func(s *Server, ctx context.Context, id string) (*shareTarget, error)

// shareLoaders read each kind of record that has a sharing form, by the
// first segment of its address.
var shareLoaders = map[string]shareLoader{
	"processes": func(s *Server, ctx context.Context, id string) (*shareTarget, error) {
		p, err := s.svc.Processes.FindProcessByID(ctx, id)
		if err != nil {
			return nil, err
		}
		return processTarget(s.svc, p), nil
	},
	"parties": func(s *Server, ctx context.Context, id string) (*shareTarget, error) {
		p, err := s.svc.Parties.FindPartyByID(ctx, id)
		if err != nil {
			return nil, err
		}
		return partyTarget(s.svc, p), nil
	},
	"people": func(s *Server, ctx context.Context, id string) (*shareTarget, error) {
		p, err := s.svc.People.FindPersonByID(ctx, id)
		if err != nil {
			return nil, err
		}
		return personTarget(s.svc, p), nil
	},
	"channels": func(s *Server, ctx context.Context, id string) (*shareTarget, error) {
		c, err := s.svc.Channels.FindChannelByID(ctx, id)
		if err != nil {
			return nil, err
		}
		return channelTarget(s.svc, c), nil
	},
	"contacts": func(s *Server, ctx context.Context, id string) (*shareTarget, error) {
		c, err := s.svc.Contacts.FindContactByID(ctx, id)
		if err != nil {
			return nil, err
		}
		var channel *parley.Channel
		if c.Classification == nil && c.ChannelID != "" {
			if channel, err = s.svc.Channels.FindChannelByID(ctx, c.ChannelID); err != nil {
				return nil, err
			}
		}
		return contactTarget(s.svc, c, channel), nil
	},
	"sources": func(s *Server, ctx context.Context, id string) (*shareTarget, error) {
		src, err := s.svc.Sources.FindSourceByID(ctx, id)
		if err != nil {
			return nil, err
		}
		return sourceTarget(s.svc, src), nil
	},
	"plans": func(s *Server, ctx context.Context, id string) (*shareTarget, error) {
		p, err := s.svc.Plans.FindPlanByID(ctx, id)
		if err != nil {
			return nil, err
		}
		return planTarget(s.svc, p), nil
	},
	"versions": func(s *Server, ctx context.Context, id string) (*shareTarget, error) {
		v, err := s.svc.Plans.FindVersionByID(ctx, id)
		if err != nil {
			return nil, err
		}
		plan, err := s.svc.Plans.FindPlanByID(ctx, v.PlanID)
		if err != nil {
			return nil, err
		}
		v.Text, v.Points = "", nil // the form needs neither
		return versionTarget(s.svc, v, plan), nil
	},
}

// shareKinds are the first segments of the addresses of records with a
// sharing form, in the order of the route table.
var shareKinds = []string{"processes", "parties", "people", "channels", "contacts", "sources", "plans", "versions"}

// sharingHelp explains the parties of the sharing form.
const sharingHelp = "A shared record is shared by the first party ticked (listed first), with the others; " +
	"a confidential record belongs to exactly one party. Mediators see every record."

// shareForm is the form that changes who may see t, for a reader with
// access acc: the level, and the parties of the process to tick. The
// parties that matter most come first, since the first one ticked shares
// a shared record: the reader's own party for a delegate (a delegate may
// only share as their own party), then the record's parties in their
// order (its sharer first), then the others.
func shareForm(t *shareTarget, parties []*parley.Party, acc parley.Access) *form {
	var first []string
	if acc.Role == parley.RoleDelegate && acc.PartyID != "" {
		first = append(first, acc.PartyID)
	}
	first = append(first, t.class.PartyIDs...)
	rank := func(p *parley.Party) int {
		if k := slices.Index(first, p.ID); k >= 0 {
			return k
		}
		return len(first)
	}
	ordered := slices.Clone(parties)
	slices.SortStableFunc(ordered, func(a, b *parley.Party) int { return rank(a) - rank(b) })
	own := parley.Classification{}
	if t.own != nil {
		own = *t.own
	}
	f := classificationField(own, ordered, t.inherit)
	f.Help = sharingHelp
	if acc.Role == parley.RoleDelegate {
		// A delegate may only keep a record to their party or share it
		// as their party: the other levels would be refused.
		f.Options = slices.DeleteFunc(f.Options, func(o option) bool {
			l := parley.Level(o.Value)
			return l != "" && l != parley.Shared && l != parley.Confidential && l != own.Level
		})
	}
	return &form{Action: t.shareURL, Submit: "Save who may see it", Fields: []*field{f}}
}

// sharePage is the data of the page of a record's sharing form.
type sharePage struct {
	view
	Noun, Name string
	Badge      template.HTML
	// Back is the record's page.
	Back string
	// Form is nil for a reader who may not change who sees the record.
	Form *form
}

// handleSharePage shows who may see a record and, to a reader who may
// change it, the form that does.
func (s *Server) handleSharePage(load shareLoader) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t, err := load(s, r.Context(), r.PathValue("id"))
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		s.showShareForm(w, r, t, nil)
	}
}

// handleShare changes who may see a record, then goes back to the record
// (Post/Redirect/Get); or shows the form again with what is wrong. The
// store checks that the reader may: a reader who may not is refused
// (403), one who may not even see the record finds nothing (404).
func (s *Server) handleShare(load shareLoader) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t, err := load(s, r.Context(), r.PathValue("id"))
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		if err = parseForm(w, r, maxFormBody); err == nil {
			c := formClassification(r.PostForm)
			if c.Level == "" && t.inherit != "" {
				err = t.save(r.Context(), nil)
			} else {
				err = t.save(r.Context(), &c)
			}
		}
		switch {
		case err == nil:
			seeOther(w, r, t.url)
		case isFormError(err):
			s.showShareForm(w, r, t, err)
		case parley.ErrorCode(err) == parley.EFORBIDDEN && t.mayShare(parley.ActorFrom(r.Context()).In(t.processID)):
			// A reader who may change the record but chose whom they
			// may not share with (a delegate sharing as another party)
			// corrects it on the form.
			s.showShareForm(w, r, t, err)
		default:
			s.pageError(w, r, err)
		}
	}
}

// showShareForm draws the sharing page of t, with err on its form.
func (s *Server) showShareForm(w http.ResponseWriter, r *http.Request, t *shareTarget, err error) {
	ctx := r.Context()
	proc, perr := s.svc.Processes.FindProcessByID(ctx, t.processID)
	if perr != nil {
		s.pageError(w, r, perr)
		return
	}
	parties, perr := s.svc.Parties.FindParties(ctx, t.processID)
	if perr != nil {
		s.pageError(w, r, perr)
		return
	}
	n := newNames(parties, nil, nil, nil, nil, nil)
	pg := &sharePage{view: view{Title: "Who may see the " + t.noun + " “" + t.name + "”", Process: proc},
		Noun: t.noun, Name: t.name, Badge: t.badge(n), Back: t.url}
	if acc := parley.ActorFrom(ctx).In(t.processID); t.mayShare(acc) || r.Method == http.MethodPost {
		pg.Form = shareForm(t, parties, acc)
		pg.Form.Cancel = t.url
		if r.Method == http.MethodPost {
			pg.Form.keep(r.PostForm)
		}
		if err != nil {
			pg.Form.fail(err)
			// The store names parties by ID.
			pg.Form.Error = partyNamer(parties).Replace(pg.Form.Error)
		}
	}
	s.render(w, r, s.statusOfForm(r, err), "share.html", pg)
}

// embeddedShare is a sharing form shown on a record's own page, folded
// away until opened; nil for a reader who may not change it.
type embeddedShare struct {
	Noun string
	Form *form
}

// embedShare returns the folded sharing form of t for the reader of ctx,
// or nil when they may not change who sees it.
func embedShare(ctx context.Context, t *shareTarget, parties []*parley.Party) *embeddedShare {
	acc := parley.ActorFrom(ctx).In(t.processID)
	if !t.mayShare(acc) {
		return nil
	}
	return &embeddedShare{Noun: t.noun, Form: shareForm(t, parties, acc)}
}

// partyNamer replaces the IDs of parties with their names, in messages
// and audit details that the store writes with IDs.
func partyNamer(parties []*parley.Party) *strings.Replacer {
	pairs := make([]string, 0, 2*len(parties))
	for _, p := range parties {
		pairs = append(pairs, p.ID, p.Name)
	}
	return strings.NewReplacer(pairs...)
}
