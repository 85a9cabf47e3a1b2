package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/store/storetest"
)

// civilRegistrar adds one more civil registrar to the fixture's unit.
func civilRegistrar(t *testing.T, f *storetest.Fixture, username string) auth.Actor {
	t.Helper()
	u := auth.User{Username: username, FullName: "Đỗ Thị Ngân", Role: auth.RoleSpecialist, UnitCode: f.Users["hotich"].UnitCode, CivilRegistrar: true}
	if err := f.DB.CreateUser(context.Background(), &u, "x-test-password"); err != nil {
		t.Fatal(err)
	}
	return u.Actor()
}

// TestCivilVerifyNeedsEveryKey: double entry cannot be skipped. An empty
// blind entry (with every key "chosen") is refused naming the missing keys
// and showing no value of the record; a choice for a field that does not
// differ is refused; the differences answer is logged as a read; whoever
// entered or edited the record may not verify it; on both engines.
func TestCivilVerifyNeedsEveryKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx, svc := context.Background(), f.Civil()
		reg, ver := civilActors(t, f)
		third := civilRegistrar(t, f, "hotich3")
		book := civilBook(t, svc, reg, civil.KindBirth, 1991, "01")
		r := birthRecord(book.ID, "Hà Văn Khải", "1991-02-03", "Lương Thị Bích", "8")
		if err := svc.Enter(ctx, reg, r); err != nil {
			t.Fatal(err)
		}
		all := map[string]string{}
		for _, k := range civil.KeyFields(r) {
			all[k] = civil.KeepRecord
		}
		_, diffs, err := svc.Verify(ctx, ver, r.ID, map[string]string{}, all)
		msg := err.Error()
		if e := apperr.As(err); e != nil {
			msg += e.Message + e.MessageEn
		}
		if apperr.Code(err) != apperr.EINVALID || diffs != nil || !strings.Contains(msg, "child.full_name") || strings.Contains(msg, "Khải") {
			t.Fatalf("an empty blind entry: %v %+v", err, diffs)
		}
		blind := map[string]string{"page": "12", "entry": "8", "registered_on": "1975-03", "child.full_name": "Hà Văn Khải", "child.sex": "male",
			"child.birth_date": "03/02/1991", "child.id_number": "-", "mother.full_name": "Lương Thị Bích", "mother.sex": "-",
			"mother.birth_date": "1950", "mother.id_number": ""}
		if _, _, err := svc.Verify(ctx, ver, r.ID, blind, nil); apperr.Code(err) != apperr.EINVALID || !strings.Contains(err.Error(), "mother.id_number") {
			t.Fatalf("one key left empty: %v", err)
		}
		blind["mother.id_number"], blind["child.full_name"] = "-", "Hà Văn Khai"
		if _, _, err := svc.Verify(ctx, ver, r.ID, blind, map[string]string{"child.full_name": civil.KeepRecord, "entry": civil.KeepRecord}); apperr.Code(err) != apperr.EINVALID {
			t.Fatalf("a choice for a field that does not differ: %v", err)
		}
		_, diffs, err = svc.Verify(ctx, ver, r.ID, blind, nil)
		if err != nil || len(diffs) != 1 || diffs[0].Record != "Hà Văn Khải" {
			t.Fatalf("differences %+v %v", diffs, err)
		}
		reads, _, err := svc.Reads(ctx, f.Actors["lanhdao"], 10, 0)
		if err != nil || len(reads) == 0 || reads[0].RecordID != r.ID || reads[0].Reason != civil.ReasonVerify || reads[0].Username != ver.Username {
			t.Fatalf("the differences are a read: %+v %v", reads, err)
		}
		// A colleague's edit keeps who entered it; both are typists now.
		in := *r
		in.Page = "13"
		ed, err := svc.Edit(ctx, ver, r.ID, in)
		if err != nil || ed.EnteredBy != reg.Username {
			t.Fatalf("edit %+v %v", ed, err)
		}
		blind["page"], blind["child.full_name"] = "13", "Hà Văn Khải"
		for _, a := range []auth.Actor{reg, ver} {
			if _, _, err := svc.Verify(ctx, a, r.ID, blind, nil); apperr.Code(err) != apperr.EFORBIDDEN {
				t.Fatalf("%s typed it and verifies: %v", a.Username, err)
			}
		}
		rec, diffs, err := svc.Verify(ctx, third, r.ID, blind, nil)
		if err != nil || len(diffs) != 0 || rec.Status != civil.StatusVerified || rec.VerifiedBy != third.Username {
			t.Fatalf("a third officer verifies: %+v %+v %v", rec, diffs, err)
		}
	})
}
