package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/civil"
)

// Civil is the civil-status registry's store; it satisfies civil.Store.
type Civil struct{ DB *DB }

var _ civil.Store = Civil{}

const civilBookCols = `id, unit_code, kind, year, number, origin, note, entered, verified, created_at`

var errCivilBookNotFound = apperr.NotFound("Không tìm thấy sổ hộ tịch", "register book not found")

func scanCivilBook(sc scanner) (*civil.Book, error) {
	var b civil.Book
	var created int64
	if err := sc.Scan(&b.ID, &b.UnitCode, &b.Kind, &b.Year, &b.Number, &b.Origin, &b.Note, &b.Entered, &b.Verified, &created); err != nil {
		return nil, err
	}
	b.Created = fromMicros(created)
	return &b, nil
}

// CreateBook stores a new book.
func (s Civil) CreateBook(ctx context.Context, b *civil.Book) error {
	return s.DB.inGroupTx(ctx, func(ctx context.Context, tx *Tx) error {
		return insertCivilBook(ctx, tx, b)
	})
}

func insertCivilBook(ctx context.Context, tx *Tx, b *civil.Book) error {
	err := tx.queryRow(ctx, `INSERT INTO civil_books (unit_code, kind, year, number, origin, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		b.UnitCode, b.Kind, b.Year, b.Number, b.Origin, b.Note, micros(b.Created)).Scan(&b.ID)
	if apperr.Code(normalize(err)) == apperr.ECONFLICT {
		return apperr.Conflict("Sổ này đã có: cùng loại, năm và quyển số", "this book exists: same kind, year and number")
	}
	return normalize(err)
}

// Book returns a book with its counters.
func (s Civil) Book(ctx context.Context, id int64) (*civil.Book, error) {
	b, err := scanCivilBook(s.DB.queryRow(ctx, `SELECT `+civilBookCols+` FROM civil_books WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errCivilBookNotFound
	}
	return b, normalize(err)
}

// Books lists the unit's books of the kind and year, newest year first.
func (s Civil) Books(ctx context.Context, unit, kind string, year int) ([]civil.Book, error) {
	rows, err := s.DB.query(ctx, `SELECT `+civilBookCols+` FROM civil_books WHERE unit_code = ? AND (? = '' OR kind = ?) AND (? = 0 OR year = ?)
		ORDER BY year DESC, kind, number`, unit, kind, kind, year, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []civil.Book{}
	for rows.Next() {
		b, err := scanCivilBook(rows)
		if err != nil {
			return nil, normalize(err)
		}
		out = append(out, *b)
	}
	return out, normalize(rows.Err())
}

// electronicBook finds, or opens, the unit's electronic book of the kind
// for the year: where records registered from dossiers go.
func electronicBook(ctx context.Context, tx *Tx, unit, kind string, at time.Time) (int64, error) {
	year := at.Year()
	var id int64
	err := tx.queryRow(ctx, `SELECT id FROM civil_books WHERE unit_code = ? AND kind = ? AND year = ? AND origin = ? ORDER BY id LIMIT 1`,
		unit, kind, year, civil.OriginElectronic).Scan(&id)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return id, normalize(err)
	}
	b := &civil.Book{UnitCode: unit, Kind: kind, Year: year, Number: "ĐT-" + strconv.Itoa(year), Origin: civil.OriginElectronic,
		Note: "Sổ điện tử mở tự động", Created: at}
	return b.ID, insertCivilBook(ctx, tx, b)
}

// moveBookCounts moves a book's counters by a record's change of status.
func moveBookCounts(ctx context.Context, tx *Tx, book int64, from, to civil.Status) error {
	ef, vf := statusCounts(from)
	et, vt := statusCounts(to)
	if ef == et && vf == vt {
		return nil
	}
	_, err := tx.exec(ctx, `UPDATE civil_books SET entered = entered + ?, verified = verified + ? WHERE id = ?`, et-ef, vt-vf, book)
	return err
}

// statusCounts is what a record in the status adds to its book: entered
// counts entered and verified records, verified the verified ones.
func statusCounts(s civil.Status) (entered, verified int) {
	switch s {
	case civil.StatusEntered:
		return 1, 0
	case civil.StatusVerified:
		return 1, 1
	}
	return 0, 0
}

// Progress sums the counters of the books of the unit and of every unit
// under it (units.path), without a scan of the records.
func (s Civil) Progress(ctx context.Context, unit string) (civil.Progress, error) {
	path, err := s.DB.unitPathOf(ctx, unit)
	if err != nil {
		return civil.Progress{}, err
	}
	p := civil.Progress{Unit: unit}
	err = s.DB.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(b.entered), 0), COALESCE(SUM(b.verified), 0) FROM civil_books b
		JOIN units u ON u.code = b.unit_code WHERE u.code = ? OR u.path LIKE ? ESCAPE '\'`, unit, likeEscape(path)+"/%").Scan(&p.Books, &p.Entered, &p.Verified)
	return p, normalize(err)
}
