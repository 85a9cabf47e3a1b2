-- The roll-ups clustered by their key (WITHOUT ROWID): a change writes one
-- b-tree instead of the table and its key index, and reading a unit's days
-- reads neighbouring rows instead of jumping from the index to the table.
CREATE TABLE rollups_clustered (
    unit_code TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    day TEXT NOT NULL,
    channel INTEGER NOT NULL,
    submitted INTEGER NOT NULL DEFAULT 0,
    received INTEGER NOT NULL DEFAULT 0,
    refused INTEGER NOT NULL DEFAULT 0,
    supplement_requests INTEGER NOT NULL DEFAULT 0,
    finished_early INTEGER NOT NULL DEFAULT 0,
    finished_on_time INTEGER NOT NULL DEFAULT 0,
    finished_late INTEGER NOT NULL DEFAULT 0,
    returned INTEGER NOT NULL DEFAULT 0,
    withdrawn INTEGER NOT NULL DEFAULT 0,
    stopped INTEGER NOT NULL DEFAULT 0,
    paid INTEGER NOT NULL DEFAULT 0,
    extended INTEGER NOT NULL DEFAULT 0,
    rated_very INTEGER NOT NULL DEFAULT 0,
    rated_ok INTEGER NOT NULL DEFAULT 0,
    rated_bad INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_code, day, procedure_code, channel)
) WITHOUT ROWID;
INSERT INTO rollups_clustered SELECT unit_code, procedure_code, day, channel, submitted, received, refused, supplement_requests,
    finished_early, finished_on_time, finished_late, returned, withdrawn, stopped, paid, extended, rated_very, rated_ok, rated_bad
    FROM rollups;
DROP TABLE rollups;
ALTER TABLE rollups_clustered RENAME TO rollups;
