-- The Decision 766 service index.
-- Dossiers finished early or on time after more than one request for
-- supplement: indicator 2.1 counts them late (dossiers finished before this
-- migration are not counted again).
ALTER TABLE rollups ADD COLUMN finished_resupplied INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_sums ADD COLUMN finished_resupplied INTEGER NOT NULL DEFAULT 0;
-- Indicators the system cannot count, entered per unit and month by an
-- administrator or a leader; the latest entry holds.
CREATE TABLE index_entries (
    unit_code TEXT NOT NULL,
    period TEXT NOT NULL,            -- YYYY-MM
    indicator TEXT NOT NULL,
    numerator INTEGER NOT NULL,
    denominator INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    entered_by TEXT NOT NULL,
    entered_at INTEGER NOT NULL,     -- unix microseconds
    PRIMARY KEY (unit_code, period, indicator)
);
-- Every entry ever made, the replaced ones included: the audit trail.
CREATE TABLE index_entry_log (
    id INTEGER PRIMARY KEY,
    unit_code TEXT NOT NULL,
    period TEXT NOT NULL,
    indicator TEXT NOT NULL,
    numerator INTEGER NOT NULL,
    denominator INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    entered_by TEXT NOT NULL,
    entered_at INTEGER NOT NULL
);
CREATE INDEX index_entry_log_unit ON index_entry_log (unit_code, period);
