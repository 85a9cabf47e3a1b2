-- The civil-status name search (see docs/architecture.md, "Civil-status
-- search and import"). Every person of a record is indexed by the words of
-- their folded name, each word prefixed with the person's unit
-- ("00004_nguyen"), so that a unit's search walks only the unit's posting
-- lists: the scope costs nothing and a common family name in one commune is
-- a short list, not the province's. A prefix query ("00004_ngu"*) reads the
-- terms of the unit that start with it; the prefix index covers the first
-- one and two letters after a five-digit commune code.
--
-- The words are those of the query: civil_people.name_words holds them,
-- computed by the application (the same function that splits a query: a
-- word is a run of letters and digits, so "H’Hen", "Y‐Moan" and "A/B" are
-- two words each, whatever the punctuation), written with every person by
-- the registry's store and the import. The table is contentless (it stores
-- only the index) and kept by triggers on civil_people, so every writer
-- (the registry's store, the copy between engines) keeps it right.
ALTER TABLE civil_people ADD COLUMN name_words TEXT NOT NULL DEFAULT '';

-- People entered before this version: the common punctuation is a break,
-- as in the application (the next edit of a record writes its exact words).
UPDATE civil_people SET name_words = trim(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(name_fold,
    '-', ' '), '.', ' '), ',', ' '), '''', ' '), '(', ' '), ')', ' '), '’', ' '), '/', ' '), '‐', ' '), '–', ' '));

CREATE VIRTUAL TABLE civil_names USING fts5(
    terms,
    content = '',
    contentless_delete = 1,
    detail = 'none',
    prefix = '7 8',
    tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"
);

CREATE TRIGGER civil_people_names_insert AFTER INSERT ON civil_people BEGIN
    INSERT INTO civil_names (rowid, terms) VALUES (new.id,
        new.unit_code || '_' || replace(new.name_words, ' ', ' ' || new.unit_code || '_'));
END;

CREATE TRIGGER civil_people_names_delete AFTER DELETE ON civil_people BEGIN
    DELETE FROM civil_names WHERE rowid = old.id;
END;

CREATE TRIGGER civil_people_names_update AFTER UPDATE OF name_words, unit_code ON civil_people BEGIN
    DELETE FROM civil_names WHERE rowid = old.id;
    INSERT INTO civil_names (rowid, terms) VALUES (new.id,
        new.unit_code || '_' || replace(new.name_words, ' ', ' ' || new.unit_code || '_'));
END;

INSERT INTO civil_names (rowid, terms)
SELECT id, unit_code || '_' || replace(name_words, ' ', ' ' || unit_code || '_')
FROM civil_people;

-- Searches by birth year alone, and the newest registrations first.
CREATE INDEX civil_people_birth_year ON civil_people(unit_code, birth_year);
CREATE INDEX civil_records_unit_registered ON civil_records(unit_code, registered_on, id);
