// Package idptest starts the motcua-idp OpenID provider as its own process
// for tests, and signs a user in at its login form as a browser would.
package idptest

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// Client is a client registered at the provider.
type Client struct {
	ID, Secret string
	Redirects  []string
}

// User is an account of the provider (the users file's entry).
type User struct {
	Subject    string `json:"subject,omitempty"`
	Username   string `json:"username"`
	Password   string `json:"password"`
	Name       string `json:"name"`
	PersonalID string `json:"personal_id,omitempty"`
}

// IdP is a running provider.
type IdP struct {
	Issuer string // with its trailing slash, as the provider names itself
}

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// build compiles motcua-idp once per test binary.
func build() (string, error) {
	buildOnce.Do(func() {
		// The binary outlives the test that built it, so that the others
		// reuse it; what earlier runs left is removed after an hour.
		old, _ := filepath.Glob(filepath.Join(os.TempDir(), "motcua-idp-*"))
		for _, d := range old {
			if fi, err := os.Stat(d); err == nil && time.Since(fi.ModTime()) > time.Hour {
				_ = os.RemoveAll(d)
			}
		}
		dir, err := os.MkdirTemp("", "motcua-idp-")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "motcua-idp")
		out, err := exec.Command("go", "build", "-o", binary, "github.com/motcua/motcua/cmd/motcua-idp").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build motcua-idp: %v\n%s", err, out)
		}
	})
	return binary, buildErr
}

// Start builds the provider (once per test binary) and starts it as its
// own process on a free loopback port, with the clients and users given,
// and waits for its discovery document. It is stopped when the test ends.
func Start(t testing.TB, clients []Client, users []User) *IdP {
	t.Helper()
	bin, err := build()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	b, _ := json.Marshal(users)
	usersFile := filepath.Join(dir, "users.json")
	if err := os.WriteFile(usersFile, b, 0o600); err != nil {
		t.Fatal(err)
	}
	// The clients go in a file, as the provider is run outside tests: the
	// secrets stay off the command line.
	type clientEntry struct {
		ID           string   `json:"id"`
		Secret       string   `json:"secret"`
		RedirectURIs []string `json:"redirect_uris"`
	}
	var cs []clientEntry
	for _, c := range clients {
		cs = append(cs, clientEntry{c.ID, c.Secret, c.Redirects})
	}
	b, _ = json.Marshal(cs)
	clientsFile := filepath.Join(dir, "clients.json")
	if err := os.WriteFile(clientsFile, b, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"--addr", "127.0.0.1:0", "--users", usersFile, "--clients", clientsFile}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	logFile, err := os.Create(filepath.Join(dir, "idp.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close() // the process holds its own copy
	cmd.Stderr = logFile
	stderr := logOf(filepath.Join(dir, "idp.log"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("motcua-idp's log:\n%s", stderr.String())
		}
	})
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			line <- sc.Text()
		}
		close(line)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	var first string
	select {
	case first = <-line:
	case <-time.After(30 * time.Second):
		t.Fatal("motcua-idp did not start within 30 s")
	}
	m := regexp.MustCompile(`issuer (\S+) listening`).FindStringSubmatch(first)
	if m == nil {
		t.Fatalf("motcua-idp: unexpected first line %q; log:\n%s", first, stderr.String())
	}
	p := &IdP{Issuer: m[1]}
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(p.Issuer + ".well-known/openid-configuration")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("motcua-idp's discovery document did not answer: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// logOf reads the provider's log when a test needs it.
type logOf string

func (l logOf) String() string {
	b, _ := os.ReadFile(string(l))
	return string(b)
}

// Browser is a cookie-jar HTTP client that follows redirects on the
// provider only, as a browser would, and stops at the first that leaves it.
func (p *IdP) Browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if !strings.HasPrefix(req.URL.String(), p.Issuer) {
			return http.ErrUseLastResponse
		}
		return nil
	}}
}

var idField = regexp.MustCompile(`name="id" value="([^"]*)"`)

// SignIn opens authURL (the provider's authorization address) with c,
// fills the provider's login form with the username and password, and
// returns where the provider sends the browser back: the client's redirect
// URL with its code and state.
func (p *IdP) SignIn(c *http.Client, authURL, username, password string) (*url.URL, error) {
	res, err := c.Get(authURL)
	if err != nil {
		return nil, err
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("provider's login page: %d %s", res.StatusCode, body)
	}
	m := idField.FindSubmatch(body)
	if m == nil {
		return nil, fmt.Errorf("provider's login page has no form: %s", body)
	}
	res, err = c.PostForm(p.Issuer+"login/username", url.Values{"id": {string(m[1])}, "username": {username}, "password": {password}})
	if err != nil {
		return nil, err
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusFound && res.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("provider refused the sign-in: %d %s", res.StatusCode, body)
	}
	loc, err := res.Location()
	if err != nil {
		return nil, errors.New("provider's answer has no Location")
	}
	return loc, nil
}
