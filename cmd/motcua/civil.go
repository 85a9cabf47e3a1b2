package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/civil/importcsv"
	"github.com/motcua/motcua/internal/store"
)

// civilImport imports an old register from a CSV or Excel file into the
// unit's books: a dry run checks and reports, a real run writes every
// record or none.
func (m *Main) civilImport(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("civil import", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	m.commonFlags(fs)
	unitCode := fs.String("unit", "", "code of the unit whose books the records go in (required)")
	dry := fs.Bool("dry-run", false, "check every row and report; write nothing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 1 && len(args) > 0 && fs.Arg(0) != args[len(args)-1] {
		// Flags after the file name: "civil import FILE --dry-run".
		file := fs.Arg(0)
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			return m.runCivilImport(ctx, *unitCode, *dry, file)
		}
	}
	if fs.NArg() != 1 || *unitCode == "" {
		return errors.New("usage: motcua civil import --unit CODE [--dry-run] FILE.csv|FILE.xlsx")
	}
	return m.runCivilImport(ctx, *unitCode, *dry, fs.Arg(0))
}

func (m *Main) runCivilImport(ctx context.Context, unitCode string, dry bool, path string) error {
	if unitCode == "" {
		return errors.New("usage: motcua civil import --unit CODE [--dry-run] FILE.csv|FILE.xlsx")
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	defer m.Close()
	if _, err := m.DB.Unit(ctx, unitCode); err != nil {
		return err
	}
	bar := newProgress(m.Stderr, time.Now())
	rep, err := importcsv.Import(ctx, store.Civil{DB: m.DB}, f, fi.Size(), importcsv.Options{
		Unit: unitCode, Name: filepath.Base(path), DryRun: dry, Now: time.Now(), Progress: bar.update})
	bar.done()
	if rep != nil {
		printImportReport(m.Stdout, rep, bar.elapsed())
	}
	return err
}

// maxPrintedErrors bounds the row errors printed; the count is printed
// whole.
const maxPrintedErrors = 100

func printImportReport(w io.Writer, rep *importcsv.Report, took time.Duration) {
	for i, e := range rep.Errors {
		if i == maxPrintedErrors {
			fmt.Fprintf(w, "... và %d lỗi khác / and %d more\n", rep.Invalid-i, rep.Invalid-i)
			break
		}
		where := fmt.Sprintf("Dòng %d", e.Row)
		if e.Column != "" {
			where += ", cột “" + e.Column + "”"
		}
		fmt.Fprintf(w, "%s: %s\n", where, e.Message)
	}
	switch {
	case rep.DryRun:
		fmt.Fprintf(w, "Kiểm tra (không ghi): %d dòng, %d hợp lệ, %d lỗi, %d quyển sổ / dry run: %d rows, %d valid, %d invalid, %d books\n",
			rep.Rows, rep.Valid, rep.Invalid, rep.Books, rep.Rows, rep.Valid, rep.Invalid, rep.Books)
	case rep.Written > 0 || rep.Invalid == 0:
		rate := float64(rep.Written) / max(took.Seconds(), 1e-3)
		fmt.Fprintf(w, "Đã nhập %d bản ghi vào %d quyển sổ trong %s (%.0f bản ghi/giây) / imported %d records into %d books in %s (%.0f records/s)\n",
			rep.Written, rep.Books, took.Round(time.Millisecond), rate, rep.Written, rep.Books, took.Round(time.Millisecond), rate)
	default:
		fmt.Fprintf(w, "Chưa ghi bản ghi nào: %d dòng lỗi / nothing written: %d invalid rows\n", rep.Invalid, rep.Invalid)
	}
}

// progress shows the rows read on stderr: a bar redrawn in place on a
// terminal, a plain line every few seconds otherwise (a log file).
type progress struct {
	w        io.Writer
	terminal bool
	start    time.Time
	last     time.Time
	drawn    bool
}

func newProgress(w io.Writer, now time.Time) *progress {
	p := &progress{w: w, start: now, last: now}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.terminal = true
		}
	}
	return p
}

// plainEvery is how often a plain progress line is written.
const plainEvery = 5 * time.Second

func (p *progress) update(read, total int) {
	now := time.Now()
	if !p.terminal && now.Sub(p.last) < plainEvery && read != total {
		return
	}
	p.last = now
	rate := float64(read) / max(now.Sub(p.start).Seconds(), 1e-3)
	if !p.terminal {
		fmt.Fprintf(p.w, "civil import: %d/%d rows, %.0f rows/s\n", read, total, rate)
		return
	}
	const width = 30
	filled := 0
	if total > 0 {
		filled = min(width, read*width/total)
	}
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d dòng, %.0f dòng/giây ", strings.Repeat("#", filled), strings.Repeat(".", width-filled), read, total, rate)
	p.drawn = true
}

func (p *progress) done() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}

func (p *progress) elapsed() time.Duration { return time.Since(p.start) }
