-- A person's birth year is a term of the name index beside the words of
-- the name ("00004__1985": two underscores, which no name word has, since a
-- name's words are letters and digits only). A search by name and birth
-- year (or date) then intersects the year's posting list with the words'
-- inside the index, where it walked every person of the name to test each
-- birth date: for "nguyen an" in a large commune, thousands of people to
-- keep a few dozen. The year is the stored date's first four characters
-- (dates are stored as YYYY, YYYY-MM or YYYY-MM-DD); no date, no term.
DROP TRIGGER civil_people_names_insert;
DROP TRIGGER civil_people_names_delete;
DROP TRIGGER civil_people_names_update;

CREATE TRIGGER civil_people_names_insert AFTER INSERT ON civil_people BEGIN
    INSERT INTO civil_names (rowid, terms) VALUES (new.id,
        new.unit_code || '_' || replace(new.name_words, ' ', ' ' || new.unit_code || '_')
        || CASE WHEN new.birth_date <> '' THEN ' ' || new.unit_code || '__' || substr(new.birth_date, 1, 4) ELSE '' END);
    INSERT OR IGNORE INTO civil_name_words (unit_code, word) SELECT new.unit_code, value
        FROM json_each('["' || replace(replace(replace(new.name_words, '\', '\\'), '"', '\"'), ' ', '","') || '"]') WHERE value <> '';
END;

CREATE TRIGGER civil_people_names_delete AFTER DELETE ON civil_people BEGIN
    INSERT INTO civil_names (civil_names, rowid, terms) VALUES ('delete', old.id,
        old.unit_code || '_' || replace(old.name_words, ' ', ' ' || old.unit_code || '_')
        || CASE WHEN old.birth_date <> '' THEN ' ' || old.unit_code || '__' || substr(old.birth_date, 1, 4) ELSE '' END);
END;

CREATE TRIGGER civil_people_names_update AFTER UPDATE OF name_words, unit_code, birth_date ON civil_people BEGIN
    INSERT INTO civil_names (civil_names, rowid, terms) VALUES ('delete', old.id,
        old.unit_code || '_' || replace(old.name_words, ' ', ' ' || old.unit_code || '_')
        || CASE WHEN old.birth_date <> '' THEN ' ' || old.unit_code || '__' || substr(old.birth_date, 1, 4) ELSE '' END);
    INSERT INTO civil_names (rowid, terms) VALUES (new.id,
        new.unit_code || '_' || replace(new.name_words, ' ', ' ' || new.unit_code || '_')
        || CASE WHEN new.birth_date <> '' THEN ' ' || new.unit_code || '__' || substr(new.birth_date, 1, 4) ELSE '' END);
    INSERT OR IGNORE INTO civil_name_words (unit_code, word) SELECT new.unit_code, value
        FROM json_each('["' || replace(replace(replace(new.name_words, '\', '\\'), '"', '\"'), ' ', '","') || '"]') WHERE value <> '';
END;

-- The index written again with the years (the table is contentless: its
-- terms cannot be amended in place).
INSERT INTO civil_names (civil_names) VALUES ('delete-all');
INSERT INTO civil_names (rowid, terms)
SELECT id, unit_code || '_' || replace(name_words, ' ', ' ' || unit_code || '_')
    || CASE WHEN birth_date <> '' THEN ' ' || unit_code || '__' || substr(birth_date, 1, 4) ELSE '' END
FROM civil_people;
INSERT INTO civil_names (civil_names) VALUES ('optimize');
