-- Fees paid online through a payment gateway. A row is written pending when
-- the citizen is sent to the gateway; only the gateway's verified
-- server-to-server notification makes it paid, in the same transaction as
-- the dossier's confirm_payment event. Amounts are in đồng; times in
-- microseconds since the epoch, 0 meaning "not yet". digest is the SHA-256
-- of the notification that settled the row (paid, failed or mismatch).
-- The indicators of Decision 766 (3.5, 3.5b, 3.6) count dossiers and
-- procedures paid online from the paid rows.
CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    txn_ref TEXT NOT NULL UNIQUE,
    dossier_code TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    amount INTEGER NOT NULL,
    status TEXT NOT NULL,
    gateway TEXT NOT NULL,
    gateway_txn_no TEXT NOT NULL DEFAULT '',
    bank_code TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    paid_at INTEGER NOT NULL DEFAULT 0,
    settled_at INTEGER NOT NULL DEFAULT 0,
    digest TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX payments_dossier ON payments(dossier_code, status);
CREATE INDEX payments_created ON payments(created_at);
CREATE INDEX payments_settled ON payments(settled_at);

-- Notifications the server refused (bad signature, unknown transaction,
-- replay, wrong amount): kept for the reconciliation report and for audit.
CREATE TABLE payment_refusals (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    txn_ref TEXT NOT NULL,
    reason TEXT NOT NULL,
    digest TEXT NOT NULL,
    remote TEXT NOT NULL DEFAULT ''
);
CREATE INDEX payment_refusals_at ON payment_refusals(at);
