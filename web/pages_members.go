package web

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"

	"parley"
)

// membersPage is the data of the page of a process's members.
type membersPage struct {
	view
	// Action is where the forms that add a member or change a role post.
	Action string
	Rows   []memberRow
	// Roles and Parties are the choices of each member's form.
	Roles, Parties []option
	// Form adds a member.
	Form *form
}

// memberRow is one member of the process.
type memberRow struct {
	UserID, Name, Label string
	Role                string
	PartyID, Party      string
	RemoveURL           string
}

// membersURL is the address of the members page of a process.
func membersURL(processID string) string { return processURL(processID) + "/members" }

// memberForm is the form that adds a member, or changes a member's role.
func memberForm(processID string, parties []option) *form {
	return &form{Action: membersURL(processID), Submit: "Add or change the member", Fields: []*field{
		{Name: "user", Label: "User name", Type: "text", Required: true,
			Help: "The sign-in name of an existing account; an administrator makes accounts."},
		{Name: "role", Label: "Role", Type: "select", Value: string(parley.RoleObserver), Options: roleOptions()},
		{Name: "party_id", Label: "Party, for a delegate", Type: "select", Options: parties,
			Help: "The party a delegate speaks for; mediators and observers speak for none."},
	}}
}

// roleOptions are the roles, each said with what it may do.
func roleOptions() []option {
	return []option{
		{Value: string(parley.RoleMediator), Label: "mediator: sees and changes every record"},
		{Value: string(parley.RoleDelegate), Label: "delegate: speaks for one party"},
		{Value: string(parley.RoleObserver), Label: "observer: sees public records only"},
	}
}

// handleMembersPage shows the members of a process, with the forms that
// add one, change a role and remove one: for the process's mediators and
// the administrators. The store refuses everyone else.
func (s *Server) handleMembersPage(w http.ResponseWriter, r *http.Request) {
	s.renderMembers(w, r, http.StatusOK, nil)
}

// renderMembers draws the members page with status; f, when not nil, is
// the add form as it was sent, with what is wrong.
func (s *Server) renderMembers(w http.ResponseWriter, r *http.Request, status int, f *form) {
	ctx := r.Context()
	processID := r.PathValue("id")
	ms, err := s.svc.Users.FindMemberships(ctx, processID)
	if err != nil {
		s.pageError(w, r, s.membersRefusal(ctx, processID, err))
		return
	}
	// An administrator who is no member of the process manages its
	// members without seeing it: the process and its parties are then
	// shown by ID.
	title := "Members of process " + processID
	proc, err := s.svc.Processes.FindProcessByID(ctx, processID)
	switch {
	case err == nil:
		title = "Members of " + proc.Name
	case parley.ErrorCode(err) != parley.ENOTFOUND:
		s.pageError(w, r, err)
		return
	}
	var parties []*parley.Party
	if proc != nil {
		if parties, err = s.svc.Parties.FindParties(ctx, processID); err != nil {
			s.pageError(w, r, err)
			return
		}
	}
	n := newNames(parties, nil, nil, nil, nil, nil)
	partyChoices := partyOptions(parties, "(none)")
	pg := &membersPage{view: view{Title: title, Process: proc}, Action: membersURL(processID),
		Roles: roleOptions(), Parties: partyChoices, Form: f}
	for _, m := range ms {
		row := memberRow{UserID: m.UserID, Name: m.UserID, Label: m.UserID, Role: string(m.Role), PartyID: m.PartyID,
			RemoveURL: membersURL(processID) + "/" + url.PathEscape(m.UserID) + "/remove"}
		if u, err := s.svc.Users.FindUserByID(ctx, m.UserID); err == nil {
			row.Name, row.Label = u.Name, u.Label()
		}
		if m.PartyID != "" {
			row.Party = n.Party(m.PartyID)
			if !slices.ContainsFunc(pg.Parties, func(o option) bool { return o.Value == m.PartyID }) {
				pg.Parties = append(pg.Parties, option{Value: m.PartyID, Label: row.Party})
			}
		}
		pg.Rows = append(pg.Rows, row)
	}
	slices.SortFunc(pg.Rows, func(a, b memberRow) int { return cmp.Compare(a.Name, b.Name) })
	if pg.Form == nil {
		pg.Form = memberForm(processID, partyChoices)
	}
	s.render(w, r, status, "members.html", pg)
}

// handleMemberSet adds a member to a process, or changes a member's role
// and party, by user name; then shows the members again
// (Post/Redirect/Get), or the form with what is wrong.
func (s *Server) handleMemberSet(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	processID := r.PathValue("id")
	if err := parseForm(w, r, maxFormBody); err != nil {
		s.pageError(w, r, err)
		return
	}
	// The store says first whether the reader manages the members, so
	// that no one else learns from the answers which accounts exist.
	if _, err := s.svc.Users.FindMemberships(ctx, processID); err != nil {
		s.pageError(w, r, s.membersRefusal(ctx, processID, err))
		return
	}
	vals := r.PostForm
	name := formLine(vals, "user")
	m := &parley.Membership{ProcessID: processID, Role: parley.Role(formLine(vals, "role"))}
	if m.Role == parley.RoleDelegate {
		// The party select stays on screen whatever the role: a party
		// left chosen for a mediator or an observer means none.
		m.PartyID = formLine(vals, "party_id")
	}
	var err error
	if name == "" {
		err = parley.FieldErrorf("user", "name the user to add")
	} else {
		var u *parley.User
		if u, err = s.svc.Users.FindUserByName(ctx, name); err == nil {
			m.UserID = u.ID
			err = s.svc.Users.SetMembership(ctx, m)
		} else if parley.ErrorCode(err) == parley.ENOTFOUND {
			err = parley.FieldErrorf("user", "there is no user named %q", name)
		}
	}
	var e *parley.Error
	if errors.As(err, &e) && e.Field == "user_id" {
		err = parley.FieldErrorf("user", "%s", e.Message)
	}
	switch {
	case err == nil:
		seeOther(w, r, membersURL(processID))
	case isFormError(err):
		parties := partyOptions(nil, "(none)")
		if ps, perr := s.svc.Parties.FindParties(ctx, processID); perr == nil {
			parties = partyOptions(ps, "(none)")
		}
		f := memberForm(processID, parties)
		f.keep(vals)
		f.fail(err)
		s.renderMembers(w, r, s.statusOfForm(r, err), f)
	default:
		s.pageError(w, r, err)
	}
}

// membersRefusal is the answer to a reader the store refuses the members
// of a process: a member who may not see the process (an observer of a
// process-wide one, a delegate of one for the mediators only) finds
// nothing, as for a process that does not exist, rather than a refusal
// that says it exists.
func (s *Server) membersRefusal(ctx context.Context, processID string, err error) error {
	if parley.ErrorCode(err) == parley.EFORBIDDEN {
		if _, perr := s.svc.Processes.FindProcessByID(ctx, processID); parley.ErrorCode(perr) == parley.ENOTFOUND {
			return perr
		}
	}
	return err
}

// handleMemberRemove ends a user's membership of a process: their next
// request no longer finds it.
func (s *Server) handleMemberRemove(w http.ResponseWriter, r *http.Request) {
	processID, userID := r.PathValue("id"), r.PathValue("user")
	if err := s.svc.Users.RemoveMembership(r.Context(), userID, processID); err != nil {
		s.pageError(w, r, s.membersRefusal(r.Context(), processID, err))
		return
	}
	if a := parley.ActorFrom(r.Context()); a != nil && a.UserID == userID {
		seeOther(w, r, "/") // no longer a member, the reader cannot see the members
		return
	}
	seeOther(w, r, membersURL(processID))
}
