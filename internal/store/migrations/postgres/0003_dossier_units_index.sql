-- A dossier's units are read on every look-up and action; the primary key
-- (unit_code, dossier_id) serves listings by unit, not this.
CREATE INDEX dossier_units_dossier ON dossier_units(dossier_id);
