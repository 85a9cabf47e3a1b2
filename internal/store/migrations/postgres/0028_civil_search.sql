-- The civil-status name search (see docs/architecture.md, "Civil-status
-- search and import"). Every person of a record is indexed by the words of
-- their folded name, each word prefixed with the person's unit
-- ("00004_nguyen"), in a GIN index over that tsvector: the scope is part of
-- every term, so a unit's search reads only the unit's posting lists, and
-- a prefix query ('00004_ngu':*) reads the unit's terms that start with it.
-- The lexemes are built here, not by a text search parser, so both engines
-- split names the same way: at spaces, the punctuation a folded name may
-- hold ("-", ".", ",", "'", "(", ")") being a space, as in SQLite's trigger.
-- A one-expression SQL function: the planner inlines it, and the import's
-- COPY computes it for millions of rows. An expression index, not a stored
-- column: the table keeps its columns, and the copy between engines needs
-- nothing.
CREATE FUNCTION civil_name_terms(unit TEXT, name TEXT) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN array_to_tsvector(string_to_array(
    lower(unit) || '_' || replace(translate(name, '-.,''()', '      '), ' ', ' ' || lower(unit) || '_'), ' '));

-- Without the pending list: entries waiting in it are read by every search
-- (a list of a few megabytes made each search tens of milliseconds) until
-- a vacuum merges them. The import turns it on for its load and merges it
-- before its commit.
CREATE INDEX civil_people_names ON civil_people USING gin (civil_name_terms(unit_code, name_fold)) WITH (fastupdate = off);

-- Searches by birth year alone, and the newest registrations first.
CREATE INDEX civil_people_birth_year ON civil_people(unit_code, birth_year);
CREATE INDEX civil_records_unit_registered ON civil_records(unit_code, registered_on, id);
