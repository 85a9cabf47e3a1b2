-- The archive: dossiers finished long ago (see the archive job), moved whole
-- out of the working tables so that the queues, searches and indexes an
-- officer uses all day stay the size of the recent years. Each table has the
-- same columns as the one it mirrors, so the same code reads both; a dossier
-- keeps its id, code and history chain, which still verifies here. Roll-ups
-- are counts per period and are not touched by a move.
CREATE TABLE dossiers_archive (
    id BIGINT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    unit_code TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    procedure_name TEXT NOT NULL,
    channel BIGINT NOT NULL,
    status BIGINT NOT NULL,
    applicant_name TEXT NOT NULL,
    applicant_fold TEXT NOT NULL,
    applicant_id_number TEXT NOT NULL,
    applicant_phone TEXT NOT NULL,
    applicant_user_id BIGINT NOT NULL DEFAULT 0,
    submitted_at BIGINT NOT NULL,
    received_at BIGINT NOT NULL DEFAULT 0,
    due_at BIGINT NOT NULL DEFAULT 0,
    finished_at BIGINT NOT NULL DEFAULT 0,
    returned_at BIGINT NOT NULL DEFAULT 0,
    outcome TEXT NOT NULL DEFAULT '',
    step BIGINT NOT NULL DEFAULT 0,
    step_department TEXT NOT NULL DEFAULT '',
    step_assignee TEXT NOT NULL DEFAULT '',
    step_started_at BIGINT NOT NULL DEFAULT 0,
    step_due_at BIGINT NOT NULL DEFAULT 0,
    paused_at BIGINT NOT NULL DEFAULT 0,
    resume_status BIGINT NOT NULL DEFAULT 0,
    supplement_count BIGINT NOT NULL DEFAULT 0,
    fee_amount BIGINT NOT NULL DEFAULT 0,
    paid_at BIGINT NOT NULL DEFAULT 0,
    approved BIGINT NOT NULL DEFAULT 0,
    extended_at BIGINT NOT NULL DEFAULT 0,
    rating BIGINT NOT NULL DEFAULT 0,
    rated_at BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL,
    event_count BIGINT NOT NULL DEFAULT 0,
    last_hash TEXT NOT NULL DEFAULT '',
    data TEXT NOT NULL,
    subject_fold TEXT NOT NULL DEFAULT ''
);

CREATE TABLE dossier_units_archive (
    dossier_id BIGINT NOT NULL REFERENCES dossiers_archive(id),
    unit_code TEXT NOT NULL,
    status BIGINT NOT NULL DEFAULT 0,
    submitted_at BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (dossier_id, unit_code)
);

CREATE TABLE dossier_events_archive (
    dossier_id BIGINT NOT NULL REFERENCES dossiers_archive(id),
    seq BIGINT NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    actor_unit TEXT NOT NULL,
    at BIGINT NOT NULL,
    from_status BIGINT NOT NULL,
    to_status BIGINT NOT NULL,
    step BIGINT NOT NULL,
    to_step BIGINT NOT NULL,
    assignee TEXT NOT NULL,
    note TEXT NOT NULL,
    outcome TEXT NOT NULL,
    due_at BIGINT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (dossier_id, seq)
);

-- Keyed by dossier then id, as on SQLite (where a later upload may take the
-- id of an archived attachment).
CREATE TABLE attachments_archive (
    id BIGINT NOT NULL,
    dossier_id BIGINT NOT NULL REFERENCES dossiers_archive(id),
    component TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'component',
    PRIMARY KEY (dossier_id, id)
);
-- The purge of unbound uploads keeps a file an archived attachment names.
CREATE INDEX attachments_archive_sha256 ON attachments_archive(sha256);

-- The archive job finds its candidates by the time they ended: a refused,
-- withdrawn, stopped or returned dossier has its finished_at set, and a
-- returned one was returned after it.
CREATE INDEX dossiers_finished ON dossiers(status, finished_at);
