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

-- Every word of a unit's names, once: a prefix of three letters or more
-- ("hoa", "nguy") is looked up here and searched as the words it starts
-- (hoa OR hoai OR hoan OR hoang...). FTS5 merges such a disjunction lazily,
-- from the newest row and only as far as the query's LIMIT, where a prefix
-- query without its own prefix index first reads and merges the whole
-- posting lists of every term that starts with it; prefix indexes for every
-- length would cost the index's writes more than twice. Words are never
-- taken out (a word no longer held by anyone matches nothing).
CREATE TABLE civil_name_words (
    unit_code TEXT NOT NULL,
    word TEXT NOT NULL,
    PRIMARY KEY (unit_code, word)
) WITHOUT ROWID;

INSERT OR IGNORE INTO civil_name_words (unit_code, word)
SELECT p.unit_code, w.value FROM civil_people p,
    json_each('["' || replace(replace(replace(p.name_words, '\', '\\'), '"', '\"'), ' ', '","') || '"]') w
WHERE w.value <> '';

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
    INSERT OR IGNORE INTO civil_name_words (unit_code, word) SELECT new.unit_code, value
        FROM json_each('["' || replace(replace(replace(new.name_words, '\', '\\'), '"', '\"'), ' ', '","') || '"]') WHERE value <> '';
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
    INSERT OR IGNORE INTO civil_name_words (unit_code, word) SELECT new.unit_code, value
        FROM json_each('["' || replace(replace(replace(new.name_words, '\', '\\'), '"', '\"'), ' ', '","') || '"]') WHERE value <> '';
END;

INSERT INTO civil_names (rowid, terms)
SELECT id, unit_code || '_' || replace(name_words, ' ', ' ' || unit_code || '_')
FROM civil_people;
INSERT INTO civil_names (civil_names) VALUES ('optimize');

-- Imported records have no scanned page: the index of scans holds only
-- the records that have one.
DROP INDEX civil_records_scan;
CREATE INDEX civil_records_scan ON civil_records(scan_sha256) WHERE scan_sha256 <> '';

-- Two indexes no query needs any more, each rebuilt by every large
-- import: a search by birth year reads the range of birth dates of the
-- duplicates' index (unit, birth date, name), and nothing counts records
-- by unit and status (the books keep the counts).
DROP INDEX civil_people_birth_year;
DROP INDEX civil_records_unit_status;
