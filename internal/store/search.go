package store

import (
	"strings"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/vntext"
)

// subjectFold is what the search reads of a dossier's subject: the folded
// name and the ID number, in the subject_fold column.
func subjectFold(s *dossier.Subject) string {
	if s == nil {
		return ""
	}
	return strings.TrimSpace(vntext.Fold(s.Name) + " " + s.IDNumber)
}

// likeEscape makes s match itself in a LIKE pattern written with ESCAPE
// '\\': the user's % and _ are literal.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// searchCond is the dossier search of a listing's q: a dossier matches when
// every word of q begins a word of the applicant's folded name, or every
// word begins a word of the subject's ("nguyen an" finds "Nguyễn Văn An"), or q is part of its code
// ("250715-00", the last digits), or q, 4 digits at least, is part of the
// applicant's or the subject's ID number. The caller adds the scope, so
// the search reads only the dossiers the caller may list.
func searchCond(q string) (string, []any) {
	q = strings.TrimSpace(q)
	if q == "" {
		return "", nil
	}
	var ors []string
	var args []any
	if words := strings.Fields(vntext.Fold(q)); len(words) > 0 {
		words = words[:min(len(words), 8)]
		for _, col := range []string{"d.applicant_fold", "d.subject_fold"} { // all the words in the same name
			var ands []string
			for _, w := range words {
				ands = append(ands, `(' ' || `+col+`) LIKE ? ESCAPE '\'`)
				args = append(args, "% "+likeEscape(w)+"%")
			}
			ors = append(ors, "("+strings.Join(ands, " AND ")+")")
		}
	}
	if !strings.ContainsAny(q, " \t") {
		ors = append(ors, `d.code LIKE ? ESCAPE '\'`)
		args = append(args, "%"+likeEscape(strings.ToUpper(q))+"%")
		if len(q) >= 4 && strings.Trim(q, "0123456789") == "" {
			ors = append(ors, `d.applicant_id_number LIKE ? ESCAPE '\'`, `d.subject_fold LIKE ? ESCAPE '\'`)
			args = append(args, "%"+q+"%", "%"+q+"%")
		}
	}
	return "(" + strings.Join(ors, " OR ") + ")", args
}
