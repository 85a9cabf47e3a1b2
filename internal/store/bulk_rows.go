package store

import (
	"encoding/binary"
	"strings"
)

// rowBuf collects the rows of one table for the bulk loader as a tape of
// tagged values: an integer is 'i' and 8 bytes, a text 't', its length as
// a uvarint and its bytes. Add fills it without an allocation per value (a
// []any would box every one and keep the garbage collector busy), and the
// writer reads it back in order: on SQLite binding texts in place in one
// copy of the tape, on PostgreSQL as the values COPY takes.
//
// A row is row() followed by one int or text call per column.
type rowBuf struct {
	tape []byte
	rows int
}

const (
	tagInt  = 'i'
	tagText = 't'
)

// reset empties r, keeping its memory.
func (r rowBuf) reset() rowBuf { return rowBuf{tape: r.tape[:0]} }

// row starts a row.
func (r *rowBuf) row() { r.rows++ }

func (r *rowBuf) int(v int64) {
	r.tape = binary.LittleEndian.AppendUint64(append(r.tape, tagInt), uint64(v))
}

func (r *rowBuf) text(s string) {
	r.tape = append(binary.AppendUvarint(append(r.tape, tagText), uint64(len(s))), s...)
}

// tapeReader reads a rowBuf's values in order.
type tapeReader struct {
	tape []byte
	off  int
}

// next returns the next value: an integer in n, or a text as the bounds
// [start, end) of its bytes in the tape.
func (t *tapeReader) next() (text bool, n int64, start, end int) {
	tag := t.tape[t.off]
	t.off++
	if tag == tagInt {
		n = int64(binary.LittleEndian.Uint64(t.tape[t.off:]))
		t.off += 8
		return false, n, 0, 0
	}
	l, w := binary.Uvarint(t.tape[t.off:])
	start = t.off + w
	t.off = start + int(l)
	return true, 0, start, t.off
}

// value returns the next value as database/sql and pgx take it.
func (t *tapeReader) value() any {
	text, n, start, end := t.next()
	if text {
		return string(t.tape[start:end])
	}
	return n
}

// width is the number of columns in a list of column names.
func width(cols string) int { return strings.Count(cols, ",") + 1 }

// columnNames splits a list of column names.
func columnNames(cols string) []string {
	names := strings.Split(cols, ",")
	for i := range names {
		names[i] = strings.TrimSpace(names[i])
	}
	return names
}

func insertSQL(table, cols, suffix string, width, rows int) string {
	one := "(?" + strings.Repeat(", ?", width-1) + ")"
	var sb strings.Builder
	sb.WriteString("INSERT INTO " + table + " (" + cols + ") VALUES ")
	for i := range rows {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(one)
	}
	sb.WriteString(suffix)
	return sb.String()
}
