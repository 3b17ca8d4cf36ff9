-- A process's map (regions and lines) and the territorial provisions of
-- its versions. Geometries are GeoJSON geometry objects as text, read
-- whole with their record; classifications are JSON as in the other
-- tables.

CREATE TABLE regions (
	id             TEXT COLLATE "C" PRIMARY KEY,
	process_id     TEXT COLLATE "C" NOT NULL REFERENCES processes (id) DEFERRABLE,
	code           TEXT COLLATE "C" NOT NULL,
	name           TEXT COLLATE "C" NOT NULL,
	de_jure_id     TEXT COLLATE "C" REFERENCES parties (id) DEFERRABLE,
	de_facto_id    TEXT COLLATE "C" REFERENCES parties (id) DEFERRABLE,
	geometry       TEXT COLLATE "C" NOT NULL,
	source         TEXT COLLATE "C" NOT NULL DEFAULT '',
	classification TEXT COLLATE "C" NOT NULL,
	-- the bounds of the geometry, so that the regions near a new one are
	-- found without reading every region's geometry
	min_lon        DOUBLE PRECISION NOT NULL,
	min_lat        DOUBLE PRECISION NOT NULL,
	max_lon        DOUBLE PRECISION NOT NULL,
	max_lat        DOUBLE PRECISION NOT NULL,
	UNIQUE (process_id, code)
);

CREATE TABLE lines (
	id             TEXT COLLATE "C" PRIMARY KEY,
	process_id     TEXT COLLATE "C" NOT NULL REFERENCES processes (id) DEFERRABLE,
	name           TEXT COLLATE "C" NOT NULL,
	geometry       TEXT COLLATE "C" NOT NULL,
	left_label     TEXT COLLATE "C" NOT NULL,
	right_label    TEXT COLLATE "C" NOT NULL,
	source         TEXT COLLATE "C" NOT NULL DEFAULT '',
	classification TEXT COLLATE "C" NOT NULL
);

CREATE INDEX lines_process ON lines (process_id, name);

-- Regions are a JSON list of region IDs; drawn is a GeoJSON geometry or ''.
CREATE TABLE provisions (
	id             TEXT COLLATE "C" PRIMARY KEY,
	process_id     TEXT COLLATE "C" NOT NULL REFERENCES processes (id) DEFERRABLE,
	version_id     TEXT COLLATE "C" NOT NULL REFERENCES versions (id) DEFERRABLE,
	point_id       TEXT COLLATE "C" NOT NULL DEFAULT '',
	label          TEXT COLLATE "C" NOT NULL,
	region_ids     TEXT COLLATE "C" NOT NULL DEFAULT '[]',
	line_id        TEXT COLLATE "C" REFERENCES lines (id) DEFERRABLE,
	side           TEXT COLLATE "C" NOT NULL DEFAULT '',
	buffer_km      DOUBLE PRECISION NOT NULL DEFAULT 0,
	status         TEXT COLLATE "C" NOT NULL,
	de_jure_id     TEXT COLLATE "C" REFERENCES parties (id) DEFERRABLE,
	de_facto_id    TEXT COLLATE "C" REFERENCES parties (id) DEFERRABLE,
	note           TEXT COLLATE "C" NOT NULL DEFAULT '',
	drawn          TEXT COLLATE "C" NOT NULL DEFAULT '',
	classification TEXT COLLATE "C" NOT NULL,
	updated        TEXT COLLATE "C" NOT NULL
);

CREATE INDEX provisions_version ON provisions (process_id, version_id);
