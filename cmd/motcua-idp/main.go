// Command motcua-idp is a small OpenID Connect provider for trying
// motcua's sign-in through an electronic identity locally and for its
// tests: clients and users are given on the command line and in a JSON
// file, nothing is kept between runs. It puts each user's personal ID
// number into the ID token under the claim motcua reads by default
// (personal_id), and the user's name under "name".
//
//	motcua-idp --addr 127.0.0.1:9998 --users users.json --clients clients.json
//
// The users file is a JSON list:
//
//	[{"username": "an", "password": "matkhau", "name": "Nguyễn Văn An", "personal_id": "001090012345"}]
//
// The clients file too, so that no secret shows in the list of processes:
//
//	[{"id": "motcua", "secret": "…", "redirect_uris": ["http://localhost:8080/auth/oidc/callback"]}]
//
// --client ID:SECRET:REDIRECT puts the secret on the command line, where
// other users of the machine can read it: it is for tests only.
//
// It is not a provider for production: passwords are plain in the file,
// the signing key is made anew at each start.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// IDClaim is the claim of the ID token that carries the personal ID number.
const IDClaim = "personal_id"

// User is one account of the provider.
type User struct {
	// Subject is the provider's stable id of the user (the token's
	// "sub"); the username when empty.
	Subject    string `json:"subject,omitempty"`
	Username   string `json:"username"`
	Password   string `json:"password"`
	Name       string `json:"name"`
	PersonalID string `json:"personal_id,omitempty"`
	Email      string `json:"email,omitempty"`
}

// users is the provider's user store (storage.UserStore).
type users struct {
	byID map[string]*storage.User
	info map[string]User
}

func (u users) GetUserByID(id string) *storage.User { return u.byID[id] }
func (u users) GetUserByUsername(name string) *storage.User {
	for _, x := range u.byID {
		if x.Username == name {
			return x
		}
	}
	return nil
}
func (u users) ExampleClientID() string { return storage.ServiceUserID }

func loadUsers(path string) (users, error) {
	out := users{byID: map[string]*storage.User{}, info: map[string]User{}}
	b, err := os.ReadFile(path)
	if err != nil {
		return out, err
	}
	var list []User
	if err := json.Unmarshal(b, &list); err != nil {
		return out, fmt.Errorf("%s: %w", path, err)
	}
	for _, x := range list {
		if x.Username == "" || x.Password == "" {
			return out, fmt.Errorf("%s: every user needs a username and a password", path)
		}
		if x.Subject == "" {
			x.Subject = x.Username
		}
		if _, dup := out.byID[x.Subject]; dup {
			return out, fmt.Errorf("%s: subject %q given twice", path, x.Subject)
		}
		first, last := x.Name, ""
		if i := strings.LastIndex(x.Name, " "); i > 0 {
			first, last = x.Name[:i], x.Name[i+1:]
		}
		out.byID[x.Subject] = &storage.User{ID: x.Subject, Username: x.Username, Password: x.Password, FirstName: first, LastName: last,
			Email: x.Email, EmailVerified: x.Email != "", PreferredLanguage: language.Vietnamese}
		out.info[x.Subject] = x
	}
	return out, nil
}

// idStorage adds the name and the personal ID number to the ID token.
type idStorage struct {
	*storage.Storage
	users users
}

// SetUserinfoFromRequest is called for the ID token's claims.
func (s *idStorage) SetUserinfoFromRequest(ctx context.Context, ui *oidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	if err := s.Storage.SetUserinfoFromRequest(ctx, ui, req, scopes); err != nil {
		return err
	}
	s.claims(ui, req.GetSubject())
	return nil
}

// SetUserinfoFromScopes answers the userinfo endpoint with the same claims.
func (s *idStorage) SetUserinfoFromScopes(ctx context.Context, ui *oidc.UserInfo, userID, clientID string, scopes []string) error {
	if err := s.Storage.SetUserinfoFromScopes(ctx, ui, userID, clientID, scopes); err != nil {
		return err
	}
	s.claims(ui, userID)
	return nil
}

func (s *idStorage) claims(ui *oidc.UserInfo, subject string) {
	u, ok := s.users.info[subject]
	if !ok {
		return
	}
	ui.Subject = subject
	ui.Name = u.Name
	if u.PersonalID != "" {
		ui.AppendClaims(IDClaim, u.PersonalID)
	}
}

// clientFlags collects --client ID:SECRET:REDIRECT[,REDIRECT...].
type clientFlags []*storage.Client

func (c *clientFlags) String() string { return fmt.Sprintf("%d clients", len(*c)) }
func (c *clientFlags) Set(v string) error {
	id, rest, ok1 := strings.Cut(v, ":")
	secret, redirects, ok2 := strings.Cut(rest, ":")
	if !ok1 || !ok2 || id == "" || secret == "" || redirects == "" {
		return errors.New("want ID:SECRET:REDIRECT_URI[,REDIRECT_URI...]")
	}
	*c = append(*c, storage.WebClient(id, secret, strings.Split(redirects, ",")...))
	return nil
}

// clientEntry is one client of the clients file.
type clientEntry struct {
	ID           string   `json:"id"`
	Secret       string   `json:"secret"`
	RedirectURIs []string `json:"redirect_uris"`
}

// loadClients reads the clients file: a JSON list of {id, secret,
// redirect_uris}.
func loadClients(path string) (clientFlags, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var list []clientEntry
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&list); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var out clientFlags
	seen := map[string]bool{}
	for _, c := range list {
		if c.ID == "" || c.Secret == "" || len(c.RedirectURIs) == 0 || slices.ContainsFunc(c.RedirectURIs, func(u string) bool { return strings.TrimSpace(u) == "" }) {
			return nil, fmt.Errorf("%s: every client needs an id, a secret and at least one redirect URI", path)
		}
		if seen[c.ID] {
			return nil, fmt.Errorf("%s: client %q given twice", path, c.ID)
		}
		seen[c.ID] = true
		out = append(out, storage.WebClient(c.ID, c.Secret, c.RedirectURIs...))
	}
	return out, nil
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "motcua-idp:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("motcua-idp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:9998", "address to listen on")
	issuer := fs.String("issuer", "", "the issuer URL (default http://ADDR/)")
	usersFile := fs.String("users", "", "JSON file of the users: [{username, password, name, personal_id, subject, email}]")
	var clients clientFlags
	fs.Var(&clients, "client", "a registered client, ID:SECRET:REDIRECT_URI[,REDIRECT_URI...] (repeatable; for tests only: the secret shows in the list of processes)")
	clientsFile := fs.String("clients", "", "JSON file of the registered clients: [{id, secret, redirect_uris}]")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *clientsFile != "" {
		more, err := loadClients(*clientsFile)
		if err != nil {
			return err
		}
		clients = append(clients, more...)
	}
	if *usersFile == "" || len(clients) == 0 {
		return errors.New("--users and at least one client (--clients FILE, or --client) are needed")
	}
	us, err := loadUsers(*usersFile)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if *issuer == "" {
		*issuer = "http://" + ln.Addr().String() + "/"
	}
	storage.RegisterClients(clients...)
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st := &idStorage{Storage: storage.NewStorage(us), users: us}
	router := exampleop.SetupServer(*issuer, st, log, false)
	hs := &http.Server{Handler: router, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "motcua-idp: issuer %s listening on %s\n", *issuer, ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return hs.Shutdown(shut)
}
