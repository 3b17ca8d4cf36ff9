-- The number of contacts and sources of each process, by classification
-- (and, for contacts, by channel, whose classification a contact without
-- its own takes), kept by triggers: the dashboard and the full lists say
-- how many records a reader may see, and counting the records themselves
-- would cost more the more a process has. '' stands for NULL, so that
-- the key is unique.

CREATE TABLE record_counts (
	process_id     TEXT NOT NULL,
	tbl            TEXT NOT NULL, -- contacts or sources
	classification TEXT NOT NULL, -- '': the channel's
	channel_id     TEXT NOT NULL, -- '': none
	n              INTEGER NOT NULL,
	PRIMARY KEY (process_id, tbl, classification, channel_id)
) WITHOUT ROWID;

INSERT INTO record_counts (process_id, tbl, classification, channel_id, n)
SELECT process_id, 'contacts', coalesce(classification, ''), coalesce(channel_id, ''), count(*)
FROM contacts GROUP BY process_id, coalesce(classification, ''), coalesce(channel_id, '');

INSERT INTO record_counts (process_id, tbl, classification, channel_id, n)
SELECT process_id, 'sources', classification, '', count(*)
FROM sources GROUP BY process_id, classification;

CREATE TRIGGER contacts_count_insert AFTER INSERT ON contacts BEGIN
	INSERT INTO record_counts (process_id, tbl, classification, channel_id, n)
	VALUES (new.process_id, 'contacts', coalesce(new.classification, ''), coalesce(new.channel_id, ''), 1)
	ON CONFLICT (process_id, tbl, classification, channel_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER contacts_count_update AFTER UPDATE OF process_id, classification, channel_id ON contacts
WHEN old.process_id IS NOT new.process_id OR old.classification IS NOT new.classification OR old.channel_id IS NOT new.channel_id
BEGIN
	UPDATE record_counts SET n = n - 1 WHERE process_id = old.process_id AND tbl = 'contacts'
		AND classification = coalesce(old.classification, '') AND channel_id = coalesce(old.channel_id, '');
	INSERT INTO record_counts (process_id, tbl, classification, channel_id, n)
	VALUES (new.process_id, 'contacts', coalesce(new.classification, ''), coalesce(new.channel_id, ''), 1)
	ON CONFLICT (process_id, tbl, classification, channel_id) DO UPDATE SET n = n + 1;
	DELETE FROM record_counts WHERE n = 0 AND process_id = old.process_id AND tbl = 'contacts';
END;

CREATE TRIGGER contacts_count_delete AFTER DELETE ON contacts BEGIN
	UPDATE record_counts SET n = n - 1 WHERE process_id = old.process_id AND tbl = 'contacts'
		AND classification = coalesce(old.classification, '') AND channel_id = coalesce(old.channel_id, '');
	DELETE FROM record_counts WHERE n = 0 AND process_id = old.process_id AND tbl = 'contacts';
END;

CREATE TRIGGER sources_count_insert AFTER INSERT ON sources BEGIN
	INSERT INTO record_counts (process_id, tbl, classification, channel_id, n)
	VALUES (new.process_id, 'sources', new.classification, '', 1)
	ON CONFLICT (process_id, tbl, classification, channel_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER sources_count_update AFTER UPDATE OF process_id, classification ON sources
WHEN old.process_id IS NOT new.process_id OR old.classification IS NOT new.classification
BEGIN
	UPDATE record_counts SET n = n - 1 WHERE process_id = old.process_id AND tbl = 'sources'
		AND classification = old.classification AND channel_id = '';
	INSERT INTO record_counts (process_id, tbl, classification, channel_id, n)
	VALUES (new.process_id, 'sources', new.classification, '', 1)
	ON CONFLICT (process_id, tbl, classification, channel_id) DO UPDATE SET n = n + 1;
	DELETE FROM record_counts WHERE n = 0 AND process_id = old.process_id AND tbl = 'sources';
END;

CREATE TRIGGER sources_count_delete AFTER DELETE ON sources BEGIN
	UPDATE record_counts SET n = n - 1 WHERE process_id = old.process_id AND tbl = 'sources'
		AND classification = old.classification AND channel_id = '';
	DELETE FROM record_counts WHERE n = 0 AND process_id = old.process_id AND tbl = 'sources';
END;
