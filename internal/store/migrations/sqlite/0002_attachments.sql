-- Files handed in with a dossier's components. The content lives in the
-- file store under its SHA-256; this row says whose it is. A row with no
-- dossier is pending: uploaded with a form that was sent back for a wrong
-- field or is waiting on the review page. It is bound to the dossier when the
-- form is finally sent, and forgotten after a day if it never is.
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    dossier_id INTEGER REFERENCES dossiers(id),   -- NULL while pending
    component TEXT NOT NULL,                      -- the procedure component it belongs to
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,                    -- username
    uploaded_at INTEGER NOT NULL
);
CREATE INDEX attachments_dossier ON attachments(dossier_id);
CREATE INDEX attachments_sha256 ON attachments(sha256);
CREATE INDEX attachments_pending ON attachments(uploaded_by, uploaded_at) WHERE dossier_id IS NULL;
