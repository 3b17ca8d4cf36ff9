package sqlite

import (
	"database/sql"
	"log/slog"
	"strconv"
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
// readers take milliseconds. If they have not finished by then, it tries
// again at the next turn.

// checkpointEvery is how often the log is folded into the database file.
const checkpointEvery = 500 * time.Millisecond

// restartFrames is the length of the log (in pages) past which the
// checkpointer starts it over; restartWait how long it waits for readers
// to let it. Variables for tests.
var (
	restartFrames = 4096 // 16 MB of 4 kB pages
	restartWait   = 20 * time.Millisecond
)

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
// name and starts checkpointing.
func startCheckpointer(name string) (*checkpointer, error) {
	// Its busy timeout is how long a RESTART waits for readers.
	db, err := sql.Open("sqlite", name+"&_pragma=busy_timeout("+strconv.Itoa(int(restartWait.Milliseconds()))+")")
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
		frames, err := c.checkpoint("PASSIVE")
		if err == nil && frames > restartFrames {
			_, err = c.checkpoint("RESTART")
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
// log in pages. A checkpoint that could not finish for a reader or the
// writer (the first column) is no error: the next one goes on.
func (c *checkpointer) checkpoint(mode string) (frames int, err error) {
	var busy, copied int
	err = c.db.QueryRow("PRAGMA wal_checkpoint("+mode+")").Scan(&busy, &frames, &copied)
	return frames, err
}

// close stops checkpointing and closes the connection.
func (c *checkpointer) close() error {
	close(c.stop)
	<-c.done
	return c.db.Close()
}
