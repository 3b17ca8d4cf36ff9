// Package audit makes the audit log tamper-evident. Records are the
// leaves of a Merkle tree (RFC 6962, as in Certificate Transparency and
// the Go checksum database) numbered from 0; a checkpoint is a note,
// signed with Ed25519, that states the log's size and root hash. A
// checkpoint kept outside the database proves later that the log still
// holds the same records it held then, in the same order, with new ones
// only appended after them.
//
// The package is pure: stores keep the records and their stored hashes in
// their own tables and use the functions here, which speak the types of
// golang.org/x/mod/sumdb/tlog and golang.org/x/mod/sumdb/note.
package audit

import (
	"encoding/binary"
	"fmt"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"parley"
)

// leafTag starts every leaf, so that a leaf of this log cannot be taken
// for the encoding of anything else, and so that a future encoding can be
// told apart.
const leafTag = "parley audit record v1"

// Leaf returns the canonical encoding of r, the data its leaf hash is
// computed from. Every field is included: Seq, so that moving a record
// changes its leaf; Time as UTC RFC 3339 with nanoseconds, so that the
// same instant has one encoding whatever its zone; and the strings, IDs
// in order. Each string is preceded by its length and the IDs by their
// number, so that no two different records share an encoding. A nil and
// an empty IDs list encode the same, as a store cannot tell them apart.
func Leaf(r *parley.AuditRecord) []byte {
	size := len(leafTag) + 8 + len(time.RFC3339Nano) + len(r.Detail) + binary.MaxVarintLen64*(8+len(r.IDs))
	for _, s := range [...]string{r.UserID, r.Actor, r.Action, r.ProcessID, r.Kind} {
		size += len(s)
	}
	for _, id := range r.IDs {
		size += len(id)
	}
	return appendLeaf(make([]byte, 0, size), r)
}

// appendLeaf appends the leaf of r to b: Verify reuses one buffer for
// every record.
func appendLeaf(b []byte, r *parley.AuditRecord) []byte {
	b = appendString(b, leafTag)
	b = binary.BigEndian.AppendUint64(b, uint64(r.Seq))
	// The time is formatted in place after a one-byte length, which is
	// patched once its length is known: formatted times are shorter than
	// 128 bytes, so their uvarint length is one byte.
	at := len(b)
	b = r.Time.UTC().AppendFormat(append(b, 0), time.RFC3339Nano)
	b[at] = byte(len(b) - at - 1)
	for _, s := range [...]string{r.UserID, r.Actor, r.Action, r.ProcessID, r.Kind} {
		b = appendString(b, s)
	}
	b = binary.AppendUvarint(b, uint64(len(r.IDs)))
	for _, id := range r.IDs {
		b = appendString(b, id)
	}
	return appendString(b, r.Detail)
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// RecordHash returns the leaf hash of r in the log's Merkle tree.
func RecordHash(r *parley.AuditRecord) tlog.Hash {
	return tlog.RecordHash(Leaf(r))
}

// StoredHashes returns the hashes to store when r is appended to a log of
// n records whose stored hashes hr reads: the hashes of r's leaf and of
// the subtrees it completes, in tlog's storage order. It refuses a record
// whose Seq is not n, as records are numbered by their position.
func StoredHashes(n int64, r *parley.AuditRecord, hr tlog.HashReader) ([]tlog.Hash, error) {
	if r.Seq != n {
		return nil, fmt.Errorf("audit: record has seq %d but would be record %d of the log", r.Seq, n)
	}
	return tlog.StoredHashes(n, Leaf(r), hr)
}

// Hashes is a log's stored hashes in memory, in tlog's storage order
// (index tlog.StoredHashIndex(level, n)). It is a tlog.HashReader, so
// tlog.TreeHash, tlog.ProveTree and the like read it directly.
type Hashes []tlog.Hash

// ReadHashes returns the hashes at the given storage indexes.
func (h Hashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(h)) {
			return nil, fmt.Errorf("audit: no stored hash %d in a list of %d", x, len(h))
		}
		out[i] = h[x]
	}
	return out, nil
}

// Size returns the number of records whose hashes h holds.
func (h Hashes) Size() int64 {
	// StoredHashCount grows with n, and n records never need fewer than
	// n hashes: search [0, len] for the largest n that fits.
	lo, hi := int64(0), int64(len(h))
	for lo < hi {
		mid := lo + (hi-lo+1)/2
		if tlog.StoredHashCount(mid) <= int64(len(h)) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// Append appends the stored hashes of r, which must be the next record:
// its Seq is the number of records already in h.
func (h *Hashes) Append(r *parley.AuditRecord) error {
	n := h.Size()
	if tlog.StoredHashCount(n) != int64(len(*h)) {
		return fmt.Errorf("audit: %d stored hashes are not those of a whole number of records", len(*h))
	}
	hs, err := StoredHashes(n, r, *h)
	if err != nil {
		return err
	}
	*h = append(*h, hs...)
	return nil
}

// appendRecordHash appends the stored hashes of record n, whose leaf hash
// is leaf: what tlog.StoredHashesForRecordHash returns, without the
// allocations it makes for a general HashReader, which took a third of
// Verify's time on a log in memory. Each trailing 1 bit of n completes a subtree
// whose left half is already stored.
func (h Hashes) appendRecordHash(n int64, leaf tlog.Hash) Hashes {
	h = append(h, leaf)
	node := leaf
	for level, k := 0, n; k&1 == 1; level, k = level+1, k>>1 {
		node = tlog.NodeHash(h[tlog.StoredHashIndex(level, k-1)], node)
		h = append(h, node)
	}
	return h
}

// Root returns the root hash of the tree of all the records in h.
func (h Hashes) Root() (tlog.Hash, error) {
	return tlog.TreeHash(h.Size(), h)
}

// Verify checks a whole log, records in order of Seq, and returns its
// size and root hash. The hashes are recomputed from the records
// themselves, never read from storage, and the Seqs must run 0, 1, 2, …
// without a gap or a repeat. When earlier is not nil, Verify also proves
// that the log is an extension of the log earlier was taken of: the same
// first earlier.N records, in the same order, followed only by appended
// ones. Its errors say what failed and, where it is known, the first
// record involved.
func Verify(records []*parley.AuditRecord, earlier *tlog.Tree) (*parley.AuditReport, error) {
	n := int64(len(records))
	if earlier != nil && earlier.N > n {
		// Checked first: with records missing, naming the first gap in
		// the Seqs would hide that the checkpoint proves a deletion.
		return nil, fmt.Errorf("audit: the log has %d records, fewer than the %d of the checkpoint: records were deleted", n, earlier.N)
	}
	hashes := make(Hashes, 0, tlog.StoredHashCount(n))
	var leaf []byte
	for i, r := range records {
		if err := checkSeq(int64(i), r); err != nil {
			return nil, err
		}
		leaf = appendLeaf(leaf[:0], r)
		hashes = hashes.appendRecordHash(int64(i), tlog.RecordHash(leaf))
	}
	root, err := tlog.TreeHash(n, hashes)
	if err != nil {
		return nil, fmt.Errorf("audit: computing the root: %v", err)
	}
	rep := &parley.AuditReport{Size: n, Root: root.String()}
	if earlier == nil {
		return rep, nil
	}
	if err := checkConsistent(hashes, n, root, *earlier); err != nil {
		return nil, err
	}
	rep.Verified = earlier.N
	return rep, nil
}

// checkSeq checks that r is the record at index i.
func checkSeq(i int64, r *parley.AuditRecord) error {
	switch {
	case r == nil:
		return fmt.Errorf("audit: record %d is missing (nil)", i)
	case r.Seq > i:
		return fmt.Errorf("audit: record %d is missing: the record in its place has seq %d (records were deleted or reordered)", i, r.Seq)
	case r.Seq < i:
		return fmt.Errorf("audit: record %d has seq %d: records were inserted, repeated or reordered", i, r.Seq)
	}
	return nil
}

// checkConsistent proves that the tree of n records with root, whose
// stored hashes are hashes, extends the earlier tree.
func checkConsistent(hashes Hashes, n int64, root tlog.Hash, earlier tlog.Tree) error {
	if earlier.N < 0 {
		return fmt.Errorf("audit: the checkpoint has a negative size %d", earlier.N)
	}
	old, err := tlog.TreeHash(earlier.N, hashes)
	if err != nil {
		return fmt.Errorf("audit: computing the root of the first %d records: %v", earlier.N, err)
	}
	if old != earlier.Hash {
		return fmt.Errorf("audit: the log does not match the checkpoint of %d records: a record among them was changed, inserted, deleted or moved", earlier.N)
	}
	if earlier.N == 0 {
		return nil // the empty log is a prefix of every log
	}
	// The equality above already implies consistency; the proof is built
	// and checked as a client holding only the two roots would, so that
	// what this function reports is a proof, not a recomputation.
	proof, err := tlog.ProveTree(n, earlier.N, hashes)
	if err != nil {
		return fmt.Errorf("audit: proving the log extends the checkpoint of %d records: %v", earlier.N, err)
	}
	if err := tlog.CheckTree(proof, n, root, earlier.N, earlier.Hash); err != nil {
		return fmt.Errorf("audit: the log of %d records is not an extension of the checkpoint of %d: %v", n, earlier.N, err)
	}
	return nil
}

// verifyBatch is how many stored hashes VerifyStored reads at a time: few
// round trips to a store's table, little memory.
const verifyBatch = 1024

// VerifyStored compares the leaf hash of every record, recomputed from
// the record, with the one stored when it was appended (at storage index
// tlog.StoredHashIndex(0, i)), and names the first record whose content
// no longer matches. Stores use it to say which record was edited; it
// proves nothing about the stored hashes themselves, which Verify and a
// checkpoint do.
func VerifyStored(records []*parley.AuditRecord, stored tlog.HashReader) error {
	indexes := make([]int64, 0, verifyBatch)
	for start := 0; start < len(records); start += verifyBatch {
		batch := records[start:min(start+verifyBatch, len(records))]
		indexes = indexes[:0]
		for i := range batch {
			indexes = append(indexes, tlog.StoredHashIndex(0, int64(start+i)))
		}
		hs, err := stored.ReadHashes(indexes)
		if err != nil {
			return fmt.Errorf("audit: reading the stored hashes of records %d to %d: %v", start, start+len(batch)-1, err)
		}
		if len(hs) != len(batch) {
			return fmt.Errorf("audit: read %d stored hashes for %d records", len(hs), len(batch))
		}
		for i, r := range batch {
			if err := checkSeq(int64(start+i), r); err != nil {
				return err
			}
			if RecordHash(r) != hs[i] {
				return fmt.Errorf("audit: record %d (seq %d) does not match its stored hash: it was changed after it was written", start+i, r.Seq)
			}
		}
	}
	return nil
}
