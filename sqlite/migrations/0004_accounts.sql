-- Accounts, their memberships of processes, sessions, API tokens, failed
-- sign-ins (for throttling), instance settings and the audit log with the
-- stored hashes of its Merkle tree. Secrets are stored only as hashes:
-- passwords as argon2id PHC strings, tokens as SHA-256 (hex).
CREATE TABLE users (
	id           TEXT PRIMARY KEY,
	name         TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL DEFAULT '',
	password     TEXT NOT NULL,
	admin        INTEGER NOT NULL DEFAULT 0,
	disabled     INTEGER NOT NULL DEFAULT 0,
	created      TEXT NOT NULL
);

CREATE TABLE memberships (
	user_id    TEXT NOT NULL REFERENCES users (id),
	process_id TEXT NOT NULL REFERENCES processes (id),
	role       TEXT NOT NULL,
	party_id   TEXT REFERENCES parties (id),
	PRIMARY KEY (user_id, process_id)
);

CREATE INDEX memberships_process ON memberships (process_id);

CREATE TABLE sessions (
	hash    TEXT PRIMARY KEY,
	user_id TEXT NOT NULL REFERENCES users (id),
	created TEXT NOT NULL,
	seen    TEXT NOT NULL
);

CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
	id        TEXT PRIMARY KEY,
	user_id   TEXT NOT NULL REFERENCES users (id),
	name      TEXT NOT NULL,
	hash      TEXT NOT NULL UNIQUE,
	created   TEXT NOT NULL,
	last_used TEXT,
	revoked   INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- One row per failed sign-in and per key: "user:NAME" and "addr:ADDRESS".
CREATE TABLE signin_failures (
	key TEXT NOT NULL,
	at  TEXT NOT NULL
);

CREATE INDEX signin_failures_key ON signin_failures (key, at);

CREATE TABLE settings (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- The audit log: seq counts from 0 without gaps; ids is a JSON list.
CREATE TABLE audit_log (
	seq        INTEGER PRIMARY KEY,
	time       TEXT NOT NULL,
	user_id    TEXT NOT NULL DEFAULT '',
	actor      TEXT NOT NULL,
	action     TEXT NOT NULL,
	process_id TEXT NOT NULL DEFAULT '',
	kind       TEXT NOT NULL DEFAULT '',
	ids        TEXT NOT NULL DEFAULT '[]',
	detail     TEXT NOT NULL DEFAULT ''
);

CREATE INDEX audit_log_process ON audit_log (process_id, seq);

-- The stored hashes of the tree over the log, as tlog numbers them.
CREATE TABLE audit_hashes (
	idx  INTEGER PRIMARY KEY,
	hash BLOB NOT NULL
);
