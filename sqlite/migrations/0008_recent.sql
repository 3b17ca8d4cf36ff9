-- Indexes for the latest contacts and sources of a process, a page at a
-- time (the dashboard and the full lists): in the order the pages show
-- them, so that a page reads its rows alone; and over the columns the
-- counts by classification group on, so that counting reads the index
-- alone, not the records.

CREATE INDEX contacts_recent ON contacts (process_id, start_utc DESC, id DESC);
CREATE INDEX contacts_classes ON contacts (process_id, classification, channel_id);
CREATE INDEX sources_recent ON sources (process_id, replace(published, 'Z', '') DESC, id DESC);
CREATE INDEX sources_classes ON sources (process_id, classification);
