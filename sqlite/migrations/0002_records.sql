-- The records of a process besides its plans: parties, people, channels,
-- contacts and sources. Lists of IDs are JSON text, read whole with their
-- record; the services check that every ID names a record of the same
-- process. Classifications are JSON: {"level": ..., "party_ids": [...]}.
CREATE TABLE parties (
	id             TEXT PRIMARY KEY,
	process_id     TEXT NOT NULL REFERENCES processes (id),
	name           TEXT NOT NULL,
	kind           TEXT NOT NULL,
	classification TEXT NOT NULL
);

CREATE INDEX parties_process ON parties (process_id, name);

CREATE TABLE people (
	id             TEXT PRIMARY KEY,
	process_id     TEXT NOT NULL REFERENCES processes (id),
	name           TEXT NOT NULL,
	party_id       TEXT REFERENCES parties (id),
	role           TEXT NOT NULL DEFAULT '',
	classification TEXT NOT NULL
);

CREATE INDEX people_process ON people (process_id, name);

CREATE TABLE channels (
	id             TEXT PRIMARY KEY,
	process_id     TEXT NOT NULL REFERENCES processes (id),
	name           TEXT NOT NULL,
	kind           TEXT NOT NULL,
	party_ids      TEXT NOT NULL DEFAULT '[]', -- JSON list of the member parties
	classification TEXT NOT NULL
);

CREATE INDEX channels_process ON channels (process_id, name);

CREATE TABLE sources (
	id             TEXT PRIMARY KEY,
	process_id     TEXT NOT NULL REFERENCES processes (id),
	url            TEXT NOT NULL DEFAULT '',
	title          TEXT NOT NULL DEFAULT '',
	outlet         TEXT NOT NULL DEFAULT '',
	published      TEXT, -- RFC 3339, UTC; NULL when unknown
	reliability    TEXT NOT NULL, -- A to F
	credibility    INTEGER NOT NULL, -- 1 to 6
	classification TEXT NOT NULL
);

CREATE INDEX sources_process ON sources (process_id, outlet, title);

-- A contact's start is the instant, in UTC with a fixed-width fraction so
-- that text order is time order, and the zone it was recorded in: its name
-- (IANA, or an abbreviation for a fixed zone) and its offset then.
CREATE TABLE contacts (
	id             TEXT PRIMARY KEY,
	process_id     TEXT NOT NULL REFERENCES processes (id),
	kind           TEXT NOT NULL,
	status         TEXT NOT NULL,
	start_utc      TEXT NOT NULL, -- 2006-01-02T15:04:05.000000000Z
	start_zone     TEXT NOT NULL,
	start_offset   INTEGER NOT NULL, -- seconds east of UTC
	minutes        INTEGER NOT NULL DEFAULT 0,
	place          TEXT NOT NULL DEFAULT '',
	person_ids     TEXT NOT NULL DEFAULT '[]', -- JSON list of the participants
	channel_id     TEXT REFERENCES channels (id),
	summary        TEXT NOT NULL DEFAULT '',
	transcript     TEXT NOT NULL DEFAULT '',
	source_ids     TEXT NOT NULL DEFAULT '[]', -- JSON list
	classification TEXT, -- NULL: the channel's
	CHECK (classification IS NOT NULL OR channel_id IS NOT NULL)
);

CREATE INDEX contacts_process ON contacts (process_id, start_utc);
