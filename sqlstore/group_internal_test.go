package sqlstore

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"sync"
	"testing"

	_ "modernc.org/sqlite"

	"parley"
)

// openTestDB opens a store on a new SQLite file with SQLite's migrations.
func openTestDB(t *testing.T) *DB {
	t.Helper()
	name := "file:" + filepath.Join(t.TempDir(), "t.db") + "?_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)&_txlock=immediate"
	write, err := sql.Open("sqlite", name)
	if err != nil {
		t.Fatal(err)
	}
	write.SetMaxOpenConns(1)
	read, err := sql.Open("sqlite", name+"&mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(context.Background(), Config{Dialect: SQLite, Write: write, Read: read,
		Migrations: os.DirFS("../sqlite/migrations"), Migrate: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestGroupPanic: a write that panics fails alone, as an internal error,
// and the writes of its group commit; the server goes on.
func TestGroupPanic(t *testing.T) {
	db := openTestDB(t)
	ctx := parley.WithActor(context.Background(), parley.System)
	insert := func(key string) func(tx *Tx) error {
		return func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO settings (name, value) VALUES ($1, $2)", key, "v")
			return err
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		wg.Go(func() {
			if i == 7 {
				_, errs[i] = db.update(ctx, func(tx *Tx) error {
					if err := insert("panicking")(tx); err != nil {
						return err
					}
					panic("a bug in a write")
				})
				return
			}
			_, errs[i] = db.update(ctx, insert("key-"+string(rune('a'+i))))
		})
	}
	wg.Wait()
	for i, err := range errs {
		if i == 7 {
			if parley.ErrorCode(err) != parley.EINTERNAL {
				t.Errorf("the panicking write: got %v, want an internal error", err)
			}
			continue
		}
		if err != nil {
			t.Errorf("write %d: %v", i, err)
		}
	}
	var n int
	if err := db.read.QueryRowContext(ctx, "SELECT count(*) FROM settings WHERE name LIKE 'key-%'").Scan(&n); err != nil || n != 19 {
		t.Errorf("got %d rows of the other writes (%v), want 19", n, err)
	}
	if err := db.read.QueryRowContext(ctx, "SELECT count(*) FROM settings WHERE name = 'panicking'").Scan(&n); err != nil || n != 0 {
		t.Errorf("the panicking write left %d rows (%v), want none", n, err)
	}
}

// countingWaiter counts the waits it is told of.
type countingWaiter struct {
	mu              sync.Mutex
	pauses, resumes int
}

func (w *countingWaiter) Pause()  { w.mu.Lock(); w.pauses++; w.mu.Unlock() }
func (w *countingWaiter) Resume() { w.mu.Lock(); w.resumes++; w.mu.Unlock() }

// TestWaitsAreTold: a write waiting for its group's commit tells the
// context's parley.Waiter, once before and once after; a read waiting for
// its audit record keeps its turn (see auditReads), and one with nothing
// to log waits for nothing.
func TestWaitsAreTold(t *testing.T) {
	db := openTestDB(t)
	for _, tt := range []struct {
		what  string
		wait  func(ctx context.Context) error
		waits int
	}{
		{"a write", func(ctx context.Context) error {
			_, err := db.update(ctx, func(tx *Tx) error {
				_, err := tx.ExecContext(ctx, "INSERT INTO settings (name, value) VALUES ($1, $2)", "waited", "v")
				return err
			})
			return err
		}, 1},
		{"a read's audit record", func(ctx context.Context) error {
			return db.auditRead(ctx, "a-process", "contact", []string{"a-contact"})
		}, 0},
		{"a read with nothing to log", func(ctx context.Context) error {
			return db.auditRead(ctx, "a-process", "contact", nil)
		}, 0},
	} {
		w := &countingWaiter{}
		ctx := parley.WithWaiter(parley.WithActor(context.Background(), parley.System), w)
		if err := tt.wait(ctx); err != nil {
			t.Fatalf("%s: %v", tt.what, err)
		}
		if w.pauses != tt.waits || w.resumes != tt.waits {
			t.Errorf("%s: paused %d times and resumed %d, want %d and %d", tt.what, w.pauses, w.resumes, tt.waits, tt.waits)
		}
	}
}
