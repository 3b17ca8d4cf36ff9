package storetest

import (
	"fmt"
	"sync"
	"testing"

	"parley"
)

func init() { suites["groups"] = inParts(part{"concurrent writes", testGroupWrites}) }

// testGroupWrites sends many writes at once, so that they share
// transactions (group commit), with every third refused inside its
// transaction (a contact on a made-up channel): each accepted write is
// stored whole with its audit record and its count of changes, each
// refused one leaves nothing, and the audit log verifies.
func testGroupWrites(t *testing.T, s *Store) {
	ctx := asSystem()
	proc := mustProcess(t, s, "Busy")
	auditBefore := auditTotal(t, s, proc.ID)
	before := changesNow(t, s)
	const n = 60
	errs := make([]error, n)
	contacts := make([]*parley.Contact, n)
	var wg sync.WaitGroup
	for i := range n {
		c := &parley.Contact{ProcessID: proc.ID, Kind: parley.Call, Status: parley.Held, Start: day(11, 1+i%28),
			Summary: fmt.Sprintf("Call %d on the exchange of prisoners.", i), Classification: &public}
		if i%3 == 2 {
			c.ChannelID = "made-up-channel"
		}
		contacts[i] = c
		wg.Go(func() { errs[i] = s.Contacts.CreateContact(ctx, c) })
	}
	wg.Wait()
	stored := 0
	for i, err := range errs {
		refused := i%3 == 2
		switch {
		case refused && parley.ErrorCode(err) != parley.EINVALID:
			t.Errorf("contact %d on a made-up channel: got %v, want EINVALID", i, err)
		case !refused && err != nil:
			t.Errorf("contact %d: %v", i, err)
		case !refused:
			stored++
			got, err := s.Contacts.FindContactByID(ctx, contacts[i].ID)
			if err != nil || got.Summary != contacts[i].Summary {
				t.Errorf("contact %d: stored as %+v (%v)", i, got, err)
			}
		}
	}
	all, err := s.Contacts.FindContacts(ctx, proc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != stored {
		t.Errorf("the process holds %d contacts, want the %d accepted", len(all), stored)
	}
	if got := auditTotal(t, s, proc.ID) - auditBefore; got != stored {
		t.Errorf("the audit log gained %d records, want one per accepted write (%d)", got, stored)
	}
	after := changesNow(t, s)
	if got := after["contacts"].Added - before["contacts"].Added; got != int64(stored) {
		t.Errorf("contacts counted %d added, want %d", got, stored)
	}
	if _, err := s.Audit.VerifyAudit(ctx, ""); err != nil {
		t.Errorf("the audit log does not verify after concurrent writes: %v", err)
	}
}
