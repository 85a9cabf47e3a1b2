package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestCivilVerifyResolveCorrect: the enterer may not verify; a blind entry
// that differs verifies nothing and shows the differences; resolving each
// verifies, counting the record as digitised; a correction is a new
// record amending the original, which keeps its values and shows the
// corrected ones with the history; on both engines.
func TestCivilVerifyResolveCorrect(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx, svc := context.Background(), f.Civil()
		reg, ver := civilActors(t, f)
		book := civilBook(t, svc, reg, civil.KindBirth, 1990, "02")
		r := birthRecord(book.ID, "Lê Thị Hòa", "05/06/1990", "Phạm Thị Mai", "45")
		if err := svc.Enter(ctx, reg, r); err != nil {
			t.Fatal(err)
		}
		blind := map[string]string{"page": "12", "entry": "45", "registered_on": "1975-03", "child.full_name": "  lê  thị hoà",
			"child.sex": "male", "child.birth_date": "1990-06-05", "mother.full_name": "Phạm Thị Mai", "mother.sex": "-", "mother.birth_date": "1950",
			"child.id_number": "-", "mother.id_number": "-"}
		if _, _, err := svc.Verify(ctx, reg, r.ID, blind, nil); apperr.Code(err) != apperr.EFORBIDDEN {
			t.Fatalf("the enterer verifies: %v", err)
		}
		// Tone placement and case are no difference; "Mai" → "Mái" and a
		// different entry number are.
		blind["mother.full_name"], blind["entry"] = "Phạm Thị Mái", "46"
		rec, diffs, err := svc.Verify(ctx, ver, r.ID, blind, nil)
		if err != nil || rec != nil || len(diffs) != 2 || diffs[0].Field != "entry" || diffs[1].Field != "mother.full_name" {
			t.Fatalf("diffs %+v %v %v", diffs, rec, err)
		}
		if b, _ := svc.Book(ctx, reg, book.ID); b.Verified != 0 {
			t.Fatalf("verified on a mismatch: %+v", b)
		}
		if _, diffs, _ := svc.Verify(ctx, ver, r.ID, blind, map[string]string{"entry": civil.TakeBlind}); len(diffs) != 1 {
			t.Fatalf("half resolved: %+v", diffs)
		}
		rec, diffs, err = svc.Verify(ctx, ver, r.ID, blind, map[string]string{"entry": civil.TakeBlind, "mother.full_name": civil.KeepRecord})
		if err != nil || len(diffs) != 0 || rec.Status != civil.StatusVerified || rec.Entry != "46" || rec.People[1].FullName != "Phạm Thị Mai" ||
			rec.VerifiedBy != ver.Username || len(rec.Events) != 3 || rec.Events[1].Action != "resolve" || rec.Events[2].Action != "verify" {
			t.Fatalf("resolved %+v %+v %v", rec, diffs, err)
		}
		if b, _ := svc.Book(ctx, reg, book.ID); b.Verified != 1 || b.Entered != 1 {
			t.Fatalf("book after verification: %+v", b)
		}
		// A correction: a change book, a new record, the original untouched.
		changes := civilBook(t, svc, reg, civil.KindChange, 2026, "01")
		corr, err := svc.Correct(ctx, reg, r.ID, civil.CorrectionRequest{BookID: changes.ID, Entry: "7", RegisteredOn: "2026-03-02",
			Basis: "Giấy khai sinh bản chính", Changes: map[string]string{"child.full_name": "Lê Thị Hoà Bình"}})
		if err != nil || corr.Kind != civil.KindChange || corr.Amends != r.ID || len(corr.Changes) != 1 || corr.Changes[0].Old != "Lê Thị Hòa" {
			t.Fatalf("correction %+v %v", corr, err)
		}
		orig, err := svc.Get(ctx, reg, r.ID, civil.ReasonCorrection, "")
		if err != nil || orig.People[0].FullName != "Lê Thị Hòa" || len(orig.Corrections) != 1 || orig.Current().People[0].FullName != "Lê Thị Hoà Bình" ||
			len(orig.Events) != 4 || orig.Events[3].Action != "corrected" || dossier.VerifyChain(civil.ChainName(r.ID), orig.Events) != 0 {
			t.Fatalf("original after the correction: %+v %v", orig, err)
		}
		// Each event sealed the content of its moment: the resolved entry
		// number before the verification, the verified record after.
		if civil.NoteDigest(orig.Events[3].Note) != orig.Digest() || civil.NoteDigest(orig.Events[1].Note) == civil.NoteDigest(orig.Events[2].Note) ||
			!strings.Contains(orig.Events[1].Note, "entry: 45 → 46") {
			t.Fatalf("the events' digests: %+v", orig.Events)
		}
		if _, err := svc.Correct(ctx, reg, r.ID, civil.CorrectionRequest{BookID: changes.ID, Changes: map[string]string{"child.full_name": "Lê Thị Hoà Bình"}}); apperr.Code(err) != apperr.EINVALID {
			t.Fatalf("a correction changing nothing: %v", err)
		}
		if _, err := svc.Correct(ctx, f.Actors["canbo.ngocha"], r.ID, civil.CorrectionRequest{BookID: changes.ID}); apperr.Code(err) != apperr.EFORBIDDEN {
			t.Fatalf("another unit corrects: %v", err)
		}
	})
}

// TestCivilDuplicatesMerge flags likely duplicates at entry across the
// ways a name is typed (Nguyễn/Nguyen is not the same, tone placement and
// decomposed input are), lists them, and merges keeping both records and
// both histories; on both engines.
func TestCivilDuplicatesMerge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx, svc := context.Background(), f.Civil()
		reg, ver := civilActors(t, f)
		book := civilBook(t, svc, reg, civil.KindBirth, 2000, "01")
		enter := func(child, birth, mother, entry string) *civil.Record {
			r := birthRecord(book.ID, child, birth, mother, entry)
			if err := svc.Enter(ctx, reg, r); err != nil {
				t.Fatal(err)
			}
			return r
		}
		a := enter("Nguyễn Văn Đức", "2000-01-02", "Trần Thị Hoà", "1")
		b := enter("Nguyen Van Duc", "2000-01-02", "Tran Thi Hòa", "2")           // same after folding, same mother
		c := enter("Nguye\u0302\u0303n Văn Đực", "2000-01-02", "Lý Thị Lan", "3") // same fold, other mother
		d := enter("Nguyễn Văn Đúc", "2000-01-03", "Trần Thị Hoà", "4")           // another birth date: not flagged
		e := enter("Nguyễn Văn Đức Anh", "2000-01-02", "Lý Thị Lan", "5")         // four edits away: not flagged
		g := enter("Nguyễn Văn Dứt", "2000-01-02", "", "6")                       // one edit (duc → dut)
		_ = d
		_ = e
		dups, n, err := svc.Duplicates(ctx, reg, civil.DupOpen, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		got := map[[2]int64]string{}
		for _, x := range dups {
			got[[2]int64{x.A, x.B}] = x.Reason
		}
		want := map[[2]int64]string{{a.ID, b.ID}: civil.DupSameParent, {a.ID, c.ID}: civil.DupNameDate, {b.ID, c.ID}: civil.DupNameDate,
			{a.ID, g.ID}: civil.DupNearName, {b.ID, g.ID}: civil.DupNearName, {c.ID, g.ID}: civil.DupNearName}
		if n != len(want) || len(got) != len(want) {
			t.Fatalf("flags %v, want %v", got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Fatalf("pair %v: %q, want %q (all %v)", k, got[k], v, got)
			}
		}
		if dups[0].Reason != civil.DupSameParent || dups[0].NameA != "Nguyễn Văn Đức" {
			t.Fatalf("likeliest first: %+v", dups[0])
		}
		if _, err := svc.Merge(ctx, f.Actors["lanhdao"], dups[0].ID, a.ID); apperr.Code(err) != apperr.EFORBIDDEN {
			t.Fatalf("a leader merges: %v", err)
		}
		m, err := svc.Merge(ctx, reg, dups[0].ID, a.ID)
		if err != nil || m.Status != civil.DupMerged || m.DecidedBy != reg.Username {
			t.Fatalf("merge %+v %v", m, err)
		}
		if _, err := svc.Merge(ctx, ver, dups[0].ID, a.ID); apperr.Code(err) != apperr.ECONFLICT {
			t.Fatalf("merged twice: %v", err)
		}
		kept, _ := svc.Get(ctx, reg, a.ID, civil.ReasonCheck, "")
		gone, _ := svc.Get(ctx, reg, b.ID, civil.ReasonCheck, "")
		if gone.Status != civil.StatusMerged || gone.MergedInto != a.ID || len(gone.Events) != 2 || kept.Status != civil.StatusEntered ||
			len(kept.Events) != 2 || kept.Events[1].Action != "merged_from" {
			t.Fatalf("after merge: kept %+v, merged %+v", kept, gone)
		}
		if bk, _ := svc.Book(ctx, reg, book.ID); bk.Entered != 5 {
			t.Fatalf("a merged record leaves the counts: %+v", bk)
		}
		dis, err := svc.Dismiss(ctx, reg, dups[1].ID)
		if err != nil || dis.Status != civil.DupDismissed {
			t.Fatalf("dismiss %+v %v", dis, err)
		}
		if _, err := svc.Dismiss(ctx, f.Actors["canbo.ngocha"], dups[2].ID); apperr.Code(err) != apperr.ENOTFOUND {
			t.Fatalf("another unit dismisses: %v", err)
		}
	})
}
