-- The parties' positions on points, the negotiation model of a process
-- (its issues and their options) and each party's preferences. Maps and
-- lists are JSON text, read whole with their record; classifications are
-- JSON as in the other tables.

-- One position per party and point of a version: a new one replaces the
-- old under the same ID.
CREATE TABLE positions (
	id             TEXT PRIMARY KEY,
	process_id     TEXT NOT NULL REFERENCES processes (id),
	party_id       TEXT NOT NULL REFERENCES parties (id),
	version_id     TEXT NOT NULL REFERENCES versions (id),
	point_id       TEXT NOT NULL,
	stance         TEXT NOT NULL,
	note           TEXT NOT NULL DEFAULT '',
	counter        TEXT NOT NULL DEFAULT '',
	classification TEXT NOT NULL,
	updated        TEXT NOT NULL,
	UNIQUE (party_id, version_id, point_id),
	FOREIGN KEY (version_id, point_id) REFERENCES points (version_id, id)
);

CREATE INDEX positions_process ON positions (process_id, version_id);

-- Issues in the order the mediators give them; options are a JSON list of
-- {id, label, points: [{version_id, point_id}]}.
CREATE TABLE issues (
	id             TEXT PRIMARY KEY,
	process_id     TEXT NOT NULL REFERENCES processes (id),
	name           TEXT NOT NULL,
	ord            INTEGER NOT NULL DEFAULT 0,
	divisible      INTEGER NOT NULL DEFAULT 0,
	options        TEXT NOT NULL,
	-- the option a version that says nothing of the issue takes; '' for none
	default_option TEXT NOT NULL DEFAULT '',
	classification TEXT NOT NULL
);

CREATE INDEX issues_process ON issues (process_id, ord, name);

-- One set of preferences per party, always confidential to it. Weights
-- and ratings are JSON objects by issue ID (and option ID); never is a
-- JSON list of {issue_id, option_id}.
CREATE TABLE preferences (
	id             TEXT PRIMARY KEY,
	process_id     TEXT NOT NULL REFERENCES processes (id),
	party_id       TEXT NOT NULL REFERENCES parties (id),
	weights        TEXT NOT NULL,
	ratings        TEXT NOT NULL,
	reservation    INTEGER NOT NULL,
	never          TEXT NOT NULL DEFAULT '[]',
	note           TEXT NOT NULL DEFAULT '',
	classification TEXT NOT NULL,
	updated        TEXT NOT NULL,
	UNIQUE (process_id, party_id)
);
