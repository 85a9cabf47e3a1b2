package importcsv

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/csvfile"
)

// rows is a file's rows in order, the header first. Next returns the row
// and its number as the user sees it (the line of a CSV file, the row of
// the sheet), io.EOF after the last.
type rows interface {
	Next() (row []string, n int, err error)
	// Total estimates the rows in the file (header included), for the
	// progress bar.
	Total() int
	Close() error
}

// maxTitleRows is how many rows may come before the header: exports often
// open with a title (the commune, the book).
const maxTitleRows = 10

// maxCell bounds a cell: no field of a record is longer, and a file of one
// huge cell must not fill the memory.
const maxCell = 4096

// xlsxMagic starts every .xlsx file (a ZIP archive).
var xlsxMagic = []byte("PK\x03\x04")

// open chooses the reader by the file's first bytes: a ZIP archive is an
// Excel workbook, anything else CSV.
func open(r io.ReaderAt, size int64) (rows, error) {
	head := make([]byte, 4)
	n, _ := r.ReadAt(head, 0)
	if bytes.Equal(head[:n], xlsxMagic) {
		return openXLSX(io.NewSectionReader(r, 0, size))
	}
	cr, err := openCSV(io.NewSectionReader(r, 0, size))
	if err != nil {
		return nil, err
	}
	return csvRows{cr: cr, total: countLines(r, size)}, nil
}

// countLines counts the lines of a file, reading it in large blocks: a
// second for a gigabyte, next to the minute the import takes.
func countLines(r io.ReaderAt, size int64) int {
	buf := make([]byte, 1<<20)
	n := 0
	for off := int64(0); off < size; {
		k, err := r.ReadAt(buf, off)
		n += bytes.Count(buf[:k], []byte{'\n'})
		off += int64(k)
		if err != nil {
			break
		}
	}
	return n
}

// csvRows reads a CSV file.
type csvRows struct {
	cr    *csv.Reader
	total int
}

func openCSV(r io.Reader) (*csv.Reader, error) {
	cr, err := csvfile.NewReader(r)
	if errors.Is(err, csvfile.ErrEmpty) {
		return nil, emptyErr()
	}
	if err != nil {
		return nil, err
	}
	cr.LazyQuotes = true // old exports quote carelessly; a broken row still fails its own checks
	cr.ReuseRecord = true
	return cr, nil
}

func (c csvRows) Next() ([]string, int, error) {
	rec, err := c.cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, 0, io.EOF
	}
	if err != nil {
		var pe *csv.ParseError
		line := 0
		if errors.As(err, &pe) {
			line = pe.StartLine
		}
		return nil, line, apperr.Invalid("file", fmt.Sprintf("Dòng %d của tệp CSV không đọc được: %v", line, err),
			fmt.Sprintf("line %d of the CSV file cannot be read: %v", line, err))
	}
	line, _ := c.cr.FieldPos(0)
	return rec, line, checkCells(rec, line)
}

func (c csvRows) Total() int { return c.total }

func (c csvRows) Close() error { return nil }

// xlsxRows streams the first sheet of a workbook: excelize's row iterator
// reads the sheet's XML as it goes, so a million rows never sit in memory.
type xlsxRows struct {
	f     *excelize.File
	it    *excelize.Rows
	n     int
	total int
	done  bool
}

func openXLSX(r io.Reader) (rows, error) {
	f, err := excelize.OpenReader(r, excelize.Options{UnzipXMLSizeLimit: 4 << 30, UnzipSizeLimit: 8 << 30})
	if err != nil {
		return nil, apperr.Invalid("file", "Tệp Excel (.xlsx) không mở được: "+err.Error(), "the Excel (.xlsx) file cannot be opened: "+err.Error())
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, emptyErr()
	}
	it, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, apperr.Invalid("file", "Trang tính đầu tiên không đọc được: "+err.Error(), "the first sheet cannot be read: "+err.Error())
	}
	return &xlsxRows{f: f, it: it, total: sheetRows(f, sheets[0])}, nil
}

// sheetRows reads the sheet's row count from its dimension ("A1:Z1000"),
// which the file states up front; 0 when it does not.
func sheetRows(f *excelize.File, sheet string) int {
	dim, err := f.GetSheetDimension(sheet)
	if err != nil {
		return 0
	}
	_, last, _ := strings.Cut(dim, ":")
	_, rows, err := excelize.CellNameToCoordinates(last)
	if err != nil {
		return 0
	}
	return rows
}

func (x *xlsxRows) Next() ([]string, int, error) {
	if x.done || !x.it.Next() {
		x.done = true
		if err := x.it.Error(); err != nil {
			return nil, x.n, apperr.Invalid("file", "Tệp Excel hỏng: "+err.Error(), "the Excel file is damaged: "+err.Error())
		}
		return nil, 0, io.EOF
	}
	x.n++
	row, err := x.it.Columns(excelize.Options{RawCellValue: false})
	if err != nil {
		return nil, x.n, apperr.Invalid("file", fmt.Sprintf("Dòng %d của tệp Excel không đọc được: %v", x.n, err),
			fmt.Sprintf("row %d of the Excel file cannot be read: %v", x.n, err))
	}
	return row, x.n, checkCells(row, x.n)
}

func (x *xlsxRows) Total() int { return x.total }

func (x *xlsxRows) Close() error {
	return errors.Join(x.it.Close(), x.f.Close())
}

// checkCells refuses a row with a cell longer than any field.
func checkCells(row []string, n int) error {
	for _, c := range row {
		if len(c) > maxCell {
			return apperr.Invalid("file", fmt.Sprintf("Dòng %d có ô dài quá %d ký tự", n, maxCell),
				fmt.Sprintf("row %d has a cell longer than %d bytes", n, maxCell))
		}
	}
	return nil
}

func emptyErr() error {
	return apperr.Invalid("file", "Tệp trống", "the file is empty")
}

// readHeader reads rows until one is the header of the layout.
func readHeader(rs rows) (Layout, error) {
	var first []Column
	for range maxTitleRows + 1 {
		row, _, err := rs.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Layout{}, err
		}
		l, missing := layoutOf(row)
		if len(missing) == 0 {
			return l, nil
		}
		if first == nil {
			first = missing
		}
	}
	if first == nil {
		return Layout{}, emptyErr()
	}
	names := make([]string, len(first))
	for i, c := range first {
		names[i] = "“" + Label[c] + "”"
	}
	list := strings.Join(names, ", ")
	return Layout{}, apperr.Invalid("file", "Không tìm thấy dòng tiêu đề: thiếu cột "+list, "no header row found: missing the columns "+list)
}
