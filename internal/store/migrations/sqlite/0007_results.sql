-- Result documents and the electronic-result count.
-- A dossier's result file is an attachment of kind 'result' (the files
-- handed in with the components are of kind 'component'): it is uploaded
-- pending, bound to the dossier by the finish that records it, and shown to
-- the applicant only once the result is returned.
ALTER TABLE attachments ADD COLUMN kind TEXT NOT NULL DEFAULT 'component';
-- Dossiers finished with their signed result file (indicator 4.1).
ALTER TABLE rollups ADD COLUMN result_electronic INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollup_sums ADD COLUMN result_electronic INTEGER NOT NULL DEFAULT 0;
