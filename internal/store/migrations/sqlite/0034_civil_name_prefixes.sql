-- The civil-status name index keeps a prefix index for every prefix of a
-- word up to seven letters (with the unit's code and '_', 7 to 13
-- characters), instead of one and two letters only. A prefix query
-- ("00004_hoa"*) of a length without its prefix index makes FTS5 read and
-- merge the whole posting lists of every term that starts with it (hoa,
-- hoai, hoan, hoang...) before the first row: that merge was most of a
-- name search's time, and it grows with the commune. With a prefix index
-- the prefix is one posting list, read from the newest row and only as
-- far as the query's LIMIT. Seven letters are the longest Vietnamese
-- syllable ("nghieng"); a longer word is rare, and so is its merge.
-- The options of an FTS5 table are fixed at its creation: the table is
-- made again and filled from civil_people (its triggers name the table,
-- so they keep working).
DROP TABLE civil_names;

CREATE VIRTUAL TABLE civil_names USING fts5(
    terms,
    content = '',
    contentless_delete = 1,
    detail = 'none',
    prefix = '7 8 9 10 11 12 13',
    tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"
);

INSERT INTO civil_names (rowid, terms)
SELECT id, unit_code || '_' || replace(name_words, ' ', ' ' || unit_code || '_')
FROM civil_people;

INSERT INTO civil_names (civil_names) VALUES ('optimize');
