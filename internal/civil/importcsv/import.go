// Package importcsv imports old register books from a spreadsheet: CSV
// (UTF-8, with or without a byte order mark, commas or semicolons) or Excel
// (.xlsx, the first sheet, read as a stream), one record a row, in the
// layout of docs/operations.md ("Importing old books"). Every row is
// checked with the registry's own rules; a dry run only reports, a real
// run writes every record in one transaction or none.
package importcsv

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/vntext"
)

// AddFunc hands one valid record to the store's import, with its book's
// year and number and the provenance to note in its first event.
type AddFunc = func(r *civil.Record, bookYear int, bookNumber, note string) error

// Store writes an import: fn adds the records, and the whole import is one
// transaction that fn's error rolls back.
type Store interface {
	ImportCivil(ctx context.Context, fn func(add AddFunc) error) error
}

// Options of an import.
type Options struct {
	Unit   string    // the unit whose books the records go in
	Name   string    // the file's name, noted in each record's first event
	DryRun bool      // check and report, write nothing
	Now    time.Time // bounds the dates
	// Progress, when set, is told the rows read and the rows in the file
	// (an estimate: the file's lines or the sheet's dimension) now and then.
	Progress func(read, total int)
	// MaxErrors bounds the errors kept in the report (default 1000); the
	// rows are all checked and counted anyway.
	MaxErrors int
}

// Report is what an import found and did.
type Report struct {
	Rows    int        `json:"rows"`    // data rows read
	Valid   int        `json:"valid"`   // rows that make a valid record
	Invalid int        `json:"invalid"` // rows with a problem
	Written int        `json:"written"` // records written (0 on a dry run or when a row is invalid)
	Books   int        `json:"books"`   // distinct books the rows go in
	Errors  []RowError `json:"errors,omitempty"`
	DryRun  bool       `json:"dry_run"`
}

// ErrInvalidRows is returned (wrapped in an apperr) when a row is invalid:
// nothing was written.
var errRows = errors.New("importcsv: invalid rows")

// progressEvery is how many rows pass between two progress reports.
const progressEvery = 4096

// Import reads the file and, unless it is a dry run or a row is invalid,
// writes its records through st. The report is returned in every case; the
// error says why nothing was written.
func Import(ctx context.Context, st Store, r io.ReaderAt, size int64, o Options) (*Report, error) {
	if o.MaxErrors == 0 {
		o.MaxErrors = 1000
	}
	rs, err := open(r, size)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	l, err := readHeader(rs)
	if err != nil {
		return nil, err
	}
	total := rs.Total()
	rep := &Report{DryRun: o.DryRun}
	if o.DryRun {
		return rep, finish(rep, read(ctx, rs, l, o, total, rep, nil))
	}
	err = st.ImportCivil(ctx, func(add AddFunc) error {
		if err := read(ctx, rs, l, o, total, rep, add); err != nil {
			return err
		}
		if rep.Invalid > 0 {
			return errRows // roll the import back
		}
		return nil
	})
	if err == nil {
		rep.Written = rep.Valid
	}
	return rep, finish(rep, err)
}

// finish turns the invalid rows into the error the caller shows.
func finish(rep *Report, err error) error {
	if err != nil && !errors.Is(err, errRows) {
		return err
	}
	if rep.Invalid == 0 {
		return nil
	}
	return apperr.Invalid("file", fmt.Sprintf("%d dòng không hợp lệ: chưa ghi bản ghi nào", rep.Invalid),
		fmt.Sprintf("%d invalid rows: nothing was written", rep.Invalid))
}

// read checks every row and hands the valid ones to add (nil on a dry
// run, and no more once a row was invalid: the import is rolled back).
func read(ctx context.Context, rs rows, l Layout, o Options, total int, rep *Report, add AddFunc) error {
	books := map[BookKey]bool{}
	entries := map[string]int{} // book and entry → the first row that has them
	for {
		row, n, err := rs.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if blank(row) {
			continue
		}
		rep.Rows++
		if rep.Rows%progressEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if o.Progress != nil {
				o.Progress(rep.Rows, total)
			}
		}
		rec, book, rerr := record(l, row, o.Unit, o.Now)
		if rerr == nil {
			rerr = repeatedEntry(entries, book, rec.Entry, n)
		}
		if rerr != nil {
			rep.reject(rerr, n, o.MaxErrors)
			continue
		}
		rep.Valid++
		books[book] = true
		if add != nil && rep.Invalid == 0 {
			if err := add(&rec, book.Year, book.Number, provenance(o.Name, n)); err != nil {
				rerr := rowErrOf(err)
				if rerr == nil {
					return err
				}
				rep.Valid--
				rep.reject(rerr, n, o.MaxErrors)
			}
		}
	}
	rep.Books = len(books)
	if o.Progress != nil {
		o.Progress(rep.Rows, rep.Rows) // done: the bar is full whatever the estimate was
	}
	return nil
}

// provenance is the note of an imported record's first event.
func provenance(name string, row int) string {
	return fmt.Sprintf("Nhập từ tệp %s, dòng %d", name, row)
}

// blank tells whether a row has nothing in it: spreadsheets keep empty
// rows at the end.
func blank(row []string) bool {
	for _, c := range row {
		for i := 0; i < len(c); i++ {
			if c[i] != ' ' && c[i] != '\t' {
				return false
			}
		}
	}
	return true
}

// reject counts an invalid row and keeps its error while there is room.
func (rep *Report) reject(rerr *RowError, row, maxErrors int) {
	rep.Invalid++
	if len(rep.Errors) < maxErrors {
		rerr.Row = row
		rep.Errors = append(rep.Errors, *rerr)
	}
}

// repeatedEntry refuses a row whose book and entry number an earlier row
// of the file already has: one registration is one entry of one book.
func repeatedEntry(entries map[string]int, book BookKey, entry string, row int) *RowError {
	if entry == "" {
		return nil // no number written: nothing to compare
	}
	key := book.Kind + "\x00" + strconv.Itoa(book.Year) + "\x00" + vntext.Fold(book.Number) + "\x00" + entry
	if first, ok := entries[key]; ok {
		return colErr(ColEntry, fmt.Sprintf("Số %s của quyển %s năm %d đã có ở dòng %d", entry, book.Number, book.Year, first),
			fmt.Sprintf("entry %s of book %s of %d is already on row %d", entry, book.Number, book.Year, first))
	}
	entries[key] = row
	return nil
}

// rowErrOf is the row error of the store's refusal of one record (its
// entry already in the book), nil for any other error.
func rowErrOf(err error) *RowError {
	e := apperr.As(err)
	if e == nil || e.Code != apperr.EINVALID || e.Field != "entry" {
		return nil
	}
	return colErr(ColEntry, e.Message, e.MessageEn)
}
