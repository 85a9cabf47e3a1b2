-- The dossiers received and still open, counted by unit and by the hour
-- their deadline falls in (indicator 2.1 of a period that ends today): the
-- index reads these few rows per unit, and only the dossiers due in the
-- current hour, instead of every open dossier. A dossier waiting for its
-- applicant keeps the due time it had when it paused, so it is counted as
-- paused on time (1) or paused late (2), with hour 0.
CREATE TABLE running_dues (
    unit_code TEXT NOT NULL,
    paused INTEGER NOT NULL,        -- 0: the clock runs; 1: paused on time; 2: paused late
    due_hour INTEGER NOT NULL,       -- due_at in whole hours since 1970 (0 when paused)
    dossiers INTEGER NOT NULL,
    PRIMARY KEY (unit_code, paused, due_hour)
);
-- The open dossiers of an existing installation.
INSERT INTO running_dues (unit_code, paused, due_hour, dossiers)
SELECT unit_code, CASE WHEN status NOT IN (5, 6) THEN 0 WHEN due_at < paused_at THEN 2 ELSE 1 END,
    CASE WHEN status IN (5, 6) THEN 0 ELSE due_at / 3600000000 END, COUNT(*)
FROM dossiers WHERE status IN (1, 2, 4, 5, 6) AND due_at > 0
GROUP BY unit_code, CASE WHEN status NOT IN (5, 6) THEN 0 WHEN due_at < paused_at THEN 2 ELSE 1 END,
    CASE WHEN status IN (5, 6) THEN 0 ELSE due_at / 3600000000 END;
-- Indicator 3.2 asks, for each unit and procedure offered online, whether
-- one dossier was received online in the period. For the receiving unit
-- and each unit above it, by procedure and year, the days of the year that
-- had one: bit n of column dK is day 64K + n of the year (0 = 1 January).
-- The index reads a row per unit, procedure and year the period touches.
-- Filled from the roll-ups after this migration (afterMigration).
CREATE TABLE online_days (
    unit_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    procedure_code TEXT NOT NULL,
    d0 INTEGER NOT NULL DEFAULT 0,
    d1 INTEGER NOT NULL DEFAULT 0,
    d2 INTEGER NOT NULL DEFAULT 0,
    d3 INTEGER NOT NULL DEFAULT 0,
    d4 INTEGER NOT NULL DEFAULT 0,
    d5 INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_code, year, procedure_code)
) WITHOUT ROWID;
