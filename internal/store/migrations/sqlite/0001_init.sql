-- motcua schema, version 1. Times are Unix microseconds (UTC), 0 = not set:
-- the same integers on both engines, compared and indexed as numbers.
CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    full_name TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    parent_code TEXT NOT NULL DEFAULT '',
    path TEXT NOT NULL,            -- codes from the root, '/'-separated: 01/00004
    agency_code TEXT NOT NULL DEFAULT '',
    valid_from TEXT NOT NULL DEFAULT '',
    valid_to TEXT NOT NULL DEFAULT '',
    office_hours TEXT NOT NULL DEFAULT ''   -- JSON; empty = the default hours
);
CREATE INDEX units_parent ON units(parent_code);
CREATE INDEX units_path ON units(path);

CREATE TABLE departments (
    id INTEGER PRIMARY KEY,
    unit_code TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (unit_code, code)
);

CREATE TABLE procedures (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_fold TEXT NOT NULL,
    field TEXT NOT NULL,
    online_mode TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    data TEXT NOT NULL,           -- the whole procedure as JSON
    updated_at INTEGER NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    role TEXT NOT NULL,
    unit_code TEXT NOT NULL DEFAULT '',
    department TEXT NOT NULL DEFAULT '',
    id_number TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

CREATE TABLE tokens (
    digest TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,           -- api or session
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL   -- 0 = never
);
CREATE INDEX tokens_user ON tokens(user_id);

CREATE TABLE dossiers (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    unit_code TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    procedure_name TEXT NOT NULL,
    channel INTEGER NOT NULL,
    status INTEGER NOT NULL,
    applicant_name TEXT NOT NULL,
    applicant_fold TEXT NOT NULL,
    applicant_id_number TEXT NOT NULL,
    applicant_phone TEXT NOT NULL,
    applicant_user_id INTEGER NOT NULL DEFAULT 0,
    submitted_at INTEGER NOT NULL,
    received_at INTEGER NOT NULL DEFAULT 0,
    due_at INTEGER NOT NULL DEFAULT 0,
    finished_at INTEGER NOT NULL DEFAULT 0,
    returned_at INTEGER NOT NULL DEFAULT 0,
    outcome TEXT NOT NULL DEFAULT '',
    step INTEGER NOT NULL DEFAULT 0,
    step_department TEXT NOT NULL DEFAULT '',
    step_assignee TEXT NOT NULL DEFAULT '',
    step_started_at INTEGER NOT NULL DEFAULT 0,
    step_due_at INTEGER NOT NULL DEFAULT 0,
    paused_at INTEGER NOT NULL DEFAULT 0,
    resume_status INTEGER NOT NULL DEFAULT 0,
    supplement_count INTEGER NOT NULL DEFAULT 0,
    fee_amount INTEGER NOT NULL DEFAULT 0,
    paid_at INTEGER NOT NULL DEFAULT 0,
    approved INTEGER NOT NULL DEFAULT 0,
    extended_at INTEGER NOT NULL DEFAULT 0,
    rating INTEGER NOT NULL DEFAULT 0,
    rated_at INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL,
    event_count INTEGER NOT NULL DEFAULT 0,
    last_hash TEXT NOT NULL DEFAULT '',
    data TEXT NOT NULL            -- applicant's other details, lists, notes (JSON)
);
CREATE INDEX dossiers_unit_status_due ON dossiers(unit_code, status, due_at);
CREATE INDEX dossiers_status_due ON dossiers(status, due_at);
CREATE INDEX dossiers_id_number ON dossiers(applicant_id_number);
CREATE INDEX dossiers_applicant_user ON dossiers(applicant_user_id) WHERE applicant_user_id <> 0;
CREATE INDEX dossiers_applicant_fold ON dossiers(applicant_fold);
CREATE INDEX dossiers_submitted ON dossiers(submitted_at);

CREATE TABLE dossier_units (
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
    unit_code TEXT NOT NULL,
    PRIMARY KEY (unit_code, dossier_id)
);

CREATE TABLE dossier_events (
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
    seq INTEGER NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    actor_unit TEXT NOT NULL,
    at INTEGER NOT NULL,
    from_status INTEGER NOT NULL,
    to_status INTEGER NOT NULL,
    step INTEGER NOT NULL,
    to_step INTEGER NOT NULL,
    assignee TEXT NOT NULL,
    note TEXT NOT NULL,
    outcome TEXT NOT NULL,
    due_at INTEGER NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (dossier_id, seq)
);

-- Daily counter per receiving agency for dossier codes.
CREATE TABLE dossier_counters (
    agency TEXT NOT NULL,
    day TEXT NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (agency, day)
);

-- Roll-ups: one row per unit × procedure × local day × channel.
CREATE TABLE rollups (
    unit_code TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    day TEXT NOT NULL,
    channel INTEGER NOT NULL,
    submitted INTEGER NOT NULL DEFAULT 0,
    received INTEGER NOT NULL DEFAULT 0,
    refused INTEGER NOT NULL DEFAULT 0,
    supplement_requests INTEGER NOT NULL DEFAULT 0,
    finished_early INTEGER NOT NULL DEFAULT 0,
    finished_on_time INTEGER NOT NULL DEFAULT 0,
    finished_late INTEGER NOT NULL DEFAULT 0,
    returned INTEGER NOT NULL DEFAULT 0,
    withdrawn INTEGER NOT NULL DEFAULT 0,
    stopped INTEGER NOT NULL DEFAULT 0,
    paid INTEGER NOT NULL DEFAULT 0,
    extended INTEGER NOT NULL DEFAULT 0,
    rated_very INTEGER NOT NULL DEFAULT 0,
    rated_ok INTEGER NOT NULL DEFAULT 0,
    rated_bad INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_code, day, procedure_code, channel)
);

-- Calendar days set or removed by an administrator, on top of the shipped
-- schedules; every change is also logged.
CREATE TABLE calendar_days (
    date TEXT PRIMARY KEY,
    kind TEXT NOT NULL,          -- holiday, workday, or removed (unset a shipped day)
    name TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at INTEGER NOT NULL
);
CREATE TABLE calendar_changes (
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL,
    op TEXT NOT NULL,            -- set or unset
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    reason TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at INTEGER NOT NULL
);

-- Locks for scheduled work, so that one of several servers runs it.
CREATE TABLE job_locks (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
