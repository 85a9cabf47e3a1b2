-- The civil-status name index holds, beside each word of a name, every
-- prefix of it up to seven letters as a lexeme of its own, marked with
-- '*' (a name's words are letters and digits only): "00004_nguyen" also
-- gives 00004_n*, 00004_ng*, ... 00004_nguyen*. A prefix query of up to
-- seven letters is then one lexeme's posting list ('00004_ngu*'), as on
-- SQLite (whose FTS5 table gets the same prefix indexes in 0034): a GIN
-- partial match ('00004_ngu':*) instead gathers the posting lists of every
-- lexeme that starts with it into a bitmap before the first row, which for
-- a commune's commonest words (nguyen, thi, van) was most of a search's
-- time and grew with the commune. Seven letters is the longest Vietnamese
-- syllable; a longer query word keeps the partial match, on few rows.
-- The function keeps its name, so that the index keeps its name and its
-- expression (the import manages it by name); it is built again.
CREATE OR REPLACE FUNCTION civil_name_terms(unit TEXT, words TEXT) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN array_to_tsvector(ARRAY(
    SELECT lower(unit) || '_' || w FROM unnest(string_to_array(words, ' ')) w
    UNION
    SELECT lower(unit) || '_' || left(w, n) || '*' FROM unnest(string_to_array(words, ' ')) w, generate_series(1, least(7, length(w))) n));

REINDEX INDEX civil_people_names;
