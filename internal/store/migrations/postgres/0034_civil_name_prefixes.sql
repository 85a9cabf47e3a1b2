-- SQLite's civil-status name index gained prefix indexes (0034 there); PostgreSQL's GIN index
-- needs none: a prefix query walks the sorted terms of the index.
SELECT 1;
