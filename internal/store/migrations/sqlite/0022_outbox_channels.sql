-- Channels the installation has turned on. A producer whose channel needs
-- settings (the national portal) writes messages only while its row is
-- here: an installation that never connects does not pile them up, and once
-- a server was started with the channel's settings every server and command
-- (a calendar change from the command line) produces them.
CREATE TABLE outbox_channels (
    channel TEXT PRIMARY KEY,
    enabled_by TEXT NOT NULL,
    enabled_at INTEGER NOT NULL
);
-- The version (history sequence) of the last update the portal took: an
-- older update sent again after newer ones must not take the status back.
ALTER TABLE portal_sync ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0;
