-- The running dues stored in their key's order (WITHOUT ROWID): the index
-- of a period that ends today sums a unit's rows, and through the key's
-- index each row cost a look-up of the table's row for its count. At ten
-- million dossiers a province's 126 communes have some 12,000 rows (one per
-- unit and hour in which open dossiers fall due).
CREATE TABLE running_dues_new (
    unit_code TEXT NOT NULL,
    paused INTEGER NOT NULL,        -- 0: the clock runs; 1: paused on time; 2: paused late
    due_hour INTEGER NOT NULL,       -- due_at in whole hours since 1970 (0 when paused)
    dossiers INTEGER NOT NULL,
    PRIMARY KEY (unit_code, paused, due_hour)
) WITHOUT ROWID;
INSERT INTO running_dues_new (unit_code, paused, due_hour, dossiers)
SELECT unit_code, paused, due_hour, dossiers FROM running_dues;
DROP TABLE running_dues;
ALTER TABLE running_dues_new RENAME TO running_dues;
