-- Processes: the frame every other record belongs to.
CREATE TABLE processes (
	id             TEXT PRIMARY KEY,
	name           TEXT NOT NULL,
	summary        TEXT NOT NULL DEFAULT '',
	topics         TEXT NOT NULL DEFAULT '[]', -- JSON list of the process's own tags
	revision       INTEGER NOT NULL DEFAULT 0, -- counts the writes to the process and its records
	classification TEXT NOT NULL, -- JSON: {"level": ..., "party_ids": [...]}
	created        TEXT NOT NULL, -- RFC 3339 with nanoseconds, UTC
	updated        TEXT NOT NULL
);

CREATE INDEX processes_name ON processes (name);
