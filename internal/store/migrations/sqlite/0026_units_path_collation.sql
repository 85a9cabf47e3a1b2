-- SQLite compares text byte by byte (BINARY) already: nothing to change. The
-- PostgreSQL migration of the same number makes units.path compare so too.
SELECT 1;
