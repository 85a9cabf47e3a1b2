-- Messages that must leave the system (notifications, the national portal,
-- webhooks, ...). A message is written in the same transaction as the change
-- that causes it, then delivered by a worker on one of the servers: a row is
-- leased (lease_holder, lease_until) while it is being sent, so that two
-- servers never send it at the same time; a failed attempt waits until
-- next_at; a message that keeps failing becomes 'dead' until an administrator
-- sends it again. Messages with the same order_key (a dossier's code) go out
-- in id order. idem_key travels with the message, so that a receiver that
-- gets it twice (a server killed after sending, before recording) can tell.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,
    topic TEXT NOT NULL,
    unit_code TEXT NOT NULL DEFAULT '',
    order_key TEXT NOT NULL DEFAULT '',
    recipient TEXT NOT NULL DEFAULT '',
    payload TEXT NOT NULL,
    idem_key TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at INTEGER NOT NULL,
    lease_holder TEXT NOT NULL DEFAULT '',
    lease_until INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    done_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_due ON outbox(status, next_at);
CREATE INDEX outbox_order ON outbox(order_key, status, id);
CREATE INDEX outbox_unit ON outbox(unit_code, status, id);

-- Other systems subscribed to a unit's events, called with signed requests
-- (Standard Webhooks). events is a comma-separated list of topics, or '*'.
CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY,
    unit_code TEXT NOT NULL,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    events TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX webhooks_unit ON webhooks(unit_code, active);

-- Dossiers the national portal has acknowledged (indicator 1.4), and their
-- count per unit and day of first acknowledgement, which the indicator reads.
CREATE TABLE portal_sync (
    dossier_code TEXT PRIMARY KEY,
    unit_code TEXT NOT NULL,
    last_status INTEGER NOT NULL,
    first_at INTEGER NOT NULL,
    last_at INTEGER NOT NULL
);
CREATE TABLE portal_sync_days (
    unit_code TEXT NOT NULL,
    day TEXT NOT NULL,
    synced INTEGER NOT NULL,
    PRIMARY KEY (unit_code, day)
);
