-- Sums of the roll-ups that dashboards read, so that a province over a year
-- costs a few thousand rows whatever the number of dossiers. Derived from
-- rollups (the store rebuilds them from it when units move) and changed in
-- the same transaction as rollups.
--   grain 'd': a day, per procedure, only for the units above the receiving
--              one (a receiving unit's own days are rollups itself);
--   grain 'm': a month (YYYY-MM), per procedure;
--   grain 'D', 'M': a day, a month, over every procedure (procedure_code '').
--   below 0: received at unit_code itself; 1: at the units under it.
--   slot: on PostgreSQL, the rows of a unit above others are split over a
--         few slots by receiving unit, so that the communes' concurrent
--         writes do not all wait for the province's one row; readers add
--         the slots up. Always 0 on SQLite (one writer) and after a rebuild.
-- The channels are added together (a dashboard splits nothing by channel),
-- but for received_online, the dossiers received that came in online.
CREATE TABLE rollup_sums (
    unit_code TEXT NOT NULL,
    grain TEXT NOT NULL,
    period TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    below INTEGER NOT NULL,
    slot INTEGER NOT NULL DEFAULT 0,
    received_online BIGINT NOT NULL DEFAULT 0,
    submitted BIGINT NOT NULL DEFAULT 0,
    received BIGINT NOT NULL DEFAULT 0,
    refused BIGINT NOT NULL DEFAULT 0,
    supplement_requests BIGINT NOT NULL DEFAULT 0,
    finished_early BIGINT NOT NULL DEFAULT 0,
    finished_on_time BIGINT NOT NULL DEFAULT 0,
    finished_late BIGINT NOT NULL DEFAULT 0,
    returned BIGINT NOT NULL DEFAULT 0,
    withdrawn BIGINT NOT NULL DEFAULT 0,
    stopped BIGINT NOT NULL DEFAULT 0,
    paid BIGINT NOT NULL DEFAULT 0,
    extended BIGINT NOT NULL DEFAULT 0,
    rated_very BIGINT NOT NULL DEFAULT 0,
    rated_ok BIGINT NOT NULL DEFAULT 0,
    rated_bad BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_code, grain, period, procedure_code, below, slot)
);
