-- SQLite stores its running dues in their key's order in this version;
-- PostgreSQL's table stays as it is.
SELECT 1;
