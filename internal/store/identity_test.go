package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/identity"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestIdentityLogins: a login is taken once; an expired one is dropped
// when another is saved.
func TestIdentityLogins(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		s := store.Identities{DB: f.DB}
		secret, l, err := identity.NewLogin("/ho-so", f.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if l.Handle != auth.TokenDigest(secret) || l.State == "" || l.Nonce == "" || len(l.Verifier) < 43 {
			t.Fatalf("login: %+v", l)
		}
		if err := s.SaveLogin(ctx, l); err != nil {
			t.Fatal(err)
		}
		got, err := s.TakeLogin(ctx, l.Handle)
		if err != nil || got.State != l.State || got.Nonce != l.Nonce || got.Verifier != l.Verifier || got.Next != "/ho-so" || !got.ExpiresAt.Equal(l.ExpiresAt) {
			t.Fatalf("taken: %+v %v", got, err)
		}
		if _, err := s.TakeLogin(ctx, l.Handle); err != identity.ErrNoLogin {
			t.Fatalf("taken twice: %v", err)
		}
		// An expired login is dropped by the next one saved.
		_, old, _ := identity.NewLogin("", f.Clock.Now())
		if err := s.SaveLogin(ctx, old); err != nil {
			t.Fatal(err)
		}
		f.Clock.Advance(identity.LoginTTL + time.Second)
		_, l2, _ := identity.NewLogin("", f.Clock.Now())
		if err := s.SaveLogin(ctx, l2); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TakeLogin(ctx, old.Handle); err != identity.ErrNoLogin {
			t.Fatalf("expired login kept: %v", err)
		}
	})
}

// TestIdentitySignIn: the account rules on both engines.
func TestIdentitySignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		s := store.Identities{DB: f.DB}
		const iss = "https://vneid.example.vn"
		an := identity.Identity{Issuer: iss, Subject: "sub-an", IDNumber: "001090012345", Name: "Nguyễn Văn An"}
		u, err := s.SignIn(ctx, an)
		if err != nil || u.Username != "cd001090012345" || u.Role != auth.RoleApplicant || u.FullName != "Nguyễn Văn An" || u.ID == 0 {
			t.Fatalf("first sign-in: %+v %v", u, err)
		}
		if _, err := f.DB.Authenticate(ctx, u.Username, ""); err == nil {
			t.Fatal("a password signs in to the account made by the provider")
		}
		again, err := s.SignIn(ctx, an)
		if err != nil || again.ID != u.ID {
			t.Fatalf("second sign-in: %+v %v", again, err)
		}
		// The same subject with another number: a conflict, nothing made.
		n, _ := f.DB.CountUsers(ctx)
		moved := an
		moved.IDNumber = "001090099999"
		if _, err := s.SignIn(ctx, moved); apperr.Code(err) != apperr.ECONFLICT {
			t.Fatalf("same subject, other number: %v", err)
		}
		// Another subject of the same provider with the number: a conflict.
		other := an
		other.Subject = "sub-other"
		if _, err := s.SignIn(ctx, other); apperr.Code(err) != apperr.ECONFLICT {
			t.Fatalf("other subject, same number: %v", err)
		}
		if m, _ := f.DB.CountUsers(ctx); m != n {
			t.Fatalf("refused sign-ins made %d accounts", m-n)
		}
		// Another provider with the number signs in to the same account.
		if u2, err := s.SignIn(ctx, identity.Identity{Issuer: "https://other.example.vn", Subject: "x", IDNumber: an.IDNumber}); err != nil || u2.ID != u.ID {
			t.Fatalf("second provider: %+v %v", u2, err)
		}
		// The demo citizen's account is bound, not duplicated.
		lan, err := s.SignIn(ctx, identity.Identity{Issuer: iss, Subject: "sub-lan", IDNumber: "001190012345"})
		if err != nil || lan.Username != "congdan" {
			t.Fatalf("known citizen: %+v %v", lan, err)
		}
		// An officer with the number gets the officer's account; disabled,
		// refused.
		cv := auth.User{Username: "cv.oidc", Role: auth.RoleSpecialist, UnitCode: demo.Ward, IDNumber: "001085012345"}
		if err := f.DB.CreateUser(ctx, &cv, "pw-long"); err != nil {
			t.Fatal(err)
		}
		if err := f.DB.SetUserDisabled(ctx, demo.Ward, "cv.oidc", true); err != nil {
			t.Fatal(err)
		}
		cvID := identity.Identity{Issuer: iss, Subject: "sub-cv", IDNumber: "001085012345"}
		if _, err := s.SignIn(ctx, cvID); apperr.Code(err) != apperr.EFORBIDDEN {
			t.Fatalf("disabled officer: %v", err)
		}
		if err := f.DB.SetUserDisabled(ctx, demo.Ward, "cv.oidc", false); err != nil {
			t.Fatal(err)
		}
		if got, err := s.SignIn(ctx, cvID); err != nil || got.ID != cv.ID {
			t.Fatalf("officer: %+v %v", got, err)
		}
	})
}

// TestIdentityIDNumber: an officer's number is set, refused when another
// active account has it, cleared; the provider then finds the officer by
// it. Unlink forgets the identity so that the number decides again.
func TestIdentityIDNumber(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		s := store.Identities{DB: f.DB}
		const iss = "https://vneid.example.vn"
		cv := auth.User{Username: "cv.so", Role: auth.RoleSpecialist, UnitCode: demo.Ward}
		if err := f.DB.CreateUser(ctx, &cv, "pw-long"); err != nil {
			t.Fatal(err)
		}
		// The officer signed in before the number was set: a citizen's
		// account was made for the number.
		id := identity.Identity{Issuer: iss, Subject: "sub-cv", IDNumber: "001085054321"}
		cit, err := s.SignIn(ctx, id)
		if err != nil || cit.Role != auth.RoleApplicant {
			t.Fatalf("first sign-in: %+v %v", cit, err)
		}
		// The number is the citizen's account's: refused on the officer.
		if err := f.DB.SetIDNumber(ctx, demo.Ward, "cv.so", id.IDNumber); apperr.Code(err) != apperr.EINVALID {
			t.Fatalf("number of another account: %v", err)
		}
		// Another unit's administrator does not find the officer.
		if err := f.DB.SetIDNumber(ctx, demo.OtherWard, "cv.so", "001085011111"); apperr.Code(err) != apperr.ENOTFOUND {
			t.Fatalf("other unit: %v", err)
		}
		// The repair: the citizen's account loses the number and the link.
		if err := f.DB.SetIDNumber(ctx, "", cit.Username, ""); err != nil {
			t.Fatal(err)
		}
		if n, err := s.Unlink(ctx, cit.Username); err != nil || n != 1 {
			t.Fatalf("unlink: %d %v", n, err)
		}
		if _, err := s.Unlink(ctx, "nobody"); apperr.Code(err) != apperr.ENOTFOUND {
			t.Fatalf("unlink nobody: %v", err)
		}
		if err := f.DB.SetIDNumber(ctx, demo.Ward, "cv.so", id.IDNumber); err != nil {
			t.Fatal(err)
		}
		if u, _ := f.DB.UnitUser(ctx, demo.Ward, "cv.so"); u == nil || u.IDNumber != id.IDNumber {
			t.Fatalf("officer's number: %+v", u)
		}
		got, err := s.SignIn(ctx, id)
		if err != nil || got.ID != cv.ID {
			t.Fatalf("officer's sign-in after the repair: %+v %v", got, err)
		}
		// A new officer with a number taken is refused, nothing made.
		dup := auth.User{Username: "cv.dup", Role: auth.RoleCounter, UnitCode: demo.Ward, IDNumber: id.IDNumber}
		if err := f.DB.CreateUnitUser(ctx, &dup, "pw-long-enough"); apperr.Code(err) != apperr.EINVALID {
			t.Fatalf("new officer with a taken number: %v", err)
		}
		if err := f.DB.SetIDNumber(ctx, "", "cv.so", ""); err != nil {
			t.Fatal(err)
		}
		if u, _ := f.DB.UserByName(ctx, "cv.so"); u.IDNumber != "" {
			t.Fatalf("cleared: %q", u.IDNumber)
		}
	})
}

// TestIdentitySignInConcurrent: two first sign-ins of the same person at
// once both end in the one account made.
func TestIdentitySignInConcurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		s := store.Identities{DB: f.DB}
		for round := 0; round < 20; round++ {
			id := identity.Identity{Issuer: "https://vneid.example.vn", Subject: fmt.Sprintf("sub-%d", round),
				IDNumber: fmt.Sprintf("0010900%05d", 70000+round), Name: "Trần Thị Bình"}
			var wg sync.WaitGroup
			var users [2]*auth.User
			var errs [2]error
			start := make(chan struct{})
			for i := range users {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					users[i], errs[i] = s.SignIn(ctx, id)
				}()
			}
			close(start)
			wg.Wait()
			if errs[0] != nil || errs[1] != nil || users[0].ID != users[1].ID {
				t.Fatalf("round %d: %v %v (%+v, %+v)", round, errs[0], errs[1], users[0], users[1])
			}
		}
	})
}
