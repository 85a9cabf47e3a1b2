-- The citizen's wallet: papers of earlier dossiers handed in again with a
-- new one. Each re-use names the new dossier, the earlier one, the paper
-- re-used (an attachment or a result file of the earlier dossier), the new
-- dossier's attachment that names the same stored file, and the component;
-- written in the new dossier's submit transaction.
CREATE TABLE dossier_reuses (
    id INTEGER PRIMARY KEY,
    dossier_id INTEGER NOT NULL,
    source_dossier_id INTEGER NOT NULL,
    document_id INTEGER NOT NULL,
    attachment_id INTEGER NOT NULL,
    component TEXT NOT NULL,
    kind TEXT NOT NULL,              -- attachment or result
    consent_at INTEGER NOT NULL,     -- unix microseconds: the applicant consented to the re-use
    at INTEGER NOT NULL              -- unix microseconds
);
CREATE INDEX dossier_reuses_dossier ON dossier_reuses (dossier_id);
CREATE INDEX dossier_reuses_source ON dossier_reuses (source_dossier_id);
-- When the wallet started: indicator 4.3 counts from that day, and a
-- period that ended before it has no data rather than zero. An installation
-- with dossiers started it with this migration; one without (a new
-- installation) has no row: every dossier it will hold comes after the
-- wallet, which it had from its creation. One row at most (a copy carries
-- the source's).
CREATE TABLE wallet_start (at INTEGER NOT NULL);
INSERT INTO wallet_start (at) SELECT CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER) WHERE EXISTS (SELECT 1 FROM dossiers) OR EXISTS (SELECT 1 FROM rollups);
-- Indicator 4.3: dossiers received that re-used papers, on the day
-- received. No dossier re-used a paper before this migration, so the
-- existing rows count none.
ALTER TABLE rollups ADD COLUMN received_reused INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_sums ADD COLUMN received_reused INTEGER NOT NULL DEFAULT 0;
