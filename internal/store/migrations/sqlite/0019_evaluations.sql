-- Periodic evaluation of units and officers on the nine criteria.
-- A leader's score of a criterion that the dossiers cannot measure, with the
-- reason, who entered it and when. Rows are only added: the latest per
-- criterion counts, the earlier ones are its history. officer '' = the unit.
CREATE TABLE evaluation_entries (
    id INTEGER PRIMARY KEY,
    unit_code TEXT NOT NULL,
    officer TEXT NOT NULL DEFAULT '',
    period TEXT NOT NULL,          -- 2026-03 or 2026-Q1
    criterion TEXT NOT NULL,
    points REAL NOT NULL,
    reason TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at INTEGER NOT NULL
);
CREATE INDEX evaluation_entries_unit ON evaluation_entries(unit_code, period, id);

-- The evaluations as computed when a period ended (the monthly and quarterly
-- job) or when asked: criteria holds each criterion's counts, rate, points
-- and source as JSON.
CREATE TABLE evaluations (
    unit_code TEXT NOT NULL,
    officer TEXT NOT NULL DEFAULT '',
    period TEXT NOT NULL,
    criteria TEXT NOT NULL,
    total REAL NOT NULL,
    grade TEXT NOT NULL,
    computed_at INTEGER NOT NULL,
    PRIMARY KEY (unit_code, period, officer)
);

-- An officer's history entries of a period, read by the evaluation.
CREATE INDEX dossier_events_actor_at ON dossier_events(actor, at);
