-- Residential groups' announcements and their residents' subscriptions.
-- The groups themselves are rows of units (kind 'group'). An announcement
-- belongs to a commune and targets all its groups (all_groups = 1) or the
-- groups listed in announcement_groups; sent_at is set, once, by the
-- transaction that enqueues its messages. A subscription is one address on
-- one channel for one group, confirmed by a code or a signed link; its ref
-- is what the signed links name.
CREATE TABLE announcements (
    id INTEGER PRIMARY KEY,
    unit_code TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    all_groups INTEGER NOT NULL DEFAULT 0,
    publish_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL DEFAULT 0,
    author TEXT NOT NULL,
    author_name TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    sent_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX announcements_unit ON announcements (unit_code, publish_at);
CREATE INDEX announcements_unsent ON announcements (sent_at, publish_at);

CREATE TABLE announcement_groups (
    announcement_id INTEGER NOT NULL REFERENCES announcements(id),
    group_code TEXT NOT NULL,
    PRIMARY KEY (announcement_id, group_code)
);
CREATE INDEX announcement_groups_group ON announcement_groups (group_code, announcement_id);

CREATE TABLE group_subscriptions (
    id INTEGER PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    group_code TEXT NOT NULL,
    channel TEXT NOT NULL,
    address TEXT NOT NULL,
    confirmed INTEGER NOT NULL DEFAULT 0,
    code_hash TEXT NOT NULL DEFAULT '',
    code_expires_at INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    confirmed_at INTEGER NOT NULL DEFAULT 0,
    UNIQUE (group_code, channel, address)
);
