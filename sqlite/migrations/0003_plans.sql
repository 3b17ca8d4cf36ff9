-- Plans, their immutable versions and the points of each version, with the
-- lineage links between points and the full-text index.
CREATE TABLE plans (
	id             TEXT PRIMARY KEY,
	process_id     TEXT NOT NULL REFERENCES processes (id),
	title          TEXT NOT NULL,
	template_id    TEXT REFERENCES plans (id),
	classification TEXT NOT NULL,
	created        TEXT NOT NULL
);

CREATE INDEX plans_process ON plans (process_id, title);

CREATE TABLE versions (
	id               TEXT PRIMARY KEY,
	plan_id          TEXT NOT NULL REFERENCES plans (id),
	seq              INTEGER NOT NULL, -- order of addition within the plan
	label            TEXT NOT NULL,
	date             TEXT NOT NULL,
	author_party_id  TEXT REFERENCES parties (id),
	status           TEXT NOT NULL,
	text             TEXT NOT NULL DEFAULT '',
	text_unknown     INTEGER NOT NULL DEFAULT 0,
	point_count      INTEGER NOT NULL DEFAULT 0,
	reported_changes TEXT NOT NULL DEFAULT '',
	source_ids       TEXT NOT NULL DEFAULT '[]',
	warnings         TEXT NOT NULL DEFAULT '[]',
	previous_id      TEXT REFERENCES versions (id),
	classification   TEXT NOT NULL,
	created          TEXT NOT NULL,
	UNIQUE (plan_id, seq)
);

CREATE INDEX versions_plan ON versions (plan_id, date, seq);

-- Points in document order (seq). Their label and text never change; the
-- annotations (tags, provenance, lineage) may.
CREATE TABLE points (
	version_id     TEXT NOT NULL REFERENCES versions (id),
	id             TEXT NOT NULL,
	seq            INTEGER NOT NULL,
	label          TEXT NOT NULL,
	heading        TEXT NOT NULL DEFAULT '',
	text           TEXT NOT NULL,
	depth          INTEGER NOT NULL,
	origin_version TEXT NOT NULL,
	origin_point   TEXT NOT NULL,
	tags           TEXT NOT NULL DEFAULT '[]',
	proposed_by    TEXT REFERENCES parties (id),
	contact_id     TEXT REFERENCES contacts (id),
	source_ids     TEXT NOT NULL DEFAULT '[]',
	PRIMARY KEY (version_id, id)
) WITHOUT ROWID;

-- Lineage: point (version_id, point_id) came from (from_version,
-- from_point). Indexed both ways, to follow a point back and forward.
CREATE TABLE point_links (
	version_id   TEXT NOT NULL,
	point_id     TEXT NOT NULL,
	ord          INTEGER NOT NULL,
	from_version TEXT NOT NULL,
	from_point   TEXT NOT NULL,
	PRIMARY KEY (version_id, point_id, ord),
	FOREIGN KEY (version_id, point_id) REFERENCES points (version_id, id),
	FOREIGN KEY (from_version, from_point) REFERENCES points (version_id, id)
) WITHOUT ROWID;

CREATE INDEX point_links_from ON point_links (from_version, from_point);

-- The points raised at a contact, for the contact's page.
CREATE INDEX points_contact ON points (contact_id) WHERE contact_id IS NOT NULL;

-- Full-text search over point texts and contact summaries. The triggers
-- keep it in step with the tables in the same transaction as each write.
CREATE VIRTUAL TABLE search USING fts5 (
	body,
	process_id UNINDEXED,
	kind UNINDEXED,       -- 'point' or 'contact'
	ref UNINDEXED,        -- version_id for a point, contact id for a contact
	point_id UNINDEXED,
	tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER points_search AFTER INSERT ON points BEGIN
	INSERT INTO search (body, process_id, kind, ref, point_id)
	SELECT new.text, plans.process_id, 'point', new.version_id, new.id
	FROM versions JOIN plans ON plans.id = versions.plan_id WHERE versions.id = new.version_id;
END;

CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts BEGIN
	INSERT INTO search (body, process_id, kind, ref, point_id)
	VALUES (trim(new.summary || char(10) || new.transcript), new.process_id, 'contact', new.id, '');
END;

CREATE TRIGGER contacts_search_update AFTER UPDATE OF summary, transcript ON contacts BEGIN
	DELETE FROM search WHERE kind = 'contact' AND ref = old.id;
	INSERT INTO search (body, process_id, kind, ref, point_id)
	VALUES (trim(new.summary || char(10) || new.transcript), new.process_id, 'contact', new.id, '');
END;
