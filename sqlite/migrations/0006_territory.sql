-- A process's map (regions and lines) and the territorial provisions of
-- its versions. Geometries are GeoJSON geometry objects as text, read
-- whole with their record; classifications are JSON as in the other
-- tables.

CREATE TABLE regions (
	id             TEXT PRIMARY KEY,
	process_id     TEXT NOT NULL REFERENCES processes (id),
	code           TEXT NOT NULL,
	name           TEXT NOT NULL,
	de_jure_id     TEXT REFERENCES parties (id),
	de_facto_id    TEXT REFERENCES parties (id),
	geometry       TEXT NOT NULL,
	source         TEXT NOT NULL DEFAULT '',
	classification TEXT NOT NULL,
	-- the bounds of the geometry, so that the regions near a new one are
	-- found without reading every region's geometry
	min_lon        REAL NOT NULL,
	min_lat        REAL NOT NULL,
	max_lon        REAL NOT NULL,
	max_lat        REAL NOT NULL,
	UNIQUE (process_id, code)
);

CREATE TABLE lines (
	id             TEXT PRIMARY KEY,
	process_id     TEXT NOT NULL REFERENCES processes (id),
	name           TEXT NOT NULL,
	geometry       TEXT NOT NULL,
	left_label     TEXT NOT NULL,
	right_label    TEXT NOT NULL,
	source         TEXT NOT NULL DEFAULT '',
	classification TEXT NOT NULL
);

CREATE INDEX lines_process ON lines (process_id, name);

-- Regions are a JSON list of region IDs; drawn is a GeoJSON geometry or ''.
CREATE TABLE provisions (
	id             TEXT PRIMARY KEY,
	process_id     TEXT NOT NULL REFERENCES processes (id),
	version_id     TEXT NOT NULL REFERENCES versions (id),
	point_id       TEXT NOT NULL DEFAULT '',
	label          TEXT NOT NULL,
	region_ids     TEXT NOT NULL DEFAULT '[]',
	line_id        TEXT REFERENCES lines (id),
	side           TEXT NOT NULL DEFAULT '',
	buffer_km      REAL NOT NULL DEFAULT 0,
	status         TEXT NOT NULL,
	de_jure_id     TEXT REFERENCES parties (id),
	de_facto_id    TEXT REFERENCES parties (id),
	note           TEXT NOT NULL DEFAULT '',
	drawn          TEXT NOT NULL DEFAULT '',
	classification TEXT NOT NULL,
	updated        TEXT NOT NULL
);

CREATE INDEX provisions_version ON provisions (process_id, version_id);
