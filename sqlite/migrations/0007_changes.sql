-- The count of writes to each table, kept in the transaction of every
-- write: caches of drawn pages compare it with the count they read before
-- drawing (sqlstore/changes.go). Added counts inserts; changed, updates
-- and deletes.

CREATE TABLE changes (
	tbl     TEXT PRIMARY KEY,
	added   INTEGER NOT NULL DEFAULT 0,
	changed INTEGER NOT NULL DEFAULT 0
);
