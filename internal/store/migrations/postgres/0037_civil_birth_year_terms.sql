-- A person's birth year is a term of the name index beside the words of
-- the name and their prefixes ("00004__1985": two underscores, which no
-- name word has, since a name's words are letters and digits only). A
-- search by name and birth year (or date) then intersects the year's
-- posting list with the words' inside the index, where it fetched every
-- person of the name from the table to test each birth date: for "nguyen
-- an" in a large commune, thousands of rows to keep a few dozen. The year
-- is the stored date's first four characters (dates are stored as YYYY,
-- YYYY-MM or YYYY-MM-DD); no date, no term.
CREATE FUNCTION civil_name_terms(unit TEXT, words TEXT, birth TEXT) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN array_to_tsvector(ARRAY(
    SELECT lower(unit) || '_' || w FROM unnest(string_to_array(words, ' ')) w
    UNION
    SELECT lower(unit) || '_' || left(w, n) || '*' FROM unnest(string_to_array(words, ' ')) w, generate_series(1, least(7, length(w))) n
    UNION
    SELECT lower(unit) || '__' || left(birth, 4) WHERE birth <> ''));

DROP INDEX civil_people_names;
CREATE INDEX civil_people_names ON civil_people USING gin (civil_name_terms(unit_code, name_words, birth_date)) WITH (fastupdate = off);
DROP FUNCTION civil_name_terms(TEXT, TEXT);
