-- Calendars per unit: a day set by an administrator belongs to one unit
-- (its own calendar and, through inheritance, its descendants'); '' is the
-- national calendar, set by the operator, which the existing days become.
ALTER TABLE calendar_days ADD COLUMN unit_code TEXT NOT NULL DEFAULT '';
ALTER TABLE calendar_days DROP CONSTRAINT calendar_days_pkey;
ALTER TABLE calendar_days ADD PRIMARY KEY (unit_code, date);
-- Which units set a date themselves, when a change above them is recomputed.
CREATE INDEX calendar_days_date ON calendar_days(date);

ALTER TABLE calendar_changes ADD COLUMN unit_code TEXT NOT NULL DEFAULT '';
CREATE INDEX calendar_changes_unit ON calendar_changes(unit_code, id);
