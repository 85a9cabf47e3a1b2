-- Counters of attempts for the limits on sign-in and on the public forms,
-- kept in the database so that several servers share them. A row counts the
-- attempts of one kind (e.g. 'signin_pair') by one key (e.g. an account and
-- an address) in one fixed window, named by its start in Unix microseconds.
-- Rows whose window has ended are purged by the hourly job.
CREATE TABLE throttle (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    count INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (kind, key, window_start)
);
CREATE INDEX throttle_expires ON throttle(expires_at);
