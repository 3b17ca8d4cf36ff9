package sqlite

import (
	"context"
	"database/sql"
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
// the times it was started over (its checkpoint sequence number).
func TestCheckpointRestartsLog(t *testing.T) {
	ctx, path, svc, proc := checkpointed(t, 64)

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
	// The writes go on until the log has started over twice, or for ten
	// seconds: on a busy machine, readers may hold the log longer than
	// the checkpointer waits for them.
	var walMax int64
	var restarts uint32
	deadline := time.Now().Add(10 * time.Second)
	for i := 0; time.Now().Before(deadline) && restarts < 2; i++ {
		src := &parley.Source{ProcessID: proc.ID, Title: fmt.Sprintf("Source %d, with a title long enough to fill its page", i),
			Reliability: "C", Credibility: 3, Classification: parley.Classification{Level: parley.Public}}
		if err := svc.Sources.CreateSource(ctx, src); err != nil {
			t.Fatal(err)
		}
		writes.Add(1)
		if fi, err := os.Stat(path + "-wal"); err == nil {
			walMax = max(walMax, fi.Size())
		}
		if i%100 == 99 {
			restarts = logRestarts(t, path)
		}
	}
	stop.Store(true)
	wg.Wait()
	t.Logf("%d writes, %d reads; the log started over %d times, its file at most %d kB", writes.Load(), reads.Load(), restarts, walMax>>10)
	if reads.Load() < 100 {
		t.Fatalf("only %d reads while %d writes: the log was not read from all along", reads.Load(), writes.Load())
	}
	if restarts < 2 {
		t.Errorf("the log started over %d times in 10 s of reads and writes, want it started over again and again", restarts)
	}
}

// logRestarts reads the times the write-ahead log of the database at path
// started over: its checkpoint sequence number, in its header.
func logRestarts(t *testing.T, path string) uint32 {
	t.Helper()
	f, err := os.Open(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	hdr := make([]byte, 16)
	if _, err := f.ReadAt(hdr, 0); err != nil {
		t.Fatal(err)
	}
	return binary.BigEndian.Uint32(hdr[12:16])
}

// TestCheckpointSparesWritesFromLongReads: a read that holds the log for
// long (an export, a backup) makes the checkpointer's RESTART wait, and a
// RESTART holds writes back while it waits: it must give up quickly, so
// that writes go on at their pace while the read lasts.
func TestCheckpointSparesWritesFromLongReads(t *testing.T) {
	ctx, path, svc, proc := checkpointed(t, 16)
	reader, err := sql.Open("sqlite", dsn(path, "OFF", busyTimeout)+"&mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	tx, err := reader.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRow("SELECT count(*) FROM sources").Scan(&n); err != nil {
		t.Fatal(err)
	}

	var slowest time.Duration
	writes := 0
	for start := time.Now(); time.Since(start) < 2*time.Second; writes++ {
		t0 := time.Now()
		src := &parley.Source{ProcessID: proc.ID, Title: fmt.Sprintf("Source %d, written while a read holds the log", writes),
			Reliability: "C", Credibility: 3, Classification: parley.Classification{Level: parley.Public}}
		if err := svc.Sources.CreateSource(ctx, src); err != nil {
			t.Fatalf("write %d while a read holds the log: %v", writes, err)
		}
		slowest = max(slowest, time.Since(t0))
	}
	t.Logf("%d writes while a read held the log for 2 s, the slowest %v", writes, slowest)
	if slowest >= time.Second { // half the time the read held the log
		t.Errorf("a write took %v while a read held the log: the checkpointer held writes back", slowest)
	}
}

// checkpointed opens a new database whose log restarts past frames
// pages, closed at the end of the test, with a process to write to.
func checkpointed(t *testing.T, frames int) (context.Context, string, parley.Services, *parley.Process) {
	t.Helper()
	old := restartFrames
	restartFrames = frames
	t.Cleanup(func() { restartFrames = old })
	ctx := parley.WithActor(context.Background(), parley.System)
	path := filepath.Join(t.TempDir(), "parley.db")
	db, err := Open(ctx, path, Options{Migrate: true, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc := db.Services()
	proc := &parley.Process{Name: "Checkpoints", Classification: parley.Classification{Level: parley.Public}}
	if err := svc.Processes.CreateProcess(ctx, proc); err != nil {
		t.Fatal(err)
	}
	return ctx, path, svc, proc
}
