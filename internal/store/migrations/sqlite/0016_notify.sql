-- A unit's own texts of the citizens' notifications, per event kind,
-- language (vi, en) and channel (email, sms); a kind without a row uses the
-- text shipped with the software.
CREATE TABLE notify_templates (
    unit_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    lang TEXT NOT NULL,
    channel TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at INTEGER NOT NULL,
    PRIMARY KEY (unit_code, kind, lang, channel)
);

-- The installation's keys, made once at first use: 'notify' signs the
-- links that turn a dossier's notifications off.
CREATE TABLE notify_keys (
    name TEXT PRIMARY KEY,
    secret TEXT NOT NULL
);
