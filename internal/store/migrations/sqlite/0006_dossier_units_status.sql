-- A unit's queue by status (the work an officer opens first) and its open
-- dossiers (the dashboard's "late now") are found from the unit's own rows,
-- not by checking every dossier of that status in the installation: each
-- dossier_units row carries its dossier's status, changed with it, and its
-- submission time, so that a page of the queue, newest first, is read off
-- the index and only its own dossiers are fetched.
ALTER TABLE dossier_units ADD COLUMN status INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossier_units ADD COLUMN submitted_at BIGINT NOT NULL DEFAULT 0;
UPDATE dossier_units SET status = (SELECT d.status FROM dossiers d WHERE d.id = dossier_units.dossier_id),
    submitted_at = (SELECT d.submitted_at FROM dossiers d WHERE d.id = dossier_units.dossier_id);
CREATE INDEX dossier_units_status ON dossier_units(unit_code, status, submitted_at, dossier_id);
