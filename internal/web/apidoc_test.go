package web_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/store/storetest"
)

// TestAPIWalkthrough runs the curl commands of docs/api.md, in order,
// against a real server: each must answer the status written after it,
// and the values an answer gives (VAR=$(curl … | jq -r .field)) stand in
// for $VAR in the commands after it.
func TestAPIWalkthrough(t *testing.T) {
	cmds := walkthrough(t, "../../docs/api.md")
	if len(cmds) < 15 {
		t.Fatalf("docs/api.md: only %d commands found", len(cmds))
	}
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			e := newEnv(t, engine, withPopulation(t))
			vars := map[string]string{}
			for _, c := range cmds {
				if c.assign != "" && c.curl == nil {
					vars[c.assign] = e.srv.URL + strings.TrimPrefix(c.value, "http://localhost:8080")
					continue
				}
				args := make([]string, len(c.curl))
				for i, a := range c.curl {
					args[i] = expand(a, vars)
				}
				status, body := e.curl(t, args)
				if status != c.status {
					t.Fatalf("docs/api.md line %d: %s\nanswered %d %s, the page says %d", c.line, c.text, status, body, c.status)
				}
				if c.assign != "" {
					var m map[string]any
					_ = json.Unmarshal([]byte(body), &m)
					v, ok := m[strings.TrimPrefix(c.field, ".")].(string)
					if !ok {
						t.Fatalf("docs/api.md line %d: no %s in %s", c.line, c.field, body)
					}
					vars[c.assign] = v
				}
			}
		})
	}
}

type docCmd struct {
	line          int
	text          string
	assign, value string // VAR=value, or VAR=$(curl … | jq -r field)
	field         string
	curl          []string // the arguments after "curl"
	status        int
}

var (
	assignRE = regexp.MustCompile(`^([A-Z_]+)=(.*)$`)
	statusRE = regexp.MustCompile(`#\s*(\d{3})\s*$`)
	jqRE     = regexp.MustCompile(`^\$\((curl .*)\|\s*jq -r (\.[a-z_]+)\)$`)
)

// walkthrough reads the sh blocks of the page: a command may continue on
// the next line after a backslash.
func walkthrough(t *testing.T, path string) []docCmd {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []docCmd
	in, n, start := false, 0, 0
	var cur strings.Builder
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		n++
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "```sh"):
			in = true
			continue
		case strings.HasPrefix(line, "```"):
			in = false
			continue
		case !in || strings.TrimSpace(line) == "":
			continue
		}
		if cur.Len() == 0 {
			start = n
		}
		if s, ok := strings.CutSuffix(line, `\`); ok {
			cur.WriteString(s)
			continue
		}
		cur.WriteString(line)
		text := strings.TrimSpace(cur.String())
		cur.Reset()
		c := docCmd{line: start, text: text}
		if m := statusRE.FindStringSubmatch(text); m != nil {
			c.status, _ = strconv.Atoi(m[1])
			text = strings.TrimSpace(text[:len(text)-len(m[0])])
		}
		if m := assignRE.FindStringSubmatch(text); m != nil {
			c.assign, text = m[1], m[2]
			if j := jqRE.FindStringSubmatch(strings.TrimSpace(text)); j != nil {
				text, c.field = strings.TrimSpace(j[1]), j[2]
			} else {
				c.value = text
				out = append(out, c)
				continue
			}
		}
		words, err := shellWords(text)
		if err != nil || len(words) == 0 || words[0] != "curl" || c.status == 0 {
			t.Fatalf("%s line %d: not a curl command with its status: %s (%v)", path, start, c.text, err)
		}
		c.curl = words[1:]
		out = append(out, c)
	}
	return out
}

// shellWords splits a command as sh would, for the quoting the page uses;
// $VAR stays, to be expanded at run time, except inside single quotes
// (their dollars are kept as \x00, so that '{"code":"'$CODE'"}' expands the
// variable between the quoted parts and nothing inside them).
func shellWords(s string) ([]string, error) {
	var out []string
	var w strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, io.ErrUnexpectedEOF
			}
			w.WriteString(strings.ReplaceAll(s[i+1:i+1+end], "$", "\x00"))
			i += end + 1
			inWord = true
		case ch == '"':
			end := strings.IndexByte(s[i+1:], '"')
			if end < 0 {
				return nil, io.ErrUnexpectedEOF
			}
			w.WriteString(s[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case ch == ' ' || ch == '\t':
			if inWord {
				out = append(out, w.String())
				w.Reset()
				inWord = false
			}
		default:
			w.WriteByte(ch)
			inWord = true
		}
	}
	if inWord {
		out = append(out, w.String())
	}
	return out, nil
}

var varRE = regexp.MustCompile(`\$([A-Z_]+)`)

func expand(s string, vars map[string]string) string {
	s = varRE.ReplaceAllStringFunc(s, func(v string) string { return vars[v[1:]] })
	return strings.ReplaceAll(s, "\x00", "$")
}

// curl runs the arguments the page gives curl (-s, -X, -H, -d and the
// address) as one request; the answer is checked against the API document.
func (e *env) curl(t *testing.T, args []string) (int, string) {
	method, url, body := "", "", ""
	h := http.Header{}
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "-s":
		case "-X":
			i++
			method = args[i]
		case "-H":
			i++
			k, v, _ := strings.Cut(args[i], ":")
			h.Set(strings.TrimSpace(k), strings.TrimSpace(v))
		case "-d":
			i++
			body = args[i]
		default:
			if strings.HasPrefix(args[i], "-") || url != "" {
				t.Fatalf("curl argument %q is not one this test knows", args[i])
			}
			url = args[i]
		}
	}
	if method == "" {
		method = http.MethodGet
		if body != "" {
			method = http.MethodPost
		}
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
		h.Set("Content-Type", "application/x-www-form-urlencoded") // what curl -d sends
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header = h
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if err := checkContract(method, strings.TrimPrefix(url, e.srv.URL), body, res.StatusCode, res.Header, raw, t); err != nil {
		t.Errorf("openapi.json: %v", err)
	}
	return res.StatusCode, string(raw)
}
