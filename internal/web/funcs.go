package web

import (
	"errors"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/dossier"
)

// funcs are the template functions, bound to one language's catalogue.
func (u *ui) funcs(c *catalog) template.FuncMap {
	return template.FuncMap{
		"t":        c.T,
		"static":   u.staticURL,
		"date":     fmtDate,
		"datetime": fmtDateTime,
		"isodate":  isoDate,
		"ymd":      ymd,
		"num":      func(n any) string { return c.num(toInt64(n)) },
		"money":    c.money,
		"pct":      c.pct,
		"points":   c.points,
		"signed":   c.signed,
		"limit":    c.limit,
		"status":   func(s dossier.Status) string { return c.T("status." + strconv.Itoa(int(s))) },
		"stage":    stageName(c),
		"action":   func(a string) string { return c.T("action." + a) },
		"role":     func(r string) string { return c.T("role." + r) },
		"channel":  func(ch int) string { return c.T("channel." + strconv.Itoa(ch)) },
		"online":   func(m string) string { return c.T("online." + m) },
		"form":     func(f string) string { return c.T("component." + f) },
		"outcome":  func(o string) string { return c.T("outcome." + o) },
		"rating":   func(n int) string { return c.T("rating." + strconv.Itoa(n)) },
		"has":      func(list []string, s string) bool { return slices.Contains(list, s) },
		"lines":    func(list []string) string { return strings.Join(list, "\n") },
		"inc":      func(i int) int { return i + 1 },
		"dec":      func(i int) int { return i - 1 },
		"dict":     dict,
		"size":     c.size,
		"ftype":    fileType,
		"weekday":  weekday,
		"list":     func(xs ...string) []string { return xs },
		// the choices of notifications a form offers; "" is the default
		"notifyChoices": func() []string {
			return []string{"", dossier.NotifySMS, dossier.NotifyEmail, dossier.NotifyZalo, dossier.NotifyNone}
		},
	}
}

// ymd shows a YYYY-MM-DD date as dd/mm/yyyy.
func ymd(s string) string {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return s
	}
	return t.Format("02/01/2006")
}

// toInt64 lets templates format any integer the views hold.
func toInt64(n any) int64 {
	switch v := n.(type) {
	case int:
		return int64(v)
	case int64:
		return v
	}
	return 0
}

// dict builds a map from key, value pairs, to pass several values to a
// partial template.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, errors.New("dict: keys must be strings")
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// weekday is the day of the week of a YYYY-MM-DD date, 0 for Sunday.
func weekday(s string) int {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return 0
	}
	return int(t.Weekday())
}

// fileType names an accepted file's type as people know it.
func fileType(contentType string) string {
	switch contentType {
	case "application/pdf":
		return "PDF"
	case "image/jpeg":
		return "JPEG"
	case "image/png":
		return "PNG"
	}
	return contentType
}

// stageName shows a dossier's stage: its status, or "approved, awaiting
// result" for a dossier in processing that the leader approved.
func stageName(c *catalog) func(dossier.Status, bool) string {
	return func(s dossier.Status, approved bool) string {
		if s == dossier.StatusProcessing && approved {
			return c.T("stage." + dossier.StageApproved)
		}
		return c.T("status." + strconv.Itoa(int(s)))
	}
}
