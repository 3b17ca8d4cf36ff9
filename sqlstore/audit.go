package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/mod/sumdb/tlog"

	"parley"
	"parley/audit"
)

// AuditService reads the audit log and signs and checks checkpoints of
// its Merkle tree. Stores append to the log with appendAudit, inside the
// transaction of the action recorded.
type AuditService struct{ db *DB }

// NewAuditService returns the audit service of db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

var _ parley.AuditService = (*AuditService)(nil)

// appendAudit appends a record of the actor in ctx to the log, with the
// stored hashes of the tree over it, in tx: the record commits with the
// action or not at all.
func appendAudit(ctx context.Context, tx *Tx, r *parley.AuditRecord) error {
	a := parley.ActorFrom(ctx)
	r.Actor = a.Label()
	if a != nil {
		r.UserID = a.UserID
	}
	return appendRecord(ctx, tx, r)
}

// appendRecord appends r, whose actor is set, to the log in tx, with the
// stored hashes of the tree over it.
func appendRecord(ctx context.Context, tx *Tx, r *parley.AuditRecord) error {
	r.Time = tx.now
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(seq) + 1, 0) FROM audit_log").Scan(&r.Seq); err != nil {
		return err
	}
	hashes, err := audit.StoredHashes(r.Seq, r, hashReader{ctx, tx})
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (seq, time, user_id, actor, action, process_id, kind, ids, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, r.Seq, formatTime(r.Time), r.UserID, r.Actor, r.Action, r.ProcessID,
		r.Kind, encodeJSON(r.IDs), r.Detail); err != nil {
		return err
	}
	first := tlog.StoredHashIndex(0, r.Seq)
	for i, h := range hashes {
		if _, err := tx.ExecContext(ctx, "INSERT INTO audit_hashes (idx, hash) VALUES ($1, $2)", first+int64(i), h[:]); err != nil {
			return err
		}
	}
	return nil
}

// auditRead records that the actor read records of a process that are not
// public, and returns once the record is committed: the caller returns
// what was read only then, so that no such read goes unlogged. Reads
// arrive from many requests at once, and a commit waits for the disk, so
// the records of concurrent reads are committed together, in one
// transaction (group commit): whoever finds no commit running starts one
// for everything waiting, and the reads that arrive meanwhile wait for the
// next.
func (db *DB) auditRead(ctx context.Context, processID, kind string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	r := parley.Read{ProcessID: processID, Kind: kind, IDs: ids}
	if t := parley.TraceFrom(ctx); t != nil {
		t.Logged(r) // to be logged again whenever a cache serves the drawing
	}
	return db.auditReads(ctx, []parley.Read{r})
}

// auditReads records reads as auditRead does, all in the same batch of
// commits, and returns once every record is committed.
func (db *DB) auditReads(ctx context.Context, reads []parley.Read) error {
	a := parley.ActorFrom(ctx)
	dones := make([]chan error, 0, len(reads))
	l := &db.reads
	l.mu.Lock()
	for _, rd := range reads {
		if len(rd.IDs) == 0 {
			continue
		}
		r := &parley.AuditRecord{Action: "read", ProcessID: rd.ProcessID, Kind: rd.Kind, IDs: rd.IDs, Actor: a.Label()}
		if a != nil {
			r.UserID = a.UserID
		}
		done := make(chan error, 1)
		dones = append(dones, done)
		l.pending = append(l.pending, pendingRead{r, done})
	}
	if len(dones) > 0 && !l.running {
		l.running = true
		go db.commitReads()
	}
	l.mu.Unlock()
	// The request keeps its admission turn while its records are stored
	// (it does not call parley.Wait): the wait is short, and mostly the
	// commit's own work on the CPUs, with which the request that got the
	// turn would compete. Under the load test, lending it cost a tenth of
	// the throughput and pushed p99 past 50 ms.
	for _, done := range dones {
		select {
		case err := <-done:
			if err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// readLog holds the audit records of reads waiting to be committed.
type readLog struct {
	mu      sync.Mutex
	pending []pendingRead
	running bool // a goroutine is committing
}

// pendingRead is a read's audit record and where to say it is committed.
type pendingRead struct {
	record *parley.AuditRecord
	done   chan<- error
}

// commitReads commits the waiting read records, batch after batch, until
// none is left.
func (db *DB) commitReads() {
	l := &db.reads
	for {
		l.mu.Lock()
		batch := l.pending
		l.pending = nil
		if len(batch) == 0 {
			l.running = false
			l.mu.Unlock()
			return
		}
		l.mu.Unlock()
		// The batch is committed whatever happens to the requests that
		// asked: they may have gone, but their reads happened.
		ctx := context.Background()
		_, err := db.update(ctx, func(tx *Tx) error {
			for _, p := range batch {
				if err := appendRecord(ctx, tx, p.record); err != nil {
					return err
				}
			}
			return nil
		})
		for _, p := range batch {
			p.done <- err
		}
	}
}

// hashReader reads the stored hashes of the tree, for tlog.
type hashReader struct {
	ctx context.Context
	q   querier
}

// ReadHashes returns the stored hashes at the given indexes.
func (h hashReader) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, idx := range indexes {
		var b []byte
		if err := h.q.QueryRowContext(h.ctx, "SELECT hash FROM audit_hashes WHERE idx = $1", idx).Scan(&b); err != nil {
			return nil, fmt.Errorf("audit hash %d: %w", idx, err)
		}
		if len(b) != tlog.HashSize {
			return nil, fmt.Errorf("audit hash %d has %d bytes", idx, len(b))
		}
		copy(out[i][:], b)
	}
	return out, nil
}

// FindAuditRecords returns the records of a process's log, newest first:
// for its mediators and the system only.
func (s *AuditService) FindAuditRecords(ctx context.Context, f parley.AuditFilter) ([]*parley.AuditRecord, int, error) {
	if _, err := signedIn(ctx); err != nil {
		return nil, 0, err
	}
	v, _, err := newView(ctx, s.db.read, f.ProcessID)
	if err != nil {
		return nil, 0, err
	}
	if !v.acc.Mediator() {
		return nil, 0, parley.Errorf(parley.EFORBIDDEN, "only mediators read the audit log")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	var total int
	if err := s.db.read.QueryRowContext(ctx, "SELECT count(*) FROM audit_log WHERE process_id = $1", f.ProcessID).Scan(&total); err != nil {
		return nil, 0, parley.Internal(err)
	}
	rs, err := findAudit(ctx, s.db.read, "process_id = $1 ORDER BY seq DESC LIMIT $2 OFFSET $3", f.ProcessID, limit, f.Offset)
	if err != nil {
		return nil, 0, err
	}
	return rs, total, nil
}

// findAudit reads audit records; where ends with the order.
func findAudit(ctx context.Context, q querier, where string, args ...any) ([]*parley.AuditRecord, error) {
	rows, err := q.QueryContext(ctx, "SELECT seq, time, user_id, actor, action, process_id, kind, ids, detail FROM audit_log WHERE "+where, args...)
	if err != nil {
		return nil, parley.Internal(err)
	}
	defer rows.Close()
	var out []*parley.AuditRecord
	for rows.Next() {
		var r parley.AuditRecord
		var t, ids string
		if err := rows.Scan(&r.Seq, &t, &r.UserID, &r.Actor, &r.Action, &r.ProcessID, &r.Kind, &ids, &r.Detail); err != nil {
			return nil, parley.Internal(err)
		}
		var err error
		if r.Time, err = parseTime(t); err != nil {
			return nil, parley.Errorf(parley.EINVALID, "audit record %d: time %q: %v", r.Seq, t, err)
		}
		if err := decodeJSON(ids, &r.IDs); err != nil {
			return nil, parley.Errorf(parley.EINVALID, "audit record %d: ids: %v", r.Seq, err)
		}
		out = append(out, &r)
	}
	if err := rows.Err(); err != nil {
		return nil, parley.Internal(err)
	}
	return out, nil
}

// signingKey returns the instance's checkpoint signing key, making one on
// first use. The verifier key is printed with every checkpoint; a party
// keeps both outside the database.
func (db *DB) signingKey(ctx context.Context) (skey, vkey string, err error) {
	read := func(q querier) error {
		if err := q.QueryRowContext(ctx, "SELECT value FROM settings WHERE name = 'audit_signer'").Scan(&skey); err != nil {
			return err
		}
		return q.QueryRowContext(ctx, "SELECT value FROM settings WHERE name = 'audit_verifier'").Scan(&vkey)
	}
	if err = read(db.read); err == nil {
		return skey, vkey, nil
	}
	if !errNoRows(err) {
		return "", "", parley.Internal(err)
	}
	_, err = db.update(ctx, func(tx *Tx) error {
		if err := read(tx); err == nil {
			return nil // another writer made it first
		}
		var err error
		if skey, vkey, err = audit.NewKey("parley-audit"); err != nil {
			return err
		}
		for name, v := range map[string]string{"audit_signer": skey, "audit_verifier": vkey} {
			if _, err := tx.ExecContext(ctx, "INSERT INTO settings (name, value) VALUES ($1, $2)", name, v); err != nil {
				return err
			}
		}
		return nil
	})
	return skey, vkey, err
}

// Checkpoint signs the tree over the whole log as it stands: the note
// with the tree's size and root, and the verifier key on the line after.
// Administrators, mediators and the system may take one.
func (s *AuditService) Checkpoint(ctx context.Context) (string, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return "", err
	}
	if !admin(a) && !mediatorAnywhere(a) {
		return "", parley.Errorf(parley.EFORBIDDEN, "only administrators and mediators take checkpoints")
	}
	skey, vkey, err := s.db.signingKey(ctx)
	if err != nil {
		return "", err
	}
	tx, err := s.db.snapshot(ctx)
	if err != nil {
		return "", parley.Internal(err)
	}
	defer tx.Rollback()
	var n int64
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM audit_log").Scan(&n); err != nil {
		return "", parley.Internal(err)
	}
	root, err := tlog.TreeHash(n, hashReader{ctx, tx})
	if err != nil {
		return "", parley.Internal(err)
	}
	note, err := audit.Sign(skey, n, root)
	if err != nil {
		return "", parley.Internal(err)
	}
	return note + vkey + "\n", nil
}

func mediatorAnywhere(a *parley.Actor) bool {
	for _, m := range a.Memberships {
		if m.Role == parley.RoleMediator {
			return true
		}
	}
	return a.System
}

// VerifyAudit recomputes the tree from the records themselves, checks it
// against the stored hashes (naming the first record that no longer
// matches) and, when given, against an earlier checkpoint with a
// consistency proof. The checkpoint's last line may be the verifier key,
// as Checkpoint prints it; otherwise the instance's key is used.
func (s *AuditService) VerifyAudit(ctx context.Context, checkpoint string) (*parley.AuditReport, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if !admin(a) && !mediatorAnywhere(a) {
		return nil, parley.Errorf(parley.EFORBIDDEN, "only administrators and mediators verify the log")
	}
	tx, err := s.db.snapshot(ctx)
	if err != nil {
		return nil, parley.Internal(err)
	}
	defer tx.Rollback()
	records, err := findAudit(ctx, tx, "1 = 1 ORDER BY seq")
	if err != nil {
		return nil, err
	}
	var earlier *tlog.Tree
	if checkpoint != "" {
		note, vkey := splitCheckpoint(checkpoint)
		if vkey == "" {
			if _, vkey, err = s.db.signingKey(ctx); err != nil {
				return nil, err
			}
		}
		t, err := audit.Open(vkey, note)
		if err != nil {
			return nil, parley.Errorf(parley.EINVALID, "checkpoint: %v", err)
		}
		earlier = &t
	}
	if err := audit.VerifyStored(records, hashReader{ctx, tx}); err != nil {
		return nil, parley.Errorf(parley.EINVALID, "audit log: %v", err)
	}
	rep, err := audit.Verify(records, earlier)
	if err != nil {
		return nil, parley.Errorf(parley.EINVALID, "audit log: %v", err)
	}
	return rep, nil
}

// splitCheckpoint splits what Checkpoint prints into the signed note and
// the verifier key on the line after it, if there is one.
func splitCheckpoint(s string) (note, vkey string) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	trimmed := strings.TrimRight(s, "\n")
	i := strings.LastIndexByte(trimmed, '\n')
	last := trimmed[i+1:]
	// Signature lines start with an em dash; a verifier key is
	// name+hash+key, the hash eight hex digits (the key is base64, which
	// may hold '+' too).
	parts := strings.SplitN(last, "+", 3)
	if i < 0 || strings.HasPrefix(last, "\u2014") || len(parts) != 3 || len(parts[1]) != 8 ||
		strings.Trim(parts[1], "0123456789abcdef") != "" {
		return s, ""
	}
	return trimmed[:i+1], last
}
