package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/payment"
)

// Payments is the payment store; it satisfies payment.Store.
type Payments struct{ DB *DB }

const paymentCols = `txn_ref, dossier_code, unit_code, procedure_code, amount, status, gateway, gateway_txn_no, bank_code,
	created_at, expires_at, paid_at, digest, note`

func scanPayment(sc interface{ Scan(...any) error }) (*payment.Payment, error) {
	var p payment.Payment
	var created, expires, paid int64
	err := sc.Scan(&p.TxnRef, &p.DossierCode, &p.UnitCode, &p.ProcedureCode, &p.Amount, &p.Status, &p.Gateway, &p.GatewayTxnNo,
		&p.BankCode, &created, &expires, &paid, &p.Digest, &p.Note)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFound("Không tìm thấy giao dịch thanh toán", "payment not found")
	}
	if err != nil {
		return nil, normalize(err)
	}
	p.CreatedAt, p.ExpiresAt, p.PaidAt = fromMicros(created), fromMicros(expires), fromMicros(paid)
	return &p, nil
}

// CreatePayment records a pending payment.
func (s Payments) CreatePayment(ctx context.Context, p *payment.Payment) error {
	return s.DB.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO payments (`+paymentCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.TxnRef, p.DossierCode, p.UnitCode, p.ProcedureCode, p.Amount, p.Status, p.Gateway, p.GatewayTxnNo, p.BankCode,
			micros(p.CreatedAt), micros(p.ExpiresAt), micros(p.PaidAt), p.Digest, p.Note)
		return normalize(err)
	})
}

// Payment returns the payment txnRef.
func (s Payments) Payment(ctx context.Context, txnRef string) (*payment.Payment, error) {
	return scanPayment(s.DB.queryRow(ctx, `SELECT `+paymentCols+` FROM payments WHERE txn_ref = ?`, txnRef))
}

// PaidPayment returns the dossier's last paid payment.
func (s Payments) PaidPayment(ctx context.Context, dossierCode string) (*payment.Payment, error) {
	return scanPayment(s.DB.queryRow(ctx, `SELECT `+paymentCols+` FROM payments WHERE dossier_code = ? AND status = ?
		ORDER BY paid_at DESC, id DESC LIMIT 1`, dossierCode, payment.StatusPaid))
}

// SettlePayment implements payment.Store: the payment and its dossier are
// read, changed and written in one transaction; the dossier through
// Dossiers.write, so the confirmation joins the hash-chained history.
func (s Payments) SettlePayment(ctx context.Context, txnRef string, settle func(p *payment.Payment, d *dossier.Dossier) (dossier.Change, error)) error {
	return s.DB.inGroupTx(ctx, func(ctx context.Context, tx *Tx) error {
		p, err := scanPayment(tx.queryRow(ctx, `SELECT `+paymentCols+` FROM payments WHERE txn_ref = ?`, txnRef))
		if err != nil {
			return err
		}
		if p.Status != payment.StatusPending {
			return payment.ErrSettled
		}
		d, chain, err := findDossierByCode(ctx, tx, p.DossierCode)
		if err != nil {
			return err
		}
		if d.Units, err = dossierUnits(ctx, tx.query, d.ID); err != nil {
			return err
		}
		if d.History, err = events(ctx, tx.query, d.ID); err != nil { // settle checks when the fee was asked
			return err
		}
		version := d.Version
		ch, err := settle(p, d)
		if err != nil {
			return err
		}
		if err := Dossiers(s).write(ctx, tx, d, version, chain, ch); err != nil {
			return err
		}
		return closeRow(ctx, tx, p.TxnRef, p.Status, p.GatewayTxnNo, p.BankCode, p.PaidAt, p.Digest, "", s.DB.Now())
	})
}

// ClosePayment implements payment.Store.
func (s Payments) ClosePayment(ctx context.Context, txnRef, status string, n payment.Notice, note string) error {
	return s.DB.inTx(ctx, func(tx *Tx) error {
		return closeRow(ctx, tx, txnRef, status, n.GatewayTxnNo, n.BankCode, time.Time{}, n.Digest, note, s.DB.Now())
	})
}

// closeRow moves a pending payment to status; one no longer pending (a
// concurrent notification won) is ErrSettled, and the transaction rolls
// back.
func closeRow(ctx context.Context, tx *Tx, txnRef, status, txnNo, bank string, paid time.Time, digest, note string, now time.Time) error {
	res, err := tx.exec(ctx, `UPDATE payments SET status = ?, gateway_txn_no = ?, bank_code = ?, paid_at = ?, settled_at = ?, digest = ?, note = ?
		WHERE txn_ref = ? AND status = ?`, status, txnNo, bank, micros(paid), micros(now), digest, note, txnRef, payment.StatusPending)
	if err != nil {
		return normalize(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return payment.ErrSettled
	}
	return nil
}

// LogRefusal implements payment.Store.
func (s Payments) LogRefusal(ctx context.Context, r payment.Refusal) error {
	return s.DB.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO payment_refusals (at, txn_ref, reason, digest, remote) VALUES (?, ?, ?, ?, ?)`,
			micros(r.At), r.TxnRef, r.Reason, r.Digest, r.Remote)
		return normalize(err)
	})
}

// PaymentsBetween implements payment.Store.
func (s Payments) PaymentsBetween(ctx context.Context, from, to time.Time) ([]payment.Payment, error) {
	rows, err := s.DB.query(ctx, `SELECT `+paymentCols+` FROM payments WHERE (created_at >= ? AND created_at < ?) OR (settled_at >= ? AND settled_at < ?)
		ORDER BY created_at, id`, micros(from), micros(to), micros(from), micros(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []payment.Payment
	for rows.Next() {
		p, err := scanPayment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *p)
	}
	return out, rows.Err()
}

// RefusalsBetween implements payment.Store.
func (s Payments) RefusalsBetween(ctx context.Context, from, to time.Time) ([]payment.Refusal, error) {
	rows, err := s.DB.query(ctx, `SELECT at, txn_ref, reason, digest, remote FROM payment_refusals WHERE at >= ? AND at < ? ORDER BY at, id`,
		micros(from), micros(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []payment.Refusal
	for rows.Next() {
		var r payment.Refusal
		var at int64
		if err := rows.Scan(&at, &r.TxnRef, &r.Reason, &r.Digest, &r.Remote); err != nil {
			return nil, err
		}
		r.At = fromMicros(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// PaidOnline is what the indicators of Decision 766 count of online
// payment (3.5b, 3.6): the unit's dossiers paid online in [from, to), and
// the procedures that had at least one.
func (s Payments) PaidOnline(ctx context.Context, unitCode string, from, to time.Time) (dossiers int, procedures []string, err error) {
	rows, err := s.DB.query(ctx, `SELECT procedure_code, COUNT(DISTINCT dossier_code) FROM payments
		WHERE unit_code = ? AND status = ? AND paid_at >= ? AND paid_at < ? GROUP BY procedure_code ORDER BY procedure_code`,
		unitCode, payment.StatusPaid, micros(from), micros(to))
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var n int
		if err := rows.Scan(&code, &n); err != nil {
			return 0, nil, err
		}
		dossiers += n
		procedures = append(procedures, code)
	}
	return dossiers, procedures, rows.Err()
}
