-- Sessions and API tokens get a public id (random, not derived from the
-- secret), a label, the time of last use and an idle limit; existing API
-- tokens that never expired get 90 days from now.
ALTER TABLE tokens ADD COLUMN id TEXT NOT NULL DEFAULT '';
ALTER TABLE tokens ADD COLUMN label TEXT NOT NULL DEFAULT '';
ALTER TABLE tokens ADD COLUMN last_used_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tokens ADD COLUMN idle_ttl BIGINT NOT NULL DEFAULT 0; -- microseconds, 0 = no idle limit
UPDATE tokens SET id = 't' || substr(md5(random()::text || clock_timestamp()::text || digest), 1, 18), last_used_at = created_at;
UPDATE tokens SET expires_at = (extract(epoch FROM now()) * 1000000)::bigint + 90::bigint * 86400 * 1000000
    WHERE kind = 'api' AND expires_at = 0;
CREATE UNIQUE INDEX tokens_id ON tokens(id);

-- Ratings: a higher number is better (1 Không hài lòng, 2 Hài lòng,
-- 3 Rất hài lòng). The roll-ups count ratings by name and the history
-- notes carry names, so neither changes.
UPDATE dossiers SET rating = 4 - rating WHERE rating > 0;
