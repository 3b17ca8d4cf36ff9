-- Processes: the frame every other record belongs to.
CREATE TABLE processes (
	id             TEXT COLLATE "C" PRIMARY KEY,
	name           TEXT COLLATE "C" NOT NULL,
	summary        TEXT COLLATE "C" NOT NULL DEFAULT '',
	topics         TEXT COLLATE "C" NOT NULL DEFAULT '[]', -- JSON list of the process's own tags
	revision       BIGINT NOT NULL DEFAULT 0, -- counts the writes to the process and its records
	classification TEXT COLLATE "C" NOT NULL, -- JSON: {"level": ..., "party_ids": [...]}
	created        TEXT COLLATE "C" NOT NULL, -- RFC 3339 with nanoseconds, UTC
	updated        TEXT COLLATE "C" NOT NULL
);

CREATE INDEX processes_name ON processes (name);
