package parley

import (
	"context"
	"time"
)

// The services below are implemented by each store. Every method takes a
// context carrying the actor (see WithActor); stores check and filter by
// it. Find methods return ENOTFOUND for a record that does not exist, never
// a nil record. Create methods validate the record, then set its ID and
// timestamps. Update methods replace the mutable fields of the record with
// the given ID and return ENOTFOUND when there is none. Every write is one
// transaction: on any error nothing is stored.

// ProcessService manages processes.
type ProcessService interface {
	// FindProcessByID returns a process, or ENOTFOUND.
	FindProcessByID(ctx context.Context, id string) (*Process, error)
	// FindProcesses returns the processes matching the filter, ordered by
	// name, and how many match in all (ignoring Offset and Limit).
	FindProcesses(ctx context.Context, filter ProcessFilter) ([]*Process, int, error)
	// CreateProcess validates and stores a new process.
	CreateProcess(ctx context.Context, p *Process) error
	// UpdateProcess replaces the name, summary, topics and classification
	// of process p.ID and sets p.Updated.
	UpdateProcess(ctx context.Context, p *Process) error
}

// ProcessFilter selects processes.
type ProcessFilter struct {
	ID     *string
	Name   *string
	Offset int
	Limit  int // 0 means no limit
}

// PartyService manages the parties of processes.
type PartyService interface {
	// FindPartyByID returns a party, or ENOTFOUND.
	FindPartyByID(ctx context.Context, id string) (*Party, error)
	// FindParties returns the parties of a process, by name.
	FindParties(ctx context.Context, processID string) ([]*Party, error)
	// CreateParty validates and stores a new party of p.ProcessID.
	CreateParty(ctx context.Context, p *Party) error
	// UpdateParty replaces the name, kind and classification of party p.ID.
	UpdateParty(ctx context.Context, p *Party) error
}

// PersonService manages people.
type PersonService interface {
	// FindPersonByID returns a person, or ENOTFOUND.
	FindPersonByID(ctx context.Context, id string) (*Person, error)
	// FindPeople returns the people of a process, by name.
	FindPeople(ctx context.Context, processID string) ([]*Person, error)
	// CreatePerson validates and stores a new person of p.ProcessID.
	CreatePerson(ctx context.Context, p *Person) error
	// UpdatePerson replaces the name, party, role and classification of person p.ID.
	UpdatePerson(ctx context.Context, p *Person) error
}

// ChannelService manages channels.
type ChannelService interface {
	// FindChannelByID returns a channel, or ENOTFOUND.
	FindChannelByID(ctx context.Context, id string) (*Channel, error)
	// FindChannels returns the channels of a process, by name.
	FindChannels(ctx context.Context, processID string) ([]*Channel, error)
	// CreateChannel validates and stores a new channel of c.ProcessID.
	CreateChannel(ctx context.Context, c *Channel) error
	// UpdateChannel replaces the name, kind, members and classification of channel c.ID.
	UpdateChannel(ctx context.Context, c *Channel) error
}

// ContactService manages contacts.
type ContactService interface {
	// FindContactByID returns a contact, or ENOTFOUND.
	FindContactByID(ctx context.Context, id string) (*Contact, error)
	// FindContacts returns the contacts of a process in the order they
	// started.
	FindContacts(ctx context.Context, processID string) ([]*Contact, error)
	// FindRecentContacts returns limit of the contacts of a process the
	// actor may see, the latest to start first, after the first offset
	// of them, and how many the actor may see in all, which it counts
	// without reading every record: a page of the latest costs about
	// the same in a process of thousands as in a small one.
	FindRecentContacts(ctx context.Context, processID string, limit, offset int) ([]*Contact, int, error)
	// CreateContact validates and stores a new contact of c.ProcessID.
	CreateContact(ctx context.Context, c *Contact) error
	// UpdateContact replaces every field of contact c.ID but its process.
	UpdateContact(ctx context.Context, c *Contact) error
}

// SourceService manages sources.
type SourceService interface {
	// FindSourceByID returns a source, or ENOTFOUND.
	FindSourceByID(ctx context.Context, id string) (*Source, error)
	// FindSources returns the sources of a process, by outlet and title.
	FindSources(ctx context.Context, processID string) ([]*Source, error)
	// FindRecentSources returns limit of the sources of a process the
	// actor may see, the latest published first and those of unknown
	// date last, after the first offset of them, and how many the actor
	// may see in all, counted as FindRecentContacts counts.
	FindRecentSources(ctx context.Context, processID string, limit, offset int) ([]*Source, int, error)
	// CreateSource validates and stores a new source of s.ProcessID.
	CreateSource(ctx context.Context, s *Source) error
	// UpdateSource replaces every field of source s.ID but its process.
	UpdateSource(ctx context.Context, s *Source) error
}

// PlanService manages plans, their versions and the points of versions.
type PlanService interface {
	// FindPlanByID returns a plan with its versions (without text).
	FindPlanByID(ctx context.Context, id string) (*Plan, error)
	// FindPlans returns the plans of a process, by title, each with its
	// versions (without text).
	FindPlans(ctx context.Context, processID string) ([]*Plan, error)
	// CreatePlan validates and stores a new plan of p.ProcessID.
	CreatePlan(ctx context.Context, p *Plan) error
	// UpdatePlan replaces the title, template and classification of plan
	// p.ID.
	UpdatePlan(ctx context.Context, p *Plan) error

	// FindVersionByID returns a version with its text and points.
	FindVersionByID(ctx context.Context, id string) (*Version, error)
	// CreateVersion validates v, parses its text into points with
	// package plantext (EINVALID naming line and column when the text
	// cannot be parsed or has no points), computes each point's lineage
	// against the previous version with package compare, gives a point
	// without tags the tags of the points it came from, and stores it.
	CreateVersion(ctx context.Context, v *Version) error
	// ClassifyVersion changes the classification of a version (its text
	// and points never change) and returns the version, without text.
	ClassifyVersion(ctx context.Context, versionID string, c Classification) (*Version, error)
	// UpdatePoint changes the annotations of one point of a version and
	// returns the point.
	UpdatePoint(ctx context.Context, versionID, pointID string, upd PointUpdate) (*Point, error)
	// FindPointHistory follows a point back through the versions it came
	// from and forward through the versions that came from it, and returns
	// one step per version, in the order of the versions' dates.
	FindPointHistory(ctx context.Context, versionID, pointID string) ([]*PointStep, error)
	// FindPointsByContact returns the points whose provenance names the
	// contact as where they were raised, one step per version, in the
	// order of the versions' dates; ENOTFOUND when there is no such
	// contact.
	FindPointsByContact(ctx context.Context, contactID string) ([]*PointStep, error)
}

// SearchService searches the texts of a process.
type SearchService interface {
	// Search returns the points and contacts whose text matches the
	// query, best first. When more than MaxRanked points and contacts
	// the actor may see match, it ranks only the MaxRanked written last
	// (each point of a version is one), and says so.
	Search(ctx context.Context, q SearchQuery) (*SearchResult, error)
}

// Bounds of a search: the length of the query, the number of hits, and
// the number of matches ranked. Ranking costs time for every match: a
// word that every contact of a process holds would otherwise make its
// searches slower the longer the process runs.
const (
	MaxQueryLen    = 500
	MaxSearchLimit = 1000
	MaxRanked      = 1000
)

// SearchResult is what a search found.
type SearchResult struct {
	// Hits are the matches, best first, at most the limit.
	Hits []*SearchHit
	// Narrowed says that more than MaxRanked matches the actor may see
	// were found: Hits are the best of the MaxRanked written last.
	Narrowed bool
}

// SearchQuery is a full-text search. Text is words to find (all of them,
// any word form that starts the same for the last word); "quoted phrases"
// match as phrases.
type SearchQuery struct {
	ProcessID string
	Text      string
	Limit     int // 0 means 50; at most MaxSearchLimit
}

// SearchHit is one match: a point of a version, or a contact.
type SearchHit struct {
	Kind      string `json:"kind"` // "point" or "contact"
	VersionID string `json:"version_id,omitempty"`
	PointID   string `json:"point_id,omitempty"`
	ContactID string `json:"contact_id,omitempty"`
	// Title says where the match is ("US 28-point plan, point 12", or the
	// contact's kind and date).
	Title string `json:"title"`
	// Snippet is the matching passage, cut into runs that match the
	// query or not.
	Snippet []SnippetRun `json:"snippet"`
	// Date is the version's or the contact's date.
	Date time.Time `json:"date"`
}

// SnippetRun is a run of a search snippet.
type SnippetRun struct {
	Text  string `json:"text"`
	Match bool   `json:"match,omitempty"`
}

// ArchiveService moves whole processes in and out of a store.
type ArchiveService interface {
	// ExportProcess returns a process and every record in it.
	ExportProcess(ctx context.Context, id string) (*Archive, error)
	// ImportProcess stores every record of an archive with its IDs and
	// timestamps, in one transaction, after checking it: ECONFLICT when a
	// record with one of its IDs exists, EINVALID naming the record and
	// field when a record is invalid or refers to one that is not in the
	// archive.
	ImportProcess(ctx context.Context, a *Archive) error
}

// ArchiveSchema names the format of an archive.
const ArchiveSchema = "parley.process/v1"

// Archive is a whole process as one document: the format of `parley
// export` and `parley import`. Versions carry their text and points.
type Archive struct {
	Schema   string     `json:"schema"`
	Process  *Process   `json:"process"`
	Parties  []*Party   `json:"parties"`
	People   []*Person  `json:"people"`
	Channels []*Channel `json:"channels"`
	Sources  []*Source  `json:"sources"`
	Contacts []*Contact `json:"contacts"`
	Plans    []*Plan    `json:"plans"`
	Versions []*Version `json:"versions"`
	// Positions, Issues and Preferences were added after the first
	// archives were written; an archive without them has none.
	Positions   []*Position    `json:"positions,omitempty"`
	Issues      []*Issue       `json:"issues,omitempty"`
	Preferences []*Preferences `json:"preferences,omitempty"`
	// Regions, Lines and Provisions hold the process's map and the
	// territorial provisions of its versions.
	Regions    []*Region    `json:"regions,omitempty"`
	Lines      []*Line      `json:"lines,omitempty"`
	Provisions []*Provision `json:"provisions,omitempty"`
}

// Services are the services of one store, as the store's constructor
// returns them and the web layer, the demo loader and the tests take them.
// Each part is a small interface; users take the parts they need.
type Services struct {
	Processes ProcessService
	Parties   PartyService
	People    PersonService
	Channels  ChannelService
	Contacts  ContactService
	Sources   SourceService
	Plans     PlanService
	Positions PositionService
	// Negotiation holds the negotiation model and preferences, and
	// analyses them.
	Negotiation NegotiationService
	// Territory holds the map of a process and the territorial
	// provisions of its versions.
	Territory TerritoryService
	Search    SearchService
	Archive   ArchiveService
	Users     UserService
	Auth      AuthService
	Audit     AuditService
	// Changes counts the writes to the store's tables, for caches.
	Changes ChangeService
}

// UserService manages accounts and memberships. Administrators manage
// every account; a process's mediators manage the memberships of that
// process; a user may read their own account and change their password.
type UserService interface {
	// FindUserByID returns a user, or ENOTFOUND.
	FindUserByID(ctx context.Context, id string) (*User, error)
	// FindUserByName returns the user with a sign-in name, or ENOTFOUND.
	FindUserByName(ctx context.Context, name string) (*User, error)
	// FindUsers returns every user, by name (administrators only).
	FindUsers(ctx context.Context) ([]*User, error)
	// CountUsers returns the number of accounts; it needs no actor, so
	// that a server can tell a first run.
	CountUsers(ctx context.Context) (int, error)
	// CreateUser validates and stores a new user with a password.
	CreateUser(ctx context.Context, u *User, password string) error
	// SetPassword changes a user's password and ends their sessions.
	SetPassword(ctx context.Context, userID, password string) error
	// SetDisabled disables or enables an account; disabling ends its
	// sessions and its API tokens stop working at once.
	SetDisabled(ctx context.Context, userID string, disabled bool) error

	// FindMemberships returns the memberships of a process (its
	// mediators, or an administrator) or, with processID empty, of the
	// actor.
	FindMemberships(ctx context.Context, processID string) ([]*Membership, error)
	// SetMembership adds or replaces a user's membership of a process.
	SetMembership(ctx context.Context, m *Membership) error
	// RemoveMembership ends a user's membership of a process.
	RemoveMembership(ctx context.Context, userID, processID string) error
}

// AuthService signs users in and out. Its methods need no actor: they
// are what makes one.
type AuthService interface {
	// SignIn checks a user's password, and returns a new session token
	// and the actor. Failures are EUNAUTHORIZED with one message for a
	// wrong name or password, or ETHROTTLED with RetryAfter set
	// after too many recent failures for the account or the address.
	SignIn(ctx context.Context, name, password, address string) (token string, a *Actor, err error)
	// Session returns the actor of a session token, extending the
	// session; EUNAUTHORIZED when the token is unknown, expired, or its
	// user disabled.
	Session(ctx context.Context, token string) (*Actor, error)
	// SignOut ends a session.
	SignOut(ctx context.Context, token string) error
	// APIToken returns the actor of an API token; EUNAUTHORIZED when it
	// is unknown, revoked, or its user disabled.
	APIToken(ctx context.Context, secret string) (*Actor, error)
	// CreateAPIToken makes a token for a user (the user themself or an
	// administrator) and returns its secret, shown once.
	CreateAPIToken(ctx context.Context, userID, name string) (*APIToken, string, error)
	// RevokeAPIToken revokes a token.
	RevokeAPIToken(ctx context.Context, id string) error
	// FindAPITokens returns a user's tokens.
	FindAPITokens(ctx context.Context, userID string) ([]*APIToken, error)
	// SetupToken returns a one-time token for creating the first
	// administrator, or ECONFLICT once any user exists.
	SetupToken(ctx context.Context) (string, error)
	// Setup creates the first administrator with the one-time token.
	Setup(ctx context.Context, token string, u *User, password string) error
}

// AuditService reads the audit log. Stores append to it in the same
// transaction as each write, and for every read of a non-public record.
type AuditService interface {
	// FindAuditRecords returns the records of a process's log, newest
	// first (its mediators only).
	FindAuditRecords(ctx context.Context, filter AuditFilter) ([]*AuditRecord, int, error)
	// Checkpoint returns a signed checkpoint of the whole log.
	Checkpoint(ctx context.Context) (string, error)
	// VerifyAudit checks the whole log against its own hashes and, when
	// given, against an earlier checkpoint kept outside the database.
	VerifyAudit(ctx context.Context, checkpoint string) (*AuditReport, error)
}

// AuditFilter selects audit records.
type AuditFilter struct {
	ProcessID string
	Offset    int
	Limit     int // 0 means 100
}

// AuditRecord is one entry of the audit log: who did what to which records.
type AuditRecord struct {
	Seq       int64     `json:"seq"`
	Time      time.Time `json:"time"`
	UserID    string    `json:"user_id,omitempty"`
	Actor     string    `json:"actor"`  // the actor's label at the time
	Action    string    `json:"action"` // read, create, update, share, sign-in, ...
	ProcessID string    `json:"process_id,omitempty"`
	Kind      string    `json:"kind,omitempty"`   // party, contact, version, ...
	IDs       []string  `json:"ids,omitempty"`    // the records read or written
	Detail    string    `json:"detail,omitempty"` // e.g. the new classification
}

// AuditReport is the outcome of a verification.
type AuditReport struct {
	Size     int64  `json:"size"`     // records checked
	Root     string `json:"root"`     // the tree's root hash, base64
	Verified int64  `json:"verified"` // size of the earlier checkpoint proved consistent, 0 if none given
}
