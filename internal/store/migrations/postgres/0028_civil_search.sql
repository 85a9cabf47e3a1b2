-- The civil-status name search (see docs/architecture.md, "Civil-status
-- search and import"). Every person of a record is indexed by the words of
-- their folded name, each word prefixed with the person's unit
-- ("00004_nguyen"), in a GIN index over that tsvector: the scope is part of
-- every term, so a unit's search reads only the unit's posting lists, and
-- a prefix query ('00004_ngu':*) reads the unit's terms that start with it.
-- The words are those of the query: civil_people.name_words holds them,
-- computed by the application (the same function that splits a query: a
-- word is a run of letters and digits, so "H’Hen", "Y‐Moan" and "A/B" are
-- two words each), written with every person by the registry's store and
-- the import; the lexemes are built here from those words, not by a text
-- search parser, so both engines index the same words. A one-expression
-- SQL function: the planner inlines it, and the import's COPY computes it
-- for millions of rows.
ALTER TABLE civil_people ADD COLUMN name_words TEXT NOT NULL DEFAULT '';

-- People entered before this version: the common punctuation is a break,
-- as in the application (the next edit of a record writes its exact words).
UPDATE civil_people SET name_words = array_to_string(regexp_split_to_array(trim(translate(name_fold, '-.,''()’/‐–', '          ')), ' +'), ' ');

CREATE FUNCTION civil_name_terms(unit TEXT, words TEXT) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN array_to_tsvector(string_to_array(lower(unit) || '_' || replace(words, ' ', ' ' || lower(unit) || '_'), ' '));

-- Without the pending list: entries waiting in it are read by every search
-- (a list of a few megabytes made each search tens of milliseconds) until
-- a vacuum merges them. The import turns it on for its load and merges it
-- before its commit.
CREATE INDEX civil_people_names ON civil_people USING gin (civil_name_terms(unit_code, name_words)) WITH (fastupdate = off);

-- Searches by birth year alone, and the newest registrations first.
CREATE INDEX civil_people_birth_year ON civil_people(unit_code, birth_year);
CREATE INDEX civil_records_unit_registered ON civil_records(unit_code, registered_on, id);
