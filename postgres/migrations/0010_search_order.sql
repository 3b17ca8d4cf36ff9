-- The order in which entries of the search index were written: a search
-- ranks at most the latest of its matches (parley.MaxRanked), as SQLite's
-- index tells by its row numbers. The entries already there are numbered
-- in the order they are stored, which is about the order they were
-- written.

ALTER TABLE search ADD COLUMN seq BIGINT GENERATED ALWAYS AS IDENTITY;
