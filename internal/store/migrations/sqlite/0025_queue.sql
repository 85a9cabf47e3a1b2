-- The modern counter: service groups and desks per unit, the numbered
-- tickets (numbering per unit × group × working day through
-- queue_counters), appointments, the event log that feeds the calling
-- boards (ordered per unit by queue_event_seq, whose row lock also orders
-- the writers), the counter ratings and the roll-up the leaders read.
-- Ticket changes are operational, not legal evidence: no hash chain.
CREATE TABLE queue_groups (
    id INTEGER PRIMARY KEY,
    unit_code TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    procedures TEXT NOT NULL DEFAULT '',
    slot_minutes INTEGER NOT NULL,
    slot_capacity INTEGER NOT NULL,
    grace_minutes INTEGER NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    UNIQUE (unit_code, code)
);

CREATE TABLE queue_desks (
    id INTEGER PRIMARY KEY,
    unit_code TEXT NOT NULL,
    number INTEGER NOT NULL,
    name TEXT NOT NULL,
    group_codes TEXT NOT NULL,
    officer TEXT NOT NULL DEFAULT '',
    officer_day TEXT NOT NULL DEFAULT '', -- the local day the officer signed in: a sign-in lasts the day
    ticket_id INTEGER NOT NULL DEFAULT 0,
    UNIQUE (unit_code, number)
);

CREATE TABLE queue_counters (
    unit_code TEXT NOT NULL,
    group_code TEXT NOT NULL,
    day TEXT NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (unit_code, group_code, day)
);

CREATE TABLE queue_tickets (
    id INTEGER PRIMARY KEY,
    unit_code TEXT NOT NULL,
    day TEXT NOT NULL,
    group_code TEXT NOT NULL,
    seq INTEGER NOT NULL,
    number TEXT NOT NULL,
    token TEXT NOT NULL UNIQUE,
    priority INTEGER NOT NULL DEFAULT 0,
    priority_reason TEXT NOT NULL DEFAULT '',
    appointment TEXT NOT NULL DEFAULT '',
    due_at INTEGER NOT NULL DEFAULT 0,
    rank_at INTEGER NOT NULL,
    status TEXT NOT NULL,
    target_desk INTEGER NOT NULL DEFAULT 0,
    desk_id INTEGER NOT NULL DEFAULT 0,
    officer TEXT NOT NULL DEFAULT '',
    calls INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    id_number TEXT NOT NULL DEFAULT '',
    dossier_code TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    waiting_since INTEGER NOT NULL,
    called_at INTEGER NOT NULL DEFAULT 0,
    finished_at INTEGER NOT NULL DEFAULT 0,
    rating INTEGER NOT NULL DEFAULT 0,
    UNIQUE (unit_code, day, number)
);
CREATE INDEX queue_tickets_waiting ON queue_tickets(unit_code, day, status, group_code);

CREATE TABLE queue_appointments (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    unit_code TEXT NOT NULL,
    group_code TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    slot_at INTEGER NOT NULL,
    status TEXT NOT NULL,
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    id_number TEXT NOT NULL DEFAULT '',
    ticket_id INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX queue_appointments_slot ON queue_appointments(unit_code, group_code, slot_at);

CREATE TABLE queue_event_seq (
    unit_code TEXT PRIMARY KEY,
    last INTEGER NOT NULL
);

CREATE TABLE queue_events (
    unit_code TEXT NOT NULL,
    seq INTEGER NOT NULL,
    ticket_id INTEGER NOT NULL,
    number TEXT NOT NULL,
    group_code TEXT NOT NULL,
    desk_id INTEGER NOT NULL DEFAULT 0,
    desk_number INTEGER NOT NULL DEFAULT 0,
    officer TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    wait_us INTEGER NOT NULL DEFAULT 0,
    service_us INTEGER NOT NULL DEFAULT 0,
    rating INTEGER NOT NULL DEFAULT 0,
    at INTEGER NOT NULL,
    PRIMARY KEY (unit_code, seq)
);
CREATE INDEX queue_events_ticket ON queue_events(ticket_id, seq);

CREATE TABLE queue_ratings (
    ticket_id INTEGER PRIMARY KEY,
    unit_code TEXT NOT NULL,
    officer TEXT NOT NULL,
    desk_id INTEGER NOT NULL,
    dossier_code TEXT NOT NULL DEFAULT '',
    rating INTEGER NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    rated_at INTEGER NOT NULL
);
CREATE INDEX queue_ratings_officer ON queue_ratings(officer, rated_at);

-- Waiting time (issue or transfer → call) and service time (call → served
-- or skipped), per unit × local day × hour × group × desk × officer, kept
-- in the write's transaction.
CREATE TABLE queue_stats (
    unit_code TEXT NOT NULL,
    day TEXT NOT NULL,
    hour INTEGER NOT NULL,
    group_code TEXT NOT NULL,
    desk_id INTEGER NOT NULL,
    officer TEXT NOT NULL,
    issued INTEGER NOT NULL DEFAULT 0,
    waited_n INTEGER NOT NULL DEFAULT 0,
    waited_sum INTEGER NOT NULL DEFAULT 0,
    waited_max INTEGER NOT NULL DEFAULT 0,
    served_n INTEGER NOT NULL DEFAULT 0,
    served_sum INTEGER NOT NULL DEFAULT 0,
    served_max INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    rated_n INTEGER NOT NULL DEFAULT 0,
    rated_good INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_code, day, hour, group_code, desk_id, officer)
);
