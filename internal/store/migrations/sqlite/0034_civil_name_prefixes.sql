-- PostgreSQL's civil-status name index gains its prefix lexemes in this
-- version (0034 there). SQLite's name index is made again by 0035, with
-- the unit's words that a longer prefix is searched as.
SELECT 1;
