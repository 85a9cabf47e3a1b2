-- The log of look-ups in the national population database: every one an
-- officer made, the failed ones too, with who, from which unit, when, the
-- ID number, the reason given, the dossier it was for (empty: none), the
-- outcome (match, mismatch, not_found, unavailable) and, for a mismatch,
-- the fields that differed. Rows are only ever added.
CREATE TABLE population_lookups (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    username TEXT NOT NULL,
    actor_name TEXT NOT NULL DEFAULT '',
    actor_role TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    id_number TEXT NOT NULL,
    reason TEXT NOT NULL,
    dossier_code TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX population_lookups_unit ON population_lookups (unit_code, at);
