-- The count of writes to each table, kept in the transaction of every
-- write: caches of drawn pages compare it with the count they read before
-- drawing (sqlstore/changes.go). Added counts inserts; changed, updates
-- and deletes.

CREATE TABLE changes (
	tbl     TEXT COLLATE "C" PRIMARY KEY,
	added   BIGINT NOT NULL DEFAULT 0,
	changed BIGINT NOT NULL DEFAULT 0
);
