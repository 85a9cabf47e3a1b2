package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadUsers(t *testing.T) {
	dir := t.TempDir()
	write := func(s string) string {
		p := filepath.Join(dir, "users.json")
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	us, err := loadUsers(write(`[{"username":"an","password":"pw","name":"Nguyễn Văn An","personal_id":"001090012345"},{"username":"b","password":"pw","subject":"s-b"}]`))
	if err != nil {
		t.Fatal(err)
	}
	if u := us.GetUserByUsername("an"); u == nil || u.ID != "an" || u.FirstName != "Nguyễn Văn" || u.LastName != "An" || us.info["an"].PersonalID != "001090012345" {
		t.Fatalf("an: %+v", u)
	}
	if u := us.GetUserByID("s-b"); u == nil || u.Username != "b" {
		t.Fatalf("b by subject: %+v", u)
	}
	for _, bad := range []string{`[{"username":"a"}]`, `{`, `[{"username":"a","password":"x"},{"username":"a","password":"y"}]`} {
		if _, err := loadUsers(write(bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	var c clientFlags
	if err := c.Set("motcua:secret:http://a/cb,http://b/cb"); err != nil || len(c) != 1 {
		t.Fatalf("client: %v", err)
	}
	if err := c.Set("motcua:secret"); err == nil || !strings.Contains(err.Error(), "ID:SECRET:REDIRECT_URI") {
		t.Fatalf("bad client accepted: %v", err)
	}
}

// TestLoadClients: the clients file gives the secrets without putting them
// on the command line; a client without a secret or a redirect URI, or
// given twice, is refused.
func TestLoadClients(t *testing.T) {
	p := filepath.Join(t.TempDir(), "clients.json")
	write := func(s string) {
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(`[{"id":"motcua","secret":"s3cret","redirect_uris":["http://a/cb","http://b/cb"]}]`)
	cs, err := loadClients(p)
	if err != nil || len(cs) != 1 || cs[0].GetID() != "motcua" || len(cs[0].RedirectURIs()) != 2 {
		t.Fatalf("clients: %+v %v", cs, err)
	}
	for _, bad := range []string{`[{"id":"a","redirect_uris":["http://a/cb"]}]`, `[{"id":"a","secret":"s"}]`, `[{"id":"a","secret":"s","redirect_uris":[""]}]`,
		`[{"id":"a","secret":"s","redirect_uris":["http://a/cb"]},{"id":"a","secret":"t","redirect_uris":["http://a/cb"]}]`, `{`, `[{"id":"a","secret":"s","redirect":"x"}]`} {
		write(bad)
		if _, err := loadClients(p); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
