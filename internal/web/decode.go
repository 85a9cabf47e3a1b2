package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/motcua/motcua/internal/apperr"
)

// maxString bounds every string field of a JSON body; the domain's own
// limits (a reason's 2,000 characters) are stricter where they apply.
const maxString = 10_000

// decode reads a JSON body into v strictly: unknown fields, values of the
// wrong type, strings over maxString characters or holding control
// characters or bytes that are not UTF-8 (textIssue), and trailing data are
// refused with a message that names the field ("applicant.id_number",
// "missing[2]") in plain words, never in Go's types; a body over maxBody
// is 413. Nothing is kept of a refused body.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return errTooLarge
		}
		return apperr.Invalid("body", "Không đọc được dữ liệu gửi lên", "the request body could not be read")
	}
	return decodeBytes(body, v)
}

var errTooLarge = apperr.New(apperr.ETOOLARGE, "Dữ liệu gửi lên quá lớn (tối đa 1 MB)", "request body too large (1 MB at most)")

// decodeBytes is decode once the body is read: the part the fuzz test
// drives.
func decodeBytes(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return apperr.Invalid("body", "Thiếu dữ liệu JSON trong yêu cầu", "the request has no JSON body")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return syntaxError(body, err)
	}
	if dec.More() || dec.InputOffset() < int64(len(bytes.TrimRight(body, " \t\r\n"))) {
		return apperr.Invalid("body", "Dữ liệu gửi lên có phần thừa sau JSON", "unexpected data after the JSON body")
	}
	// Walk the value against the target type first: the first wrong field
	// is named, with what it must be.
	if err := check(generic, reflect.TypeOf(v).Elem(), ""); err != nil {
		return err
	}
	strict := json.NewDecoder(bytes.NewReader(body))
	strict.DisallowUnknownFields()
	if err := strict.Decode(v); err != nil {
		if e := apperr.As(err); e != nil {
			return e
		}
		return apperr.Invalid("body", "Dữ liệu gửi lên không đúng định dạng", "the request body does not have the expected shape")
	}
	return nil
}

func syntaxError(body []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := position(body, se.Offset)
		return apperr.Invalid("body", fmt.Sprintf("Dữ liệu gửi lên không phải JSON hợp lệ (lỗi ở dòng %d, cột %d)", line, col),
			fmt.Sprintf("the request body is not valid JSON (error at line %d, column %d)", line, col))
	}
	return apperr.Invalid("body", "Dữ liệu gửi lên không phải JSON hợp lệ (bị cắt ngang?)", "the request body is not valid JSON (cut short?)")
}

func position(b []byte, off int64) (line, col int) {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	before := b[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:])
	return line, col
}

var (
	timeType        = reflect.TypeFor[time.Time]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
)

// check compares a decoded JSON value with the Go type it must fill and
// returns the first mismatch, named by its path.
func check(v any, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if v == nil {
		return nil // null leaves the field empty; the domain says if it is required
	}
	if t == timeType {
		s, ok := v.(string)
		if _, err := time.Parse(time.RFC3339, s); !ok || err != nil {
			return jsonFieldError(path, "phải là thời điểm dạng 2026-12-31T17:00:00+07:00", "must be a time like 2026-12-31T17:00:00+07:00")
		}
		return nil
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		raw, _ := json.Marshal(v)
		err := json.Unmarshal(raw, reflect.New(t).Interface())
		if e := apperr.As(err); e != nil {
			return e
		}
		if err != nil {
			return jsonFieldError(path, "có giá trị không hợp lệ", "has an invalid value")
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return jsonFieldError(path, "phải là một đối tượng JSON ({…})", "must be a JSON object ({…})")
		}
		fields := jsonFields(t)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			f, ok := fields[k]
			if !ok {
				name := join(path, k)
				return apperr.Invalid(name, "Không có trường "+name+" trong yêu cầu này", "unknown field "+name)
			}
			if err := check(m[k], f, join(path, k)); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		l, ok := v.([]any)
		if !ok {
			return jsonFieldError(path, "phải là một danh sách ([…])", "must be a list ([…])")
		}
		for i, x := range l {
			if err := check(x, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			return jsonFieldError(path, "phải là một đối tượng JSON ({…})", "must be a JSON object ({…})")
		}
		for k, x := range m {
			if err := check(x, t.Elem(), join(path, k)); err != nil {
				return err
			}
		}
	case reflect.String:
		s, ok := v.(string)
		if !ok {
			return jsonFieldError(path, "phải là chuỗi ký tự (trong dấu ngoặc kép)", "must be a string (in double quotes)")
		}
		if n := utf8.RuneCountInString(s); n > maxString {
			return jsonFieldError(path, "quá dài (tối đa 10.000 ký tự)", "is too long (10,000 characters at most)")
		}
		if vi, en, ok := textIssue(path, s); !ok {
			return jsonFieldError(path, vi, en)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := v.(json.Number)
		if !ok {
			return jsonFieldError(path, "phải là số nguyên (không trong dấu ngoặc kép)", "must be a whole number (not in quotes)")
		}
		if _, err := strconv.ParseInt(string(n), 10, t.Bits()); err != nil {
			return jsonFieldError(path, "phải là số nguyên trong khoảng cho phép", "must be a whole number within range")
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, ok := v.(json.Number)
		if _, err := strconv.ParseUint(string(n), 10, t.Bits()); !ok || err != nil {
			return jsonFieldError(path, "phải là số nguyên không âm", "must be a whole number, 0 or more")
		}
	case reflect.Float32, reflect.Float64:
		n, ok := v.(json.Number)
		f, err := strconv.ParseFloat(string(n), t.Bits())
		if !ok || err != nil || math.IsInf(f, 0) {
			return jsonFieldError(path, "phải là số", "must be a number")
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return jsonFieldError(path, "phải là true hoặc false", "must be true or false")
		}
	}
	return nil
}

// join adds a key to a field's path; a key that is not a plain name is
// quoted, and cut to 60 characters so that a message cannot be flooded.
func join(path, key string) string {
	if !plainKey.MatchString(key) {
		if r := []rune(key); len(r) > 60 {
			key = string(r[:60]) + "…"
		}
		key = strconv.Quote(key)
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

var plainKey = regexp.MustCompile(`^[A-Za-z0-9_]{1,60}$`)

// fieldError names the field, or the whole body when the path is empty.
func jsonFieldError(path, vi, en string) error {
	if path == "" {
		return apperr.Invalid("body", "Dữ liệu gửi lên "+vi, "the request body "+en)
	}
	return apperr.Invalid(path, "Trường "+path+" "+vi, "field "+path+" "+en)
}

// jsonFields maps the JSON names of a struct's fields (embedded structs
// flattened) to their types, as encoding/json reads them.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range jsonFields(ft) {
					if _, ok := out[k]; !ok {
						out[k] = v
					}
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}
