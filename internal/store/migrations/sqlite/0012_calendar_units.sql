-- Calendars per unit: a day set by an administrator belongs to one unit
-- (its own calendar and, through inheritance, its descendants'); '' is the
-- national calendar, set by the operator, which the existing days become.
CREATE TABLE calendar_days_new (
    unit_code TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL,
    kind TEXT NOT NULL,          -- holiday, workday, or removed (unset an inherited or shipped day)
    name TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at INTEGER NOT NULL,
    PRIMARY KEY (unit_code, date)
);
INSERT INTO calendar_days_new (unit_code, date, kind, name, changed_by, changed_at)
    SELECT '', date, kind, name, changed_by, changed_at FROM calendar_days;
DROP TABLE calendar_days;
ALTER TABLE calendar_days_new RENAME TO calendar_days;
-- Which units set a date themselves, when a change above them is recomputed.
CREATE INDEX calendar_days_date ON calendar_days(date);

ALTER TABLE calendar_changes ADD COLUMN unit_code TEXT NOT NULL DEFAULT '';
CREATE INDEX calendar_changes_unit ON calendar_changes(unit_code, id);
