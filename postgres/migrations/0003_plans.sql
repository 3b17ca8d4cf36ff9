-- Plans, their immutable versions and the points of each version, with the
-- lineage links between points and the full-text index.
CREATE TABLE plans (
	id             TEXT COLLATE "C" PRIMARY KEY,
	process_id     TEXT COLLATE "C" NOT NULL REFERENCES processes (id) DEFERRABLE,
	title          TEXT COLLATE "C" NOT NULL,
	template_id    TEXT COLLATE "C" REFERENCES plans (id) DEFERRABLE,
	classification TEXT COLLATE "C" NOT NULL,
	created        TEXT COLLATE "C" NOT NULL
);

CREATE INDEX plans_process ON plans (process_id, title);

CREATE TABLE versions (
	id               TEXT COLLATE "C" PRIMARY KEY,
	plan_id          TEXT COLLATE "C" NOT NULL REFERENCES plans (id) DEFERRABLE,
	seq              BIGINT NOT NULL, -- order of addition within the plan
	label            TEXT COLLATE "C" NOT NULL,
	date             TEXT COLLATE "C" NOT NULL,
	author_party_id  TEXT COLLATE "C" REFERENCES parties (id) DEFERRABLE,
	status           TEXT COLLATE "C" NOT NULL,
	text             TEXT COLLATE "C" NOT NULL DEFAULT '',
	text_unknown     BOOLEAN NOT NULL DEFAULT FALSE,
	point_count      BIGINT NOT NULL DEFAULT 0,
	reported_changes TEXT COLLATE "C" NOT NULL DEFAULT '',
	source_ids       TEXT COLLATE "C" NOT NULL DEFAULT '[]',
	warnings         TEXT COLLATE "C" NOT NULL DEFAULT '[]',
	previous_id      TEXT COLLATE "C" REFERENCES versions (id) DEFERRABLE,
	classification   TEXT COLLATE "C" NOT NULL,
	created          TEXT COLLATE "C" NOT NULL,
	UNIQUE (plan_id, seq)
);

CREATE INDEX versions_plan ON versions (plan_id, date, seq);

-- Points in document order (seq). Their label and text never change; the
-- annotations (tags, provenance, lineage) may.
CREATE TABLE points (
	version_id     TEXT COLLATE "C" NOT NULL REFERENCES versions (id) DEFERRABLE,
	id             TEXT COLLATE "C" NOT NULL,
	seq            BIGINT NOT NULL,
	label          TEXT COLLATE "C" NOT NULL,
	heading        TEXT COLLATE "C" NOT NULL DEFAULT '',
	text           TEXT COLLATE "C" NOT NULL,
	depth          BIGINT NOT NULL,
	origin_version TEXT COLLATE "C" NOT NULL,
	origin_point   TEXT COLLATE "C" NOT NULL,
	tags           TEXT COLLATE "C" NOT NULL DEFAULT '[]',
	proposed_by    TEXT COLLATE "C" REFERENCES parties (id) DEFERRABLE,
	contact_id     TEXT COLLATE "C" REFERENCES contacts (id) DEFERRABLE,
	source_ids     TEXT COLLATE "C" NOT NULL DEFAULT '[]',
	PRIMARY KEY (version_id, id)
);

-- Lineage: point (version_id, point_id) came from (from_version,
-- from_point). Indexed both ways, to follow a point back and forward.
CREATE TABLE point_links (
	version_id   TEXT COLLATE "C" NOT NULL,
	point_id     TEXT COLLATE "C" NOT NULL,
	ord          BIGINT NOT NULL,
	from_version TEXT COLLATE "C" NOT NULL,
	from_point   TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (version_id, point_id, ord),
	FOREIGN KEY (version_id, point_id) REFERENCES points (version_id, id) DEFERRABLE,
	FOREIGN KEY (from_version, from_point) REFERENCES points (version_id, id) DEFERRABLE
);

CREATE INDEX point_links_from ON point_links (from_version, from_point);

-- The points raised at a contact, for the contact's page.
CREATE INDEX points_contact ON points (contact_id) WHERE contact_id IS NOT NULL;

-- Full-text search over point texts and contact summaries, as on SQLite:
-- one row per point and per contact, kept in step with the tables by
-- triggers in the same transaction as each write. Words are matched
-- without their case or diacritics ("umlaut" finds "Ümlaut"), through
-- unaccent (a trusted extension: a database owner may create it).
CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;

-- unaccent is only stable (its dictionary could change); an index needs an
-- immutable function, so this one names the dictionary outright. "<" and
-- "&" become spaces: PostgreSQL's parser would take "<b and c>" for markup
-- and leave its words out of the index.
CREATE FUNCTION parley_fold(t text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
	RETURN lower(public.unaccent('public.unaccent'::regdictionary, translate(t, '<&', '  ')));

CREATE TABLE search (
	process_id TEXT COLLATE "C" NOT NULL,
	kind       TEXT COLLATE "C" NOT NULL, -- 'point' or 'contact'
	ref        TEXT COLLATE "C" NOT NULL, -- version_id for a point, contact id for a contact
	point_id   TEXT COLLATE "C" NOT NULL,
	body       TEXT NOT NULL,
	doc        tsvector GENERATED ALWAYS AS (to_tsvector('simple', parley_fold(body))) STORED
);

CREATE INDEX search_doc ON search USING gin (doc);
CREATE INDEX search_ref ON search (kind, ref);

CREATE FUNCTION points_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO search (body, process_id, kind, ref, point_id)
	SELECT NEW.text, plans.process_id, 'point', NEW.version_id, NEW.id
	FROM versions JOIN plans ON plans.id = versions.plan_id WHERE versions.id = NEW.version_id;
	RETURN NULL;
END $$;

CREATE TRIGGER points_search AFTER INSERT ON points FOR EACH ROW EXECUTE FUNCTION points_search();

CREATE FUNCTION contacts_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' THEN
		DELETE FROM search WHERE kind = 'contact' AND ref = OLD.id;
	END IF;
	INSERT INTO search (body, process_id, kind, ref, point_id)
	VALUES (trim(NEW.summary || chr(10) || NEW.transcript), NEW.process_id, 'contact', NEW.id, '');
	RETURN NULL;
END $$;

CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts FOR EACH ROW EXECUTE FUNCTION contacts_search();
CREATE TRIGGER contacts_search_update AFTER UPDATE OF summary, transcript ON contacts FOR EACH ROW EXECUTE FUNCTION contacts_search();
