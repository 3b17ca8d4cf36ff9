-- The number of contacts and sources of each process, by classification
-- (and, for contacts, by channel, whose classification a contact without
-- its own takes), kept by triggers: the dashboard and the full lists say
-- how many records a reader may see, and counting the records themselves
-- would cost more the more a process has. '' stands for NULL, so that
-- the key is unique. Writes take the write lock one after the other, so
-- two never wait for each other's row of counts.

-- Servers of the version before may still write while this runs: their
-- writes wait until it commits, so that none falls between the counts
-- below and the triggers that keep them.
LOCK TABLE contacts, sources IN SHARE ROW EXCLUSIVE MODE;

CREATE TABLE record_counts (
	process_id     TEXT COLLATE "C" NOT NULL,
	tbl            TEXT COLLATE "C" NOT NULL, -- contacts or sources
	classification TEXT COLLATE "C" NOT NULL, -- '': the channel's
	channel_id     TEXT COLLATE "C" NOT NULL, -- '': none
	n              BIGINT NOT NULL,
	PRIMARY KEY (process_id, tbl, classification, channel_id)
);

INSERT INTO record_counts (process_id, tbl, classification, channel_id, n)
SELECT process_id, 'contacts', coalesce(classification, ''), coalesce(channel_id, ''), count(*)
FROM contacts GROUP BY process_id, coalesce(classification, ''), coalesce(channel_id, '');

INSERT INTO record_counts (process_id, tbl, classification, channel_id, n)
SELECT process_id, 'sources', classification, '', count(*)
FROM sources GROUP BY process_id, classification;

-- count_record counts a contact or source of a process (delta 1) or
-- counts it no more (delta -1).
CREATE FUNCTION count_record(process TEXT, tbl_ TEXT, class TEXT, channel TEXT, delta INTEGER) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO record_counts (process_id, tbl, classification, channel_id, n)
	VALUES (process, tbl_, coalesce(class, ''), coalesce(channel, ''), delta)
	ON CONFLICT (process_id, tbl, classification, channel_id) DO UPDATE SET n = record_counts.n + delta;
	IF delta < 0 THEN
		DELETE FROM record_counts WHERE n = 0 AND process_id = process AND tbl = tbl_;
	END IF;
END $$;

CREATE FUNCTION contacts_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM count_record(OLD.process_id, 'contacts', OLD.classification, OLD.channel_id, -1);
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		PERFORM count_record(NEW.process_id, 'contacts', NEW.classification, NEW.channel_id, 1);
	END IF;
	RETURN NULL;
END $$;

CREATE FUNCTION sources_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM count_record(OLD.process_id, 'sources', OLD.classification, '', -1);
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		PERFORM count_record(NEW.process_id, 'sources', NEW.classification, '', 1);
	END IF;
	RETURN NULL;
END $$;

-- An update sets every column: the counts change only when one that
-- they are kept by does.
CREATE TRIGGER contacts_count AFTER INSERT OR DELETE ON contacts
FOR EACH ROW EXECUTE FUNCTION contacts_count();
CREATE TRIGGER contacts_count_update AFTER UPDATE OF process_id, classification, channel_id ON contacts
FOR EACH ROW WHEN (OLD.process_id IS DISTINCT FROM NEW.process_id OR OLD.classification IS DISTINCT FROM NEW.classification
	OR OLD.channel_id IS DISTINCT FROM NEW.channel_id)
EXECUTE FUNCTION contacts_count();
CREATE TRIGGER sources_count AFTER INSERT OR DELETE ON sources
FOR EACH ROW EXECUTE FUNCTION sources_count();
CREATE TRIGGER sources_count_update AFTER UPDATE OF process_id, classification ON sources
FOR EACH ROW WHEN (OLD.process_id IS DISTINCT FROM NEW.process_id OR OLD.classification IS DISTINCT FROM NEW.classification)
EXECUTE FUNCTION sources_count();
