-- The civil-status name index written for less (see docs/benchmarks.md,
-- "Civil-status register"): a large import spent a quarter of its time in
-- it. The terms are already folded and split by the application
-- (civil_people.name_words: letters and digits, lower case), so the ascii
-- tokenizer, which only splits on ASCII punctuation and spaces and keeps
-- every other character in its token, yields the same terms as unicode61
-- at a fraction of its cost. No per-row sizes (columnsize = 0: nothing
-- ranks by them) and no contentless_delete, which needs them: a person's
-- terms are taken out with FTS5's 'delete' command, from the same columns
-- that wrote them.
DROP TRIGGER civil_people_names_insert;
DROP TRIGGER civil_people_names_delete;
DROP TRIGGER civil_people_names_update;
DROP TABLE civil_names;

CREATE VIRTUAL TABLE civil_names USING fts5(
    terms,
    content = '',
    columnsize = 0,
    detail = 'none',
    prefix = '7 8',
    tokenize = "ascii tokenchars '_'"
);

CREATE TRIGGER civil_people_names_insert AFTER INSERT ON civil_people BEGIN
    INSERT INTO civil_names (rowid, terms) VALUES (new.id,
        new.unit_code || '_' || replace(new.name_words, ' ', ' ' || new.unit_code || '_'));
END;

CREATE TRIGGER civil_people_names_delete AFTER DELETE ON civil_people BEGIN
    INSERT INTO civil_names (civil_names, rowid, terms) VALUES ('delete', old.id,
        old.unit_code || '_' || replace(old.name_words, ' ', ' ' || old.unit_code || '_'));
END;

CREATE TRIGGER civil_people_names_update AFTER UPDATE OF name_words, unit_code ON civil_people BEGIN
    INSERT INTO civil_names (civil_names, rowid, terms) VALUES ('delete', old.id,
        old.unit_code || '_' || replace(old.name_words, ' ', ' ' || old.unit_code || '_'));
    INSERT INTO civil_names (rowid, terms) VALUES (new.id,
        new.unit_code || '_' || replace(new.name_words, ' ', ' ' || new.unit_code || '_'));
END;

INSERT INTO civil_names (rowid, terms)
SELECT id, unit_code || '_' || replace(name_words, ' ', ' ' || unit_code || '_')
FROM civil_people;
INSERT INTO civil_names (civil_names) VALUES ('optimize');

-- Imported records have no scanned page: the index of scans holds only
-- the records that have one.
DROP INDEX civil_records_scan;
CREATE INDEX civil_records_scan ON civil_records(scan_sha256) WHERE scan_sha256 <> '';
