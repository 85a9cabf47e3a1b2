// Package csvfile opens the CSV files people export from spreadsheets: with
// or without a UTF-8 byte order mark, separated by commas or, as Excel
// writes them in a Vietnamese locale, by semicolons. The unit list and the
// civil-status import read their files through it.
package csvfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
)

// ErrEmpty is returned for a file with nothing but white space.
var ErrEmpty = errors.New("csvfile: the file is empty")

var bom = []byte{0xEF, 0xBB, 0xBF}

// SkipBOM drops the UTF-8 byte order mark that spreadsheet programs write.
func SkipBOM(br *bufio.Reader) error {
	if b, _ := br.Peek(len(bom)); bytes.Equal(b, bom) {
		_, err := br.Discard(len(bom))
		return err
	}
	return nil
}

// sniffLen is how much of the file is looked at to choose the separator.
const sniffLen = 64 << 10

// NewReader skips the byte order mark and picks the separator that is more
// frequent at the start of the file. Rows may have any number of fields
// (short rows deserve the caller's own error) and leading spaces of fields
// are dropped.
func NewReader(r io.Reader) (*csv.Reader, error) {
	br := bufio.NewReaderSize(r, sniffLen)
	if err := SkipBOM(br); err != nil {
		return nil, err
	}
	head, err := br.Peek(sniffLen)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	if len(bytes.TrimSpace(head)) == 0 {
		return nil, ErrEmpty
	}
	cr := csv.NewReader(br)
	if bytes.Count(head, []byte{';'}) > bytes.Count(head, []byte{','}) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	return cr, nil
}
