-- Citizens' feedback and petitions (phản ánh, kiến nghị): the petition with
-- its deadlines and hash-chained history, its files (content in the blob
-- store), the daily code counter per unit, the folded words of the published
-- answers (the public search's index), readers' votes, each unit's setting,
-- and the roll-ups per unit and day kept in each write's transaction.
CREATE TABLE petitions (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    unit_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    field TEXT NOT NULL,
    department TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    lat REAL,
    lng REAL,
    dossier_code TEXT NOT NULL DEFAULT '',
    channel TEXT NOT NULL,
    sender_name TEXT NOT NULL DEFAULT '',
    sender_phone TEXT NOT NULL DEFAULT '',
    sender_email TEXT NOT NULL DEFAULT '',
    sender_user_id INTEGER NOT NULL DEFAULT 0,
    status INTEGER NOT NULL,
    assignee TEXT NOT NULL DEFAULT '',
    received_at INTEGER NOT NULL,
    refuse_due_at INTEGER NOT NULL,
    info_due_at INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    paused_at INTEGER NOT NULL DEFAULT 0,
    settled_at INTEGER NOT NULL DEFAULT 0,
    outcome TEXT NOT NULL DEFAULT '',
    escalated_at INTEGER NOT NULL DEFAULT 0,
    published INTEGER NOT NULL DEFAULT 0,
    published_at INTEGER NOT NULL DEFAULT 0,
    useful INTEGER NOT NULL DEFAULT 0,
    not_useful INTEGER NOT NULL DEFAULT 0,
    satisfaction TEXT NOT NULL DEFAULT '',
    rated_at INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    event_count INTEGER NOT NULL DEFAULT 0,
    last_hash TEXT NOT NULL DEFAULT '',
    data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX petitions_unit_status_due ON petitions(unit_code, status, due_at);
CREATE INDEX petitions_unit_received ON petitions(unit_code, received_at);
CREATE INDEX petitions_published ON petitions(published, published_at);
-- The hourly escalation finds the open petitions not yet told to a leader.
CREATE INDEX petitions_escalation ON petitions(escalated_at, status, due_at);

CREATE TABLE petition_events (
    petition_id INTEGER NOT NULL REFERENCES petitions(id),
    seq INTEGER NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    actor_name TEXT NOT NULL DEFAULT '',
    actor_role TEXT NOT NULL,
    actor_unit TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL,
    from_status INTEGER NOT NULL,
    to_status INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL DEFAULT '',
    due_at INTEGER NOT NULL DEFAULT 0,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (petition_id, seq)
);

CREATE TABLE petition_files (
    id INTEGER PRIMARY KEY,
    petition_id INTEGER NOT NULL REFERENCES petitions(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_at INTEGER NOT NULL
);
CREATE INDEX petition_files_petition ON petition_files(petition_id);
CREATE INDEX petition_files_sha256 ON petition_files(sha256);

CREATE TABLE petition_counters (
    unit_code TEXT NOT NULL,
    day TEXT NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (unit_code, day)
);

CREATE TABLE petition_words (
    word TEXT NOT NULL,
    petition_id INTEGER NOT NULL REFERENCES petitions(id),
    PRIMARY KEY (word, petition_id)
);
CREATE INDEX petition_words_petition ON petition_words(petition_id);

CREATE TABLE petition_votes (
    petition_id INTEGER NOT NULL REFERENCES petitions(id),
    voter TEXT NOT NULL,
    useful INTEGER NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (petition_id, voter)
);

CREATE TABLE petition_settings (
    unit_code TEXT PRIMARY KEY,
    direct_answer INTEGER NOT NULL DEFAULT 0,
    updated_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE petition_rollups (
    unit_code TEXT NOT NULL,
    day TEXT NOT NULL,
    received INTEGER NOT NULL DEFAULT 0,
    answered INTEGER NOT NULL DEFAULT 0,
    answered_on_time INTEGER NOT NULL DEFAULT 0,
    late INTEGER NOT NULL DEFAULT 0,
    dissatisfied INTEGER NOT NULL DEFAULT 0,
    dossier_complaints INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_code, day)
);
