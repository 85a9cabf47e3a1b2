-- The person or business a dossier is about, when not its applicant, is
-- kept in the dossier's data; its name (folded: no diacritics, lower case)
-- and ID number are kept here too, so that the dossier search finds a
-- dossier by them as by the applicant's. No index: the search reads a
-- unit's own dossiers (see docs/architecture.md), and words are matched
-- anywhere in the name, which a b-tree cannot serve. Dossiers written
-- before this migration have no subject, so the empty default fills them.
ALTER TABLE dossiers ADD COLUMN subject_fold TEXT NOT NULL DEFAULT '';
