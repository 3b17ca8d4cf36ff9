-- The parties' positions on points, the negotiation model of a process
-- (its issues and their options) and each party's preferences. Maps and
-- lists are JSON text, read whole with their record; classifications are
-- JSON as in the other tables.

-- One position per party and point of a version: a new one replaces the
-- old under the same ID.
CREATE TABLE positions (
	id             TEXT COLLATE "C" PRIMARY KEY,
	process_id     TEXT COLLATE "C" NOT NULL REFERENCES processes (id) DEFERRABLE,
	party_id       TEXT COLLATE "C" NOT NULL REFERENCES parties (id) DEFERRABLE,
	version_id     TEXT COLLATE "C" NOT NULL REFERENCES versions (id) DEFERRABLE,
	point_id       TEXT COLLATE "C" NOT NULL,
	stance         TEXT COLLATE "C" NOT NULL,
	note           TEXT COLLATE "C" NOT NULL DEFAULT '',
	counter        TEXT COLLATE "C" NOT NULL DEFAULT '',
	classification TEXT COLLATE "C" NOT NULL,
	updated        TEXT COLLATE "C" NOT NULL,
	UNIQUE (party_id, version_id, point_id),
	FOREIGN KEY (version_id, point_id) REFERENCES points (version_id, id) DEFERRABLE
);

CREATE INDEX positions_process ON positions (process_id, version_id);

-- Issues in the order the mediators give them; options are a JSON list of
-- {id, label, points: [{version_id, point_id}]}.
CREATE TABLE issues (
	id             TEXT COLLATE "C" PRIMARY KEY,
	process_id     TEXT COLLATE "C" NOT NULL REFERENCES processes (id) DEFERRABLE,
	name           TEXT COLLATE "C" NOT NULL,
	ord            BIGINT NOT NULL DEFAULT 0,
	divisible      BOOLEAN NOT NULL DEFAULT FALSE,
	options        TEXT COLLATE "C" NOT NULL,
	-- the option a version that says nothing of the issue takes; '' for none
	default_option TEXT COLLATE "C" NOT NULL DEFAULT '',
	classification TEXT COLLATE "C" NOT NULL
);

CREATE INDEX issues_process ON issues (process_id, ord, name);

-- One set of preferences per party, always confidential to it. Weights
-- and ratings are JSON objects by issue ID (and option ID); never is a
-- JSON list of {issue_id, option_id}.
CREATE TABLE preferences (
	id             TEXT COLLATE "C" PRIMARY KEY,
	process_id     TEXT COLLATE "C" NOT NULL REFERENCES processes (id) DEFERRABLE,
	party_id       TEXT COLLATE "C" NOT NULL REFERENCES parties (id) DEFERRABLE,
	weights        TEXT COLLATE "C" NOT NULL,
	ratings        TEXT COLLATE "C" NOT NULL,
	reservation    BIGINT NOT NULL,
	never          TEXT COLLATE "C" NOT NULL DEFAULT '[]',
	note           TEXT COLLATE "C" NOT NULL DEFAULT '',
	classification TEXT COLLATE "C" NOT NULL,
	updated        TEXT COLLATE "C" NOT NULL,
	UNIQUE (process_id, party_id)
);
