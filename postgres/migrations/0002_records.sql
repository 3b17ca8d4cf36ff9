-- The records of a process besides its plans: parties, people, channels,
-- contacts and sources. Lists of IDs are JSON text, read whole with their
-- record; the services check that every ID names a record of the same
-- process. Classifications are JSON: {"level": ..., "party_ids": [...]}.
CREATE TABLE parties (
	id             TEXT COLLATE "C" PRIMARY KEY,
	process_id     TEXT COLLATE "C" NOT NULL REFERENCES processes (id) DEFERRABLE,
	name           TEXT COLLATE "C" NOT NULL,
	kind           TEXT COLLATE "C" NOT NULL,
	classification TEXT COLLATE "C" NOT NULL
);

CREATE INDEX parties_process ON parties (process_id, name);

CREATE TABLE people (
	id             TEXT COLLATE "C" PRIMARY KEY,
	process_id     TEXT COLLATE "C" NOT NULL REFERENCES processes (id) DEFERRABLE,
	name           TEXT COLLATE "C" NOT NULL,
	party_id       TEXT COLLATE "C" REFERENCES parties (id) DEFERRABLE,
	role           TEXT COLLATE "C" NOT NULL DEFAULT '',
	classification TEXT COLLATE "C" NOT NULL
);

CREATE INDEX people_process ON people (process_id, name);

CREATE TABLE channels (
	id             TEXT COLLATE "C" PRIMARY KEY,
	process_id     TEXT COLLATE "C" NOT NULL REFERENCES processes (id) DEFERRABLE,
	name           TEXT COLLATE "C" NOT NULL,
	kind           TEXT COLLATE "C" NOT NULL,
	party_ids      TEXT COLLATE "C" NOT NULL DEFAULT '[]', -- JSON list of the member parties
	classification TEXT COLLATE "C" NOT NULL
);

CREATE INDEX channels_process ON channels (process_id, name);

CREATE TABLE sources (
	id             TEXT COLLATE "C" PRIMARY KEY,
	process_id     TEXT COLLATE "C" NOT NULL REFERENCES processes (id) DEFERRABLE,
	url            TEXT COLLATE "C" NOT NULL DEFAULT '',
	title          TEXT COLLATE "C" NOT NULL DEFAULT '',
	outlet         TEXT COLLATE "C" NOT NULL DEFAULT '',
	published      TEXT COLLATE "C", -- RFC 3339, UTC; NULL when unknown
	reliability    TEXT COLLATE "C" NOT NULL, -- A to F
	credibility    BIGINT NOT NULL, -- 1 to 6
	classification TEXT COLLATE "C" NOT NULL
);

CREATE INDEX sources_process ON sources (process_id, outlet, title);

-- A contact's start is the instant, in UTC with a fixed-width fraction so
-- that text order is time order, and the zone it was recorded in: its name
-- (IANA, or an abbreviation for a fixed zone) and its offset then.
CREATE TABLE contacts (
	id             TEXT COLLATE "C" PRIMARY KEY,
	process_id     TEXT COLLATE "C" NOT NULL REFERENCES processes (id) DEFERRABLE,
	kind           TEXT COLLATE "C" NOT NULL,
	status         TEXT COLLATE "C" NOT NULL,
	start_utc      TEXT COLLATE "C" NOT NULL, -- 2006-01-02T15:04:05.000000000Z
	start_zone     TEXT COLLATE "C" NOT NULL,
	start_offset   BIGINT NOT NULL, -- seconds east of UTC
	minutes        BIGINT NOT NULL DEFAULT 0,
	place          TEXT COLLATE "C" NOT NULL DEFAULT '',
	person_ids     TEXT COLLATE "C" NOT NULL DEFAULT '[]', -- JSON list of the participants
	channel_id     TEXT COLLATE "C" REFERENCES channels (id) DEFERRABLE,
	summary        TEXT COLLATE "C" NOT NULL DEFAULT '',
	transcript     TEXT COLLATE "C" NOT NULL DEFAULT '',
	source_ids     TEXT COLLATE "C" NOT NULL DEFAULT '[]', -- JSON list
	classification TEXT COLLATE "C", -- NULL: the channel's
	CHECK (classification IS NOT NULL OR channel_id IS NOT NULL)
);

CREATE INDEX contacts_process ON contacts (process_id, start_utc);
