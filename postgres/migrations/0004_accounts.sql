-- Accounts, their memberships of processes, sessions, API tokens, failed
-- sign-ins (for throttling), instance settings and the audit log with the
-- stored hashes of its Merkle tree. Secrets are stored only as hashes:
-- passwords as argon2id PHC strings, tokens as SHA-256 (hex).
CREATE TABLE users (
	id           TEXT COLLATE "C" PRIMARY KEY,
	name         TEXT COLLATE "C" NOT NULL UNIQUE,
	display_name TEXT COLLATE "C" NOT NULL DEFAULT '',
	password     TEXT COLLATE "C" NOT NULL,
	admin        BOOLEAN NOT NULL DEFAULT FALSE,
	disabled     BOOLEAN NOT NULL DEFAULT FALSE,
	created      TEXT COLLATE "C" NOT NULL
);

CREATE TABLE memberships (
	user_id    TEXT COLLATE "C" NOT NULL REFERENCES users (id) DEFERRABLE,
	process_id TEXT COLLATE "C" NOT NULL REFERENCES processes (id) DEFERRABLE,
	role       TEXT COLLATE "C" NOT NULL,
	party_id   TEXT COLLATE "C" REFERENCES parties (id) DEFERRABLE,
	PRIMARY KEY (user_id, process_id)
);

CREATE INDEX memberships_process ON memberships (process_id);

CREATE TABLE sessions (
	hash    TEXT COLLATE "C" PRIMARY KEY,
	user_id TEXT COLLATE "C" NOT NULL REFERENCES users (id) DEFERRABLE,
	created TEXT COLLATE "C" NOT NULL,
	seen    TEXT COLLATE "C" NOT NULL
);

CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
	id        TEXT COLLATE "C" PRIMARY KEY,
	user_id   TEXT COLLATE "C" NOT NULL REFERENCES users (id) DEFERRABLE,
	name      TEXT COLLATE "C" NOT NULL,
	hash      TEXT COLLATE "C" NOT NULL UNIQUE,
	created   TEXT COLLATE "C" NOT NULL,
	last_used TEXT COLLATE "C",
	revoked   BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- One row per failed sign-in and per key: "user:NAME" and "addr:ADDRESS".
CREATE TABLE signin_failures (
	key TEXT COLLATE "C" NOT NULL,
	at  TEXT COLLATE "C" NOT NULL
);

CREATE INDEX signin_failures_key ON signin_failures (key, at);

CREATE TABLE settings (
	name  TEXT COLLATE "C" PRIMARY KEY,
	value TEXT COLLATE "C" NOT NULL
);

-- The audit log: seq counts from 0 without gaps; ids is a JSON list.
CREATE TABLE audit_log (
	seq        BIGINT PRIMARY KEY,
	time       TEXT COLLATE "C" NOT NULL,
	user_id    TEXT COLLATE "C" NOT NULL DEFAULT '',
	actor      TEXT COLLATE "C" NOT NULL,
	action     TEXT COLLATE "C" NOT NULL,
	process_id TEXT COLLATE "C" NOT NULL DEFAULT '',
	kind       TEXT COLLATE "C" NOT NULL DEFAULT '',
	ids        TEXT COLLATE "C" NOT NULL DEFAULT '[]',
	detail     TEXT COLLATE "C" NOT NULL DEFAULT ''
);

CREATE INDEX audit_log_process ON audit_log (process_id, seq);

-- The stored hashes of the tree over the log, as tlog numbers them.
CREATE TABLE audit_hashes (
	idx  BIGINT PRIMARY KEY,
	hash BYTEA NOT NULL
);
