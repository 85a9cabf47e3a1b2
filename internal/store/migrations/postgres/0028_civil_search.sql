-- The civil-status name search (see docs/architecture.md, "Civil-status
-- search and import"). Every person of a record is indexed by the words of
-- their folded name, each word prefixed with the person's unit
-- ("00004_nguyen"), in a GIN index over that tsvector: the scope is part of
-- every term, so a unit's search reads only the unit's posting lists, and
-- a prefix query ('00004_ngu':*) reads the unit's terms that start with it.
-- The lexemes are built here, not by a text search parser, so both engines
-- split names the same way: any run of characters other than letters and
-- digits is a word break. An expression index, not a stored column: the
-- table keeps its columns, and the copy between engines needs nothing.
CREATE FUNCTION civil_name_terms(unit TEXT, name TEXT) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array_to_tsvector(ARRAY(
        SELECT lower(unit) || '_' || w FROM regexp_split_to_table(name, '[^[:alnum:]]+') AS w WHERE w <> ''))
$$;

CREATE INDEX civil_people_names ON civil_people USING gin (civil_name_terms(unit_code, name_fold));

-- Searches by birth year alone, and the newest registrations first.
CREATE INDEX civil_people_birth_year ON civil_people(unit_code, birth_year);
CREATE INDEX civil_records_unit_registered ON civil_records(unit_code, registered_on, id);
