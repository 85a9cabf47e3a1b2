package procedure

import (
	"encoding/json"
	"errors"
	"io"

	"github.com/motcua/motcua/internal/apperr"
)

// ParseList reads a catalogue file: a JSON array of procedures, as
// "procedures export" writes it. Unknown fields and data after the array
// are refused, every procedure is validated (and normalised, see Validate)
// and a code listed twice is refused, so that an import either takes the
// whole file or nothing. Errors are apperr "invalid" naming the field.
func ParseList(r io.Reader) ([]Procedure, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var ps []Procedure
	if err := dec.Decode(&ps); err != nil {
		return nil, apperr.Invalid("file",
			"Tệp JSON không đúng dạng danh sách thủ tục hành chính",
			"the JSON file is not a list of procedures: "+err.Error())
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, apperr.Invalid("file", "Tệp JSON có phần thừa sau danh sách thủ tục", "unexpected data after the list of procedures")
	}
	seen := make(map[string]bool, len(ps))
	for i := range ps {
		p := &ps[i]
		if err := p.Validate(); err != nil {
			e := apperr.As(err)
			return nil, apperr.Invalid(e.Field, "Thủ tục "+p.Code+": "+e.Message, "procedure "+p.Code+": "+e.MessageEn)
		}
		if seen[p.Code] {
			return nil, apperr.Invalid("code", "Thủ tục "+p.Code+" có hai lần trong tệp", "procedure "+p.Code+" is listed twice")
		}
		seen[p.Code] = true
	}
	return ps, nil
}
