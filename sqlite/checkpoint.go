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
//
// A passive checkpoint copies the log into the database file but never
// starts the log over: the writer does that when the whole log is copied
// and no reader still reads from it, which under a steady load of reads
// and writes never happens. The log would then grow without end (by
// hundreds of megabytes a minute under the load test), and every read
// would look its pages up in an ever longer index of it. So once the log
// is longer than restartFrames, the checkpointer asks for a checkpoint
// that waits for the readers of the log to finish (RESTART), for at most
// restartWait: that checkpoint holds writes back while it waits, and
// readers take milliseconds, a little more on a busy machine. If they have
// not finished by then (a long read: an export, a backup), it tries again
// after a pause that doubles each time, up to maxBackoff turns, so that
// writes are not held back again and again while such a read lasts.

// checkpointEvery is how often the log is folded into the database file.
const checkpointEvery = 500 * time.Millisecond

// restartFrames is the length of the log (in pages) past which the
// checkpointer starts it over; restartWait how long it waits for readers
// to let it. Variables for tests.
var (
	restartFrames = 4096 // 16 MB of 4 kB pages
	restartWait   = 100 * time.Millisecond
)

// maxBackoff bounds the turns the checkpointer lets pass before it asks
// again for a RESTART that could not finish.
const maxBackoff = 8

// journalLimit is the size the log file is cut back to when the writer
// starts it over (PRAGMA journal_size_limit), so that a burst of writes
// does not leave a large file behind.
const journalLimit = 32 << 20

// checkpointer checkpoints a database's write-ahead log until stopped.
type checkpointer struct {
	db   *sql.DB
	stop chan struct{}
	done chan struct{}
}

// startCheckpointer opens a connection of its own to the database named
// name, whose busy timeout is restartWait, and starts checkpointing.
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
	// skip counts the turns left before the next RESTART; backoff is the
	// pause after the last RESTART that could not finish.
	skip, backoff := 0, 0
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
		}
		frames, _, err := c.checkpoint("PASSIVE")
		if err == nil && frames > restartFrames && skip == 0 {
			var busy bool
			if _, busy, err = c.checkpoint("RESTART"); busy {
				backoff = min(2*backoff+1, maxBackoff)
				skip = backoff
			} else {
				backoff = 0
			}
		} else if skip > 0 {
			skip--
		}
		// A failure is logged once until a checkpoint succeeds again:
		// the log then only grows, which costs disk, not data.
		if err != nil && !failing {
			slog.Warn("sqlite: checkpointing the write-ahead log", "err", err)
		}
		failing = err != nil
	}
}

// checkpoint runs a checkpoint of a mode and returns the length of the
// log in pages and whether it could not finish for a reader or the writer
// (which is no error: the next one goes on).
func (c *checkpointer) checkpoint(mode string) (frames int, busy bool, err error) {
	var b, copied int
	err = c.db.QueryRow("PRAGMA wal_checkpoint("+mode+")").Scan(&b, &frames, &copied)
	return frames, b != 0, err
}

// close stops checkpointing and closes the connection.
func (c *checkpointer) close() error {
	close(c.stop)
	<-c.done
	return c.db.Close()
}
