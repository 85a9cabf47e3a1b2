-- Imported records have no scanned page: the index of scans holds only
-- the records that have one. (SQLite's name index changes in this version
-- too; PostgreSQL's expression index stays as it is.)
DROP INDEX civil_records_scan;
CREATE INDEX civil_records_scan ON civil_records(scan_sha256) WHERE scan_sha256 <> '';

-- Two indexes no query needs any more, each rebuilt by every large
-- import: a search by birth year reads the range of birth dates of the
-- duplicates' index (unit, birth date, name), and nothing counts records
-- by unit and status (the books keep the counts).
DROP INDEX civil_people_birth_year;
DROP INDEX civil_records_unit_status;
