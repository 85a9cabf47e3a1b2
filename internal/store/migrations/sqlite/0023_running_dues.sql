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
-- one dossier was received online in the period: one seek in these, the
-- receiving unit's own days and the days of the units below it.
CREATE INDEX rollups_online ON rollups (unit_code, procedure_code, day) WHERE channel = 2 AND received > 0;
CREATE INDEX rollup_sums_online ON rollup_sums (unit_code, grain, procedure_code, period) WHERE received_online > 0;
