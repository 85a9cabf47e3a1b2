package store_test

import (
	"context"
	"testing"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestUnitUsers checks that an administrator's changes reach the officers
// of the given unit only, and what each change does to sessions.
func TestUnitUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		db := f.DB
		users, err := db.UnitUsers(ctx, demo.Ward)
		if err != nil || len(users) != 5 {
			t.Fatalf("ward officers: %d, %v", len(users), err)
		}
		for _, u := range users {
			if u.PasswordHash != "" || u.Role == auth.RoleApplicant || u.UnitCode != demo.Ward {
				t.Errorf("listed %+v", u)
			}
		}
		// Another unit's officer is out of reach, whatever the change.
		for name, err := range map[string]error{
			"role":     db.SetUserRole(ctx, demo.Ward, "canbo.ngocha", auth.RoleLeader, "", false),
			"disable":  db.SetUserDisabled(ctx, demo.Ward, "canbo.ngocha", true),
			"password": db.ResetPassword(ctx, demo.Ward, "canbo.ngocha", "mật-khẩu-mới"),
			"citizen":  db.SetUserDisabled(ctx, demo.Ward, "congdan", true),
		} {
			if apperr.Code(err) != apperr.ENOTFOUND {
				t.Errorf("%s of an officer outside the unit: %v", name, err)
			}
		}
		if _, err := db.UnitUser(ctx, demo.Ward, "canbo.ngocha"); apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("another unit's officer: %v", err)
		}
		if u, _ := db.UserByName(ctx, "canbo.ngocha"); u.Disabled || u.Role != auth.RoleCounter {
			t.Fatalf("the other unit's officer changed: %+v", u)
		}

		u := auth.User{Username: "thuha", FullName: "Nguyễn Thu Hà", Role: auth.RoleSpecialist, UnitCode: demo.Ward, Department: "KT"}
		if err := db.CreateUnitUser(ctx, &u, "mật-khẩu-dài"); err != nil {
			t.Fatal(err)
		}
		bad := auth.User{Username: "x1", Role: auth.RoleApplicant, UnitCode: demo.Ward}
		if err := db.CreateUnitUser(ctx, &bad, "mật-khẩu-dài"); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("an applicant made by an administrator: %v", err)
		}
		bad = auth.User{Username: "x2", Role: auth.RoleSpecialist, UnitCode: demo.Ward, Department: "KHONG-CO"}
		if err := db.CreateUnitUser(ctx, &bad, "mật-khẩu-dài"); apperr.Code(err) != apperr.EINVALID {
			t.Errorf("an unknown department: %v", err)
		}
		if err := db.SetUserRole(ctx, demo.Ward, "thuha", auth.RoleLeader, "LD", false); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.UnitUser(ctx, demo.Ward, "thuha"); got.Role != auth.RoleLeader || got.Department != "LD" {
			t.Fatalf("role change: %+v", got)
		}

		session, _ := db.CreateToken(ctx, u.ID, store.TokenSession, 0)
		if err := db.ResetPassword(ctx, demo.Ward, "thuha", "mật-khẩu-mới"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UserByToken(ctx, session, store.TokenSession); apperr.Code(err) != apperr.EUNAUTHORIZED {
			t.Errorf("the session outlived the password reset: %v", err)
		}
		if _, err := db.Authenticate(ctx, "thuha", "mật-khẩu-mới"); err != nil {
			t.Errorf("sign in with the new password: %v", err)
		}
		if err := db.SetUserDisabled(ctx, demo.Ward, "thuha", true); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Authenticate(ctx, "thuha", "mật-khẩu-mới"); err == nil {
			t.Error("a disabled officer signed in")
		}
		if err := db.SetUserDisabled(ctx, demo.Ward, "thuha", false); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Authenticate(ctx, "thuha", "mật-khẩu-mới"); err != nil {
			t.Errorf("sign in after enabling: %v", err)
		}
	})
}
