package sqlite

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"parley"
)

// TestCheckpointRestartsLog: under reads that never stop and a steady
// stream of writes, the write-ahead log is started over again and again,
// rather than growing with everything written. The log's header counts
// the times it was started over (its checkpoint sequence number), and its
// file stays within what the writes of a few turns of the checkpointer
// add to the length past which it restarts.
func TestCheckpointRestartsLog(t *testing.T) {
	defer func(f int) { restartFrames = f }(restartFrames)
	restartFrames = 64
	ctx := parley.WithActor(context.Background(), parley.System)
	path := filepath.Join(t.TempDir(), "parley.db")
	db, err := Open(ctx, path, Options{Migrate: true, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := db.Services()
	proc := &parley.Process{Name: "Checkpoints", Classification: parley.Classification{Level: parley.Public}}
	if err := svc.Processes.CreateProcess(ctx, proc); err != nil {
		t.Fatal(err)
	}

	var stop atomic.Bool
	var reads, writes atomic.Int64
	var wg sync.WaitGroup
	for r := range 4 {
		wg.Go(func() {
			for !stop.Load() {
				if _, _, err := svc.Sources.FindRecentSources(ctx, proc.ID, 20, 0); err != nil {
					t.Errorf("reader %d: %v", r, err)
					return
				}
				reads.Add(1)
			}
		})
	}
	var walMax int64
	deadline := time.Now().Add(3 * time.Second)
	for i := 0; time.Now().Before(deadline); i++ {
		src := &parley.Source{ProcessID: proc.ID, Title: fmt.Sprintf("Source %d, with a title long enough to fill its page", i),
			Reliability: "C", Credibility: 3, Classification: parley.Classification{Level: parley.Public}}
		if err := svc.Sources.CreateSource(ctx, src); err != nil {
			t.Fatal(err)
		}
		writes.Add(1)
		if fi, err := os.Stat(path + "-wal"); err == nil {
			walMax = max(walMax, fi.Size())
		}
	}
	stop.Store(true)
	wg.Wait()

	hdr := make([]byte, 32)
	f, err := os.Open(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.ReadAt(hdr, 0); err != nil {
		t.Fatal(err)
	}
	restarts := binary.BigEndian.Uint32(hdr[12:16])
	t.Logf("%d writes, %d reads; the log started over %d times, its file at most %d kB", writes.Load(), reads.Load(), restarts, walMax>>10)
	if reads.Load() < 100 || writes.Load() < 300 {
		t.Fatalf("only %d reads and %d writes: the test did not load the database", reads.Load(), writes.Load())
	}
	if restarts < 2 {
		t.Errorf("the log started over %d times under reads and writes, want it started over again and again", restarts)
	}
}
