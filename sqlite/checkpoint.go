package sqlite

import (
	"database/sql"
	"log/slog"
	"time"
)

// The write-ahead log is folded into the database file in the background,
// not by the writes themselves. By default SQLite checkpoints in the
// commit that finds the log past a thousand pages: that commit then copies
// them and syncs the database file, hundreds of milliseconds on a busy
// disk, while every write queued behind it (and every read waiting for its
// audit record) waits too. A connection of its own checkpoints instead,
// without ever blocking the writer or a reader (PASSIVE), twice a second.

// checkpointEvery is how often the log is folded into the database file.
const checkpointEvery = 500 * time.Millisecond

// checkpointer checkpoints a database's write-ahead log until stopped.
type checkpointer struct {
	db   *sql.DB
	stop chan struct{}
	done chan struct{}
}

// startCheckpointer opens a connection of its own to the database named
// name and starts checkpointing.
func startCheckpointer(name string) (*checkpointer, error) {
	db, err := sql.Open("sqlite", name)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	c := &checkpointer{db: db, stop: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c, nil
}

func (c *checkpointer) run() {
	defer close(c.done)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	failing := false
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
		}
		_, err := c.db.Exec("PRAGMA wal_checkpoint(PASSIVE)")
		// A failure is logged once until a checkpoint succeeds again:
		// the log then only grows, which costs disk, not data.
		if err != nil && !failing {
			slog.Warn("sqlite: checkpointing the write-ahead log", "err", err)
		}
		failing = err != nil
	}
}

// close stops checkpointing and closes the connection.
func (c *checkpointer) close() error {
	close(c.stop)
	<-c.done
	return c.db.Close()
}
