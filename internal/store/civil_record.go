package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/vntext"
)

// civilData is the part of a record kept as JSON: the kind's own fields
// and a change registration's changes, shown but not filtered on.
type civilData struct {
	Fields  map[string]string   `json:"fields,omitempty"`
	Changes []civil.FieldChange `json:"changes,omitempty"`
}

const civilRecordCols = `id, unit_code, book_id, kind, page, entry, registered_on, officer, declarant_name, declarant_relation, status, source,
	dossier_code, scan_sha256, entered_by, entered_at, verified_by, verified_at, amends, merged_into, data, created_at, version, event_count, last_hash`

var errCivilNotFound = apperr.NotFound("Không tìm thấy bản ghi hộ tịch", "civil-status record not found")

func scanCivilRecord(sc scanner) (*civil.Record, chainState, error) {
	var r civil.Record
	var c chainState
	var entered, verified, created int64
	var data string
	err := sc.Scan(&r.ID, &r.UnitCode, &r.BookID, &r.Kind, &r.Page, &r.Entry, &r.RegisteredOn, &r.Officer, &r.Declarant.Name,
		&r.Declarant.Relation, &r.Status, &r.Source, &r.DossierCode, &r.ScanSHA256, &r.EnteredBy, &entered, &r.VerifiedBy, &verified,
		&r.Amends, &r.MergedInto, &data, &created, &r.Version, &c.count, &c.lastHash)
	if err != nil {
		return nil, c, err
	}
	r.EnteredAt, r.VerifiedAt, r.CreatedAt = fromMicros(entered), fromMicros(verified), fromMicros(created)
	var x civilData
	if err := json.Unmarshal([]byte(data), &x); err != nil {
		return nil, c, err
	}
	r.Fields, r.Changes = x.Fields, x.Changes
	return &r, c, nil
}

func civilDataOf(r *civil.Record) string {
	b, _ := json.Marshal(civilData{Fields: r.Fields, Changes: r.Changes})
	return string(b)
}

// Create stores a new record with its people and first event, moves its
// book's counters and flags its likely duplicates; a change registration
// also tells the amended record's history.
func (s Civil) Create(ctx context.Context, r *civil.Record, ev civil.Event) error {
	return s.DB.inGroupTx(ctx, func(ctx context.Context, tx *Tx) error {
		return createCivilRecord(ctx, tx, r, ev)
	})
}

func createCivilRecord(ctx context.Context, tx *Tx, r *civil.Record, ev civil.Event) error {
	if r.Version == 0 {
		r.Version = 1
	}
	err := tx.queryRow(ctx, `INSERT INTO civil_records (unit_code, book_id, kind, page, entry, registered_on, officer, declarant_name,
		declarant_relation, status, source, dossier_code, scan_sha256, entered_by, entered_at, verified_by, verified_at, amends, merged_into,
		data, created_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.UnitCode, r.BookID, r.Kind, r.Page, r.Entry, r.RegisteredOn, r.Officer, r.Declarant.Name, r.Declarant.Relation, r.Status,
		r.Source, r.DossierCode, r.ScanSHA256, r.EnteredBy, micros(r.EnteredAt), r.VerifiedBy, micros(r.VerifiedAt), r.Amends,
		r.MergedInto, civilDataOf(r), micros(r.CreatedAt), r.Version).Scan(&r.ID)
	if err != nil {
		return normalize(err)
	}
	if err := writeCivilPeople(ctx, tx, r); err != nil {
		return err
	}
	if err := moveBookCounts(ctx, tx, r.BookID, 0, r.Status); err != nil {
		return err
	}
	if err := appendCivilEvent(ctx, tx, r, chainState{}, ev); err != nil {
		return err
	}
	if r.Amends != 0 {
		if err := tellAmended(ctx, tx, r, ev); err != nil {
			return err
		}
	}
	return flagDuplicates(ctx, tx, r)
}

// tellAmended appends to the amended record's history that a change
// registration now corrects it; its content is unchanged.
func tellAmended(ctx context.Context, tx *Tx, r *civil.Record, ev civil.Event) error {
	orig, chain, err := scanCivilRecord(tx.queryRow(ctx, `SELECT `+civilRecordCols+` FROM civil_records WHERE id = ?`, r.Amends))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && orig.UnitCode != r.UnitCode) {
		return errCivilNotFound
	}
	if err != nil {
		return normalize(err)
	}
	if err := loadCivilPeople(ctx, tx.query, orig); err != nil {
		return err
	}
	ev.Action, ev.FromStatus, ev.ToStatus = "corrected", statusOf(orig.Status), statusOf(orig.Status)
	ev.Note = "Cải chính theo bản ghi " + civil.ChainName(r.ID)
	return appendCivilEvent(ctx, tx, orig, chain, ev)
}

// Get returns a record with its people, history and corrections.
func (s Civil) Get(ctx context.Context, id int64) (*civil.Record, error) {
	r, _, err := scanCivilRecord(s.DB.queryRow(ctx, `SELECT `+civilRecordCols+` FROM civil_records WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errCivilNotFound
	}
	if err != nil {
		return nil, normalize(err)
	}
	return r, loadCivilParts(ctx, s.DB.query, r)
}

// loadCivilParts reads the record's people, history and corrections.
func loadCivilParts(ctx context.Context, query queryFunc, r *civil.Record) error {
	if err := loadCivilPeople(ctx, query, r); err != nil {
		return err
	}
	if err := loadCivilEvents(ctx, query, r); err != nil {
		return err
	}
	rows, err := query(ctx, `SELECT id, entry, registered_on, data FROM civil_records WHERE amends = ? AND status IN (?, ?) ORDER BY id`,
		r.ID, civil.StatusEntered, civil.StatusVerified)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var c civil.Correction
		var data string
		if err := rows.Scan(&c.RecordID, &c.Entry, &c.RegisteredOn, &data); err != nil {
			return normalize(err)
		}
		var x civilData
		if err := json.Unmarshal([]byte(data), &x); err != nil {
			return err
		}
		c.Changes = x.Changes
		r.Corrections = append(r.Corrections, c)
	}
	return normalize(rows.Err())
}

// Update loads a record, lets fn change it and writes it over the version
// it was read at, with fn's event, its people, its book's counters and its
// duplicate flags.
func (s Civil) Update(ctx context.Context, id int64, fn func(r *civil.Record, step func(civil.Event)) (civil.Event, error)) (*civil.Record, error) {
	var out *civil.Record
	err := s.DB.inGroupTx(ctx, func(ctx context.Context, tx *Tx) error {
		r, chain, err := scanCivilRecord(tx.queryRow(ctx, `SELECT `+civilRecordCols+` FROM civil_records WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return errCivilNotFound
		}
		if err != nil {
			return normalize(err)
		}
		if err := loadCivilParts(ctx, tx.query, r); err != nil {
			return err
		}
		version, status := r.Version, r.Status
		// The steps' events are sealed with the content of their moment,
		// then written after the row, in order.
		var steps []civil.Event
		ev, err := fn(r, func(e civil.Event) {
			e.Note = civil.DigestNote(r.Digest(), e.Note)
			steps = append(steps, e)
		})
		if err != nil {
			return err
		}
		r.Version = version + 1
		if err := writeCivilRecord(ctx, tx, r, version); err != nil {
			return err
		}
		if err := moveBookCounts(ctx, tx, r.BookID, status, r.Status); err != nil {
			return err
		}
		for _, e := range steps {
			if err := sealCivilEvent(ctx, tx, r, &chain, e); err != nil {
				return err
			}
		}
		ev.Note = civil.DigestNote(r.Digest(), ev.Note)
		if err := sealCivilEvent(ctx, tx, r, &chain, ev); err != nil {
			return err
		}
		out = r
		return flagDuplicates(ctx, tx, r)
	})
	return out, err
}

func writeCivilRecord(ctx context.Context, tx *Tx, r *civil.Record, version int) error {
	res, err := tx.exec(ctx, `UPDATE civil_records SET page = ?, entry = ?, registered_on = ?, officer = ?, declarant_name = ?, declarant_relation = ?,
		status = ?, scan_sha256 = ?, entered_by = ?, entered_at = ?, verified_by = ?, verified_at = ?, merged_into = ?, data = ?, version = ?
		WHERE id = ? AND version = ?`,
		r.Page, r.Entry, r.RegisteredOn, r.Officer, r.Declarant.Name, r.Declarant.Relation, r.Status, r.ScanSHA256, r.EnteredBy,
		micros(r.EnteredAt), r.VerifiedBy, micros(r.VerifiedAt), r.MergedInto, civilDataOf(r), r.Version, r.ID, version)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.Conflict("Bản ghi đã được người khác cập nhật, vui lòng tải lại", "the record was changed by someone else; reload it")
	}
	if _, err := tx.exec(ctx, `DELETE FROM civil_people WHERE record_id = ?`, r.ID); err != nil {
		return err
	}
	return writeCivilPeople(ctx, tx, r)
}

// writeCivilPeople stores the record's people in order, each with the
// folded name searches and duplicate candidates use.
func writeCivilPeople(ctx context.Context, tx *Tx, r *civil.Record) error {
	for i, p := range r.People {
		if _, err := tx.exec(ctx, `INSERT INTO civil_people (record_id, unit_code, position, role, full_name, name_fold, name_words, sex, birth_date,
			birth_year, birth_place, home_town, ethnicity, nationality, id_number, residence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.UnitCode, i, p.Role, p.FullName, vntext.Fold(p.FullName), civilIndexWords(p.FullName), p.Sex, p.BirthDate, p.BirthYear(), p.BirthPlace, p.HomeTown,
			p.Ethnicity, p.Nationality, p.IDNumber, p.Residence); err != nil {
			return err
		}
	}
	return nil
}

func loadCivilPeople(ctx context.Context, query queryFunc, r *civil.Record) error {
	rows, err := query(ctx, `SELECT role, full_name, sex, birth_date, birth_place, home_town, ethnicity, nationality, id_number, residence
		FROM civil_people WHERE record_id = ? ORDER BY position`, r.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	r.People = []civil.Person{}
	for rows.Next() {
		var p civil.Person
		if err := rows.Scan(&p.Role, &p.FullName, &p.Sex, &p.BirthDate, &p.BirthPlace, &p.HomeTown, &p.Ethnicity, &p.Nationality,
			&p.IDNumber, &p.Residence); err != nil {
			return normalize(err)
		}
		r.People = append(r.People, p)
	}
	return normalize(rows.Err())
}
