-- The generation of the sums' past days (sums_cache.go): a server keeps
-- the sums of days before yesterday in memory, read again only when this
-- number moves. Every write to a sum of a day other than the writer's
-- today moves it in the same transaction (a late event, the bulk loader,
-- a rebuild after units moved), as does every migration run.
CREATE TABLE sums_epoch (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n BIGINT NOT NULL
);
INSERT INTO sums_epoch (id, n) VALUES (1, 0);
