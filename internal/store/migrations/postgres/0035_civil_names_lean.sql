-- Imported records have no scanned page: the index of scans holds only
-- the records that have one. (SQLite's name index changes in this version
-- too; PostgreSQL's expression index stays as it is.)
DROP INDEX civil_records_scan;
CREATE INDEX civil_records_scan ON civil_records(scan_sha256) WHERE scan_sha256 <> '';
