-- What a unit changes of a national procedure for itself and the units below
-- it (a province for its communes): the steps and whether it takes dossiers,
-- as JSON. The procedures row stays the national definition; the effective
-- procedure of a unit is the national one with the settings of the unit's
-- ancestors and its own laid over it, the nearest winning.
CREATE TABLE procedure_settings (
    unit_code TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    data TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at INTEGER NOT NULL,
    PRIMARY KEY (unit_code, procedure_code)
);
CREATE INDEX procedure_settings_procedure ON procedure_settings(procedure_code);
