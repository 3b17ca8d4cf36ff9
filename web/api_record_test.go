package web_test

import (
	"fmt"
	"net/http"
	"reflect"
	"testing"
)

// recordFixture is two processes: A, classified "process", with a party,
// a person, a channel, a source and a plan; and B with one of each too,
// for references across processes.
type recordFixture struct {
	A, B                                      string // process IDs
	PartyA, PersonA, ChannelA, SourceA, PlanA string
	PartyB, PersonB, ChannelB, SourceB, PlanB string
}

// newRecordFixture creates the fixture through the API.
func newRecordFixture(tb testing.TB, env *testEnv) *recordFixture {
	tb.Helper()
	f := &recordFixture{}
	for _, side := range []struct {
		process                              *string
		party, person, channel, source, plan *string
	}{
		{&f.A, &f.PartyA, &f.PersonA, &f.ChannelA, &f.SourceA, &f.PlanA},
		{&f.B, &f.PartyB, &f.PersonB, &f.ChannelB, &f.SourceB, &f.PlanB},
	} {
		*side.process = apiID(tb, env, "/api/v1/processes", `{"name": "Process", "classification": {"level": "process"}}`)
		in := "/api/v1/processes/" + *side.process
		*side.party = apiID(tb, env, in+"/parties", `{"name": "Ukraine", "kind": "state"}`)
		*side.person = apiID(tb, env, in+"/people", `{"name": "Envoy"}`)
		*side.channel = apiID(tb, env, in+"/channels", `{"name": "Geneva", "kind": "official"}`)
		*side.source = apiID(tb, env, in+"/sources", `{"url": "https://example.org/a", "reliability": "B", "credibility": 2}`)
		*side.plan = apiID(tb, env, in+"/plans", `{"title": "Plan"}`)
	}
	return f
}

// TestAPIRecords runs every record kept in a process through create, get,
// list and patch, and their failures.
func TestAPIRecords(t *testing.T) {
	env := newTestEnv(t)
	f := newRecordFixture(t, env)
	tests := []struct {
		name       string
		collection string
		body       string
		// patch changes field patched to want; kept is a field it leaves.
		patch, patched string
		want           any
		kept           string
		// invalid is a body the store refuses, naming field.
		invalid, field string
		// inherits: a record created without a classification takes its
		// process's.
		inherits bool
	}{
		{"party", "parties", `{"name": "Russia", "kind": "state"}`,
			`{"name": "Russian Federation"}`, "name", "Russian Federation", "kind",
			`{"name": "Russia", "kind": "empire"}`, "kind", true},
		{"person", "people", fmt.Sprintf(`{"name": "Rustem Umerov", "party_id": %q, "role": "negotiator"}`, f.PartyA),
			`{"role": "secretary"}`, "role", "secretary", "party_id",
			`{"name": " ", "role": "envoy"}`, "name", true},
		{"channel", "channels", fmt.Sprintf(`{"name": "Miami", "kind": "backchannel", "party_ids": [%q]}`, f.PartyA),
			`{"kind": "official"}`, "kind", "official", "party_ids",
			`{"name": "Miami", "kind": "secret"}`, "kind", true},
		{"contact", "contacts", fmt.Sprintf(`{"kind": "meeting", "status": "held", "start": "2025-11-23T10:00:00+01:00", "channel_id": %q, "person_ids": [%q]}`, f.ChannelA, f.PersonA),
			`{"status": "shelved"}`, "status", "shelved", "start",
			`{"kind": "call", "status": "held", "start": null, "channel_id": "` + f.ChannelA + `"}`, "start", false},
		{"source", "sources", `{"url": "https://example.org/b", "outlet": "Reuters", "reliability": "C", "credibility": 3}`,
			`{"credibility": 2}`, "credibility", 2.0, "outlet",
			`{"title": "Notes", "reliability": "G", "credibility": 1}`, "reliability", true},
		{"plan", "plans", `{"title": "28-point plan"}`,
			`{"title": "The 28-point plan"}`, "title", "The 28-point plan", "created",
			`{"title": ""}`, "title", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := "/api/v1/processes/" + f.A + "/" + tt.collection
			count := func() int {
				t.Helper()
				var l apiList[map[string]any]
				r := apiCall(t, env, "GET", in, nil)
				r.want(t, http.StatusOK)
				r.decode(t, &l)
				if l.Total != len(l.Items) {
					t.Fatalf("got total %d for %d items", l.Total, len(l.Items))
				}
				return l.Total
			}
			before := count()

			// The path's process wins over the body's.
			body := tt.body[:len(tt.body)-1] + fmt.Sprintf(`, "process_id": %q, "id": "mine"}`, f.B)
			rec := apiCreate(t, env, in, body)
			id := rec["id"].(string)
			if rec["process_id"] != f.A || id == "mine" {
				t.Errorf("got process %v and id %v, want process A and a new ID", rec["process_id"], id)
			}
			class, hasClass := rec["classification"].(map[string]any)
			switch {
			case tt.inherits && (!hasClass || class["level"] != "process"):
				t.Errorf("got classification %v, want the process's (level process)", rec["classification"])
			case !tt.inherits && hasClass:
				t.Errorf("got classification %v, want none (the channel's)", class)
			}
			if got := count(); got != before+1 {
				t.Errorf("got %d records after a create, want %d", got, before+1)
			}

			at := "/api/v1/" + tt.collection + "/" + id
			r := apiCall(t, env, "GET", at, nil)
			r.want(t, http.StatusOK)
			if got := r.record(t); !reflect.DeepEqual(got, rec) {
				t.Errorf("GET returned %v, want the created %v", got, rec)
			}

			r = apiCall(t, env, "PATCH", at, tt.patch)
			r.want(t, http.StatusOK)
			patched := r.record(t)
			if patched[tt.patched] != tt.want || !reflect.DeepEqual(patched[tt.kept], rec[tt.kept]) {
				t.Errorf("got %s=%v, %s=%v after the PATCH, want %v and %v", tt.patched, patched[tt.patched], tt.kept, patched[tt.kept], tt.want, rec[tt.kept])
			}
			r = apiCall(t, env, "PATCH", at, fmt.Sprintf(`{"id": "other", "process_id": %q}`, f.B))
			r.want(t, http.StatusOK)
			if got := r.record(t); got["id"] != id || got["process_id"] != f.A {
				t.Errorf("a PATCH moved the record to id %v, process %v", got["id"], got["process_id"])
			}
			r = apiCall(t, env, "GET", at, nil)
			if got := r.record(t); !reflect.DeepEqual(got, patched) {
				t.Errorf("GET after the PATCH returned %v, want %v", got, patched)
			}

			runErrorCases(t, env, []errorCase{
				{"create invalid", "POST", in, tt.invalid, 400, "invalid", tt.field, nil},
				{"create unknown field", "POST", in, `{"colour": "red"}`, 400, "invalid", "colour", nil},
				{"create wrong type", "POST", in, `{"classification": ["public"]}`, 400, "invalid", "classification", nil},
				{"create in missing process", "POST", "/api/v1/processes/nope/" + tt.collection, tt.body, 404, "not_found", "", nil},
				{"list of missing process", "GET", "/api/v1/processes/nope/" + tt.collection, "", 404, "not_found", "", nil},
				{"get missing", "GET", "/api/v1/" + tt.collection + "/nope", "", 404, "not_found", "", nil},
				{"patch missing", "PATCH", "/api/v1/" + tt.collection + "/nope", tt.patch, 404, "not_found", "", nil},
				{"patch unknown field", "PATCH", at, `{"colour": "red"}`, 400, "invalid", "colour", nil},
				{"patch wrong type", "PATCH", at, `{"classification": "public"}`, 400, "invalid", "classification", nil},
				{"patch invalid", "PATCH", at, tt.invalid, 400, "invalid", tt.field, nil},
				{"shared with a party of another process", "PATCH", at,
					fmt.Sprintf(`{"classification": {"level": "shared", "party_ids": [%q]}}`, f.PartyB), 400, "invalid", "classification", nil},
			})
			if got := count(); got != before+1 {
				t.Errorf("got %d records after failed creates, want %d: a failed create stored something", got, before+1)
			}
			r = apiCall(t, env, "GET", at, nil)
			if got := r.record(t); !reflect.DeepEqual(got, patched) {
				t.Errorf("failed PATCHes changed the record to %v, want %v", got, patched)
			}
		})
	}
}

// TestAPIPatchReplacesWholeFields checks that a PATCH replaces a field
// given in the body whole rather than merging into it: a public
// classification drops the parties of a shared one.
func TestAPIPatchReplacesWholeFields(t *testing.T) {
	env := newTestEnv(t)
	f := newRecordFixture(t, env)
	shared := fmt.Sprintf(`{"level": "shared", "party_ids": [%q]}`, f.PartyA)
	id := apiID(t, env, "/api/v1/processes/"+f.A+"/channels",
		fmt.Sprintf(`{"name": "Track 2", "kind": "backchannel", "party_ids": [%q], "classification": %s}`, f.PartyA, shared))
	r := apiCall(t, env, "PATCH", "/api/v1/channels/"+id, `{"classification": {"level": "public"}}`)
	r.want(t, http.StatusOK)
	if got := r.record(t)["classification"]; !reflect.DeepEqual(got, map[string]any{"level": "public"}) {
		t.Errorf("got classification %v, want public with no parties", got)
	}
	// A contact's classification can go back to its channel's with null.
	contact := apiID(t, env, "/api/v1/processes/"+f.A+"/contacts",
		fmt.Sprintf(`{"kind": "call", "status": "held", "start": "2025-11-20T09:00:00Z", "channel_id": %q, "classification": %s}`, f.ChannelA, shared))
	r = apiCall(t, env, "PATCH", "/api/v1/contacts/"+contact, `{"classification": null}`)
	r.want(t, http.StatusOK)
	if got, ok := r.record(t)["classification"]; ok {
		t.Errorf("got classification %v after null, want none (the channel's)", got)
	}
}

// TestAPIContactTime checks that a contact keeps the time zone it was
// given and that a malformed time is named.
func TestAPIContactTime(t *testing.T) {
	env := newTestEnv(t)
	f := newRecordFixture(t, env)
	in := "/api/v1/processes/" + f.A + "/contacts"
	rec := apiCreate(t, env, in, fmt.Sprintf(`{"kind": "call", "status": "held", "start": "2025-11-20T10:00:00+03:00", "channel_id": %q}`, f.ChannelA))
	if got := rec["start"]; got != "2025-11-20T10:00:00+03:00" {
		t.Errorf("got start %v, want 2025-11-20T10:00:00+03:00", got)
	}
	r := apiCall(t, env, "POST", in, fmt.Sprintf(`{"kind": "call", "status": "held", "start": "yesterday", "channel_id": %q}`, f.ChannelA))
	r.wantError(t, 400, "invalid", "start", "RFC 3339")
}

// TestAPICrossProcessReferences checks that a record cannot refer to a
// record of another process.
func TestAPICrossProcessReferences(t *testing.T) {
	env := newTestEnv(t)
	f := newRecordFixture(t, env)
	in := "/api/v1/processes/" + f.A
	tests := []struct {
		name, path, body, field string
	}{
		{"person of a party of B", in + "/people", fmt.Sprintf(`{"name": "X", "party_id": %q}`, f.PartyB), "party_id"},
		{"channel between parties of B", in + "/channels", fmt.Sprintf(`{"name": "X", "kind": "official", "party_ids": [%q]}`, f.PartyB), "party_ids"},
		{"contact in a channel of B", in + "/contacts", fmt.Sprintf(`{"kind": "call", "status": "held", "start": "2025-11-20T09:00:00Z", "channel_id": %q}`, f.ChannelB), "channel_id"},
		{"contact with a person of B", in + "/contacts", fmt.Sprintf(`{"kind": "call", "status": "held", "start": "2025-11-20T09:00:00Z", "channel_id": %q, "person_ids": [%q]}`, f.ChannelA, f.PersonB), "person_ids"},
		{"contact citing a source of B", in + "/contacts", fmt.Sprintf(`{"kind": "call", "status": "held", "start": "2025-11-20T09:00:00Z", "channel_id": %q, "source_ids": [%q]}`, f.ChannelA, f.SourceB), "source_ids"},
		{"party confidential to a party of B", in + "/parties", fmt.Sprintf(`{"name": "X", "kind": "state", "classification": {"level": "confidential", "party_ids": [%q]}}`, f.PartyB), "classification"},
		{"plan modelled on a plan of B", in + "/plans", fmt.Sprintf(`{"title": "X", "template_id": %q}`, f.PlanB), "template_id"},
		{"version by a party of B", "/api/v1/plans/" + f.PlanA + "/versions", fmt.Sprintf(`{"label": "X", "date": "2025-11-20", "text": "1. A.", "author_party_id": %q}`, f.PartyB), "author_party_id"},
		{"version citing a source of B", "/api/v1/plans/" + f.PlanA + "/versions", fmt.Sprintf(`{"label": "X", "date": "2025-11-20", "text": "1. A.", "source_ids": [%q]}`, f.SourceB), "source_ids"},
		{"version shared with a party of B", "/api/v1/plans/" + f.PlanA + "/versions", fmt.Sprintf(`{"label": "X", "date": "2025-11-20", "text": "1. A.", "classification": {"level": "shared", "party_ids": [%q]}}`, f.PartyB), "classification"},
		{"patch moving a person to a party of B", "/api/v1/people/" + f.PersonA, fmt.Sprintf(`{"party_id": %q}`, f.PartyB), "party_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := "POST"
			if tt.name[:5] == "patch" {
				method = "PATCH"
			}
			apiCall(t, env, method, tt.path, tt.body).wantError(t, 400, "invalid", tt.field)
		})
	}
	// Nothing was stored by the failed creates.
	for c, want := range map[string]int{"people": 1, "channels": 1, "contacts": 0, "parties": 1, "plans": 1} {
		var l apiList[map[string]any]
		apiCall(t, env, "GET", in+"/"+c, nil).decode(t, &l)
		if l.Total != want {
			t.Errorf("got %d %s in A, want the fixture's %d", l.Total, c, want)
		}
	}
	var plan map[string]any
	apiCall(t, env, "GET", "/api/v1/plans/"+f.PlanA, nil).decode(t, &plan)
	if v, ok := plan["versions"]; ok {
		t.Errorf("got versions %v after failed creates, want none", v)
	}
}
