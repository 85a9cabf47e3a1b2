package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

//go:embed i18n/*.json
var i18nFS embed.FS

// Languages: Vietnamese first, English second.
const (
	langVI = "vi"
	langEN = "en"
)

var languages = []string{langVI, langEN}

const langCookie = "motcua_lang"

// catalog is one language's messages: flat keys, "{0}", "{1}" placeholders.
type catalog struct {
	lang string
	msgs map[string]string
}

func loadCatalogs() (map[string]*catalog, error) {
	out := map[string]*catalog{}
	for _, l := range languages {
		b, err := i18nFS.ReadFile("i18n/" + l + ".json")
		if err != nil {
			return nil, err
		}
		c := &catalog{lang: l}
		if err := json.Unmarshal(b, &c.msgs); err != nil {
			return nil, fmt.Errorf("i18n/%s.json: %w", l, err)
		}
		out[l] = c
	}
	return out, nil
}

// T translates key, filling {0}, {1}, ... with args. A missing key shows
// itself in brackets: visible in review, and a test keeps it from shipping.
func (c *catalog) T(key string, args ...any) string {
	m, ok := c.msgs[key]
	if !ok {
		return "[" + key + "]"
	}
	for i, a := range args {
		m = strings.ReplaceAll(m, "{"+strconv.Itoa(i)+"}", fmt.Sprint(a))
	}
	return m
}

// pick returns the message of an apperr-style pair in this language.
func (c *catalog) pick(vi, en string) string {
	if c.lang == langEN && en != "" {
		return en
	}
	return vi
}

// langIndex is the index of this language in the [Vietnamese, English]
// pairs of the domain packages' names.
func (c *catalog) langIndex() int {
	if c.lang == langEN {
		return 1
	}
	return 0
}

// requestLang chooses the language: ?lang= (remembered in a cookie), then
// the cookie, then Vietnamese. The browser's Accept-Language is not used:
// the service is Vietnamese first, and most browsers here are set to English.
func requestLang(w http.ResponseWriter, r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == langVI || l == langEN {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == langVI || c.Value == langEN) {
		return c.Value
	}
	return langVI
}
