-- How the public reaches a unit's one-stop counter, shown on the home page
-- and kept by the unit's administrator: address, hotline and e-mail.
ALTER TABLE units ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE units ADD COLUMN hotline TEXT NOT NULL DEFAULT '';
ALTER TABLE units ADD COLUMN email TEXT NOT NULL DEFAULT '';
