-- A unit's yearly targets (chỉ tiêu), the actuals entered per month or
-- quarter (one row per target and period; entering a period again replaces
-- its value), and the log of every change to either, with who and when.
CREATE TABLE targets (
    id INTEGER PRIMARY KEY,
    unit_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    name TEXT NOT NULL,
    measure TEXT NOT NULL,
    kind TEXT NOT NULL,
    plan REAL NOT NULL,
    direction TEXT NOT NULL,
    aggregate TEXT NOT NULL,
    period TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX targets_unit_year ON targets(unit_code, year, id);

CREATE TABLE target_actuals (
    target_id INTEGER NOT NULL REFERENCES targets(id),
    period TEXT NOT NULL,
    value REAL NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at INTEGER NOT NULL,
    PRIMARY KEY (target_id, period)
);

CREATE TABLE target_changes (
    id INTEGER PRIMARY KEY,
    target_id INTEGER NOT NULL,
    unit_code TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at INTEGER NOT NULL
);
CREATE INDEX target_changes_target ON target_changes(target_id, id);

-- The monthly reports, one per unit and month (the unique key makes writing
-- one idempotent across servers), the PDF kept in the row: a few tens of
-- kilobytes per unit and month, and the size is bounded when it is written.
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    unit_code TEXT NOT NULL,
    month TEXT NOT NULL,
    kind TEXT NOT NULL,
    pdf BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (unit_code, month, kind)
);
