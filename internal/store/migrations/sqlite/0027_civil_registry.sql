-- The civil-status registry (sổ hộ tịch): register books per unit, kind and
-- year with their progress counters kept in each write's transaction; the
-- records entered in them; one row per person a record names, with the
-- folded name for duplicate candidates; each record's hash-chained history;
-- flagged likely duplicates; the log of officers' reads and searches; the
-- extracts and copies issued. A change or correction is a new record that
-- amends the original (amends), never an update of it. Users gain the civil
-- registrar flag (công chức tư pháp - hộ tịch).
ALTER TABLE users ADD COLUMN civil_registrar INTEGER NOT NULL DEFAULT 0;

CREATE TABLE civil_books (
    id INTEGER PRIMARY KEY,
    unit_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    number TEXT NOT NULL,
    origin TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    entered INTEGER NOT NULL DEFAULT 0,
    verified INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    UNIQUE (unit_code, kind, year, number)
);

CREATE TABLE civil_records (
    id INTEGER PRIMARY KEY,
    unit_code TEXT NOT NULL,
    book_id INTEGER NOT NULL REFERENCES civil_books(id),
    kind TEXT NOT NULL,
    page TEXT NOT NULL DEFAULT '',
    entry TEXT NOT NULL DEFAULT '',
    registered_on TEXT NOT NULL DEFAULT '',
    officer TEXT NOT NULL DEFAULT '',
    declarant_name TEXT NOT NULL DEFAULT '',
    declarant_relation TEXT NOT NULL DEFAULT '',
    status INTEGER NOT NULL,
    source TEXT NOT NULL,
    dossier_code TEXT NOT NULL DEFAULT '',
    scan_sha256 TEXT NOT NULL DEFAULT '',
    entered_by TEXT NOT NULL DEFAULT '',
    entered_at INTEGER NOT NULL DEFAULT 0,
    verified_by TEXT NOT NULL DEFAULT '',
    verified_at INTEGER NOT NULL DEFAULT 0,
    amends INTEGER NOT NULL DEFAULT 0,
    merged_into INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    event_count INTEGER NOT NULL DEFAULT 0,
    last_hash TEXT NOT NULL DEFAULT ''
);
-- A book's pages in entry order.
CREATE INDEX civil_records_book ON civil_records(book_id, entry, id);
CREATE INDEX civil_records_unit_status ON civil_records(unit_code, status);
CREATE INDEX civil_records_amends ON civil_records(amends) WHERE amends <> 0;
-- A dossier registers at most one record: the hook is idempotent.
CREATE UNIQUE INDEX civil_records_dossier ON civil_records(dossier_code) WHERE dossier_code <> '';
-- Whether a file in the blob store is still named by a scanned page.
CREATE INDEX civil_records_scan ON civil_records(scan_sha256);

CREATE TABLE civil_people (
    id INTEGER PRIMARY KEY,
    record_id INTEGER NOT NULL REFERENCES civil_records(id),
    unit_code TEXT NOT NULL,
    position INTEGER NOT NULL,
    role TEXT NOT NULL,
    full_name TEXT NOT NULL,
    name_fold TEXT NOT NULL,
    sex TEXT NOT NULL DEFAULT '',
    birth_date TEXT NOT NULL DEFAULT '',
    birth_year INTEGER NOT NULL DEFAULT 0,
    birth_place TEXT NOT NULL DEFAULT '',
    home_town TEXT NOT NULL DEFAULT '',
    ethnicity TEXT NOT NULL DEFAULT '',
    nationality TEXT NOT NULL DEFAULT '',
    id_number TEXT NOT NULL DEFAULT '',
    residence TEXT NOT NULL DEFAULT ''
);
CREATE INDEX civil_people_record ON civil_people(record_id, position);
-- Duplicate candidates: the same unit, birth date and folded name.
CREATE INDEX civil_people_dup ON civil_people(unit_code, birth_date, name_fold);
CREATE INDEX civil_people_id_number ON civil_people(unit_code, id_number) WHERE id_number <> '';

CREATE TABLE civil_events (
    record_id INTEGER NOT NULL REFERENCES civil_records(id),
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
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (record_id, seq)
);

CREATE TABLE civil_duplicates (
    id INTEGER PRIMARY KEY,
    unit_code TEXT NOT NULL,
    a INTEGER NOT NULL REFERENCES civil_records(id),
    b INTEGER NOT NULL REFERENCES civil_records(id),
    reason TEXT NOT NULL,
    score REAL NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    decided_by TEXT NOT NULL DEFAULT '',
    decided_at INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    UNIQUE (a, b)
);
CREATE INDEX civil_duplicates_unit ON civil_duplicates(unit_code, status, score);

CREATE TABLE civil_reads (
    id INTEGER PRIMARY KEY,
    unit_code TEXT NOT NULL,
    username TEXT NOT NULL,
    record_id INTEGER REFERENCES civil_records(id),
    reason TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL
);
CREATE INDEX civil_reads_unit ON civil_reads(unit_code, at);
CREATE INDEX civil_reads_record ON civil_reads(record_id) WHERE record_id IS NOT NULL;

CREATE TABLE civil_issuances (
    id INTEGER PRIMARY KEY,
    record_id INTEGER NOT NULL REFERENCES civil_records(id),
    unit_code TEXT NOT NULL,
    dossier_code TEXT NOT NULL DEFAULT '',
    year INTEGER NOT NULL,
    serial INTEGER NOT NULL,
    copies INTEGER NOT NULL,
    issued_by TEXT NOT NULL,
    issued_at INTEGER NOT NULL,
    UNIQUE (unit_code, year, serial)
);
CREATE INDEX civil_issuances_record ON civil_issuances(record_id);
