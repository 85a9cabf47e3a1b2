package store_test

import (
	"context"
	"strconv"
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

// TestCivilSearchNeedsCriteria: a search without a criterion (the kind
// alone is none) is refused; hits carry the summary only (no ID number,
// residence or parents' details); the search's log names the records it
// showed, and listing the duplicates is logged as a read; on both engines.
func TestCivilSearchNeedsCriteria(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx, svc := context.Background(), f.Civil()
		reg, _ := civilActors(t, f)
		book := civilBook(t, svc, reg, civil.KindBirth, 1993, "01")
		r := birthRecord(book.ID, "Mai Thị Thu", "1993-04-05", "Đinh Thị Yến", "3")
		r.People[0].IDNumber, r.People[0].Residence, r.People[0].Sex = "001193012345", "Số 5 ngõ Hòe", "female"
		if err := svc.Enter(ctx, reg, r); err != nil {
			t.Fatal(err)
		}
		for _, q := range []civil.Query{{}, {Kind: civil.KindBirth}, {BookID: book.ID}, {Entry: "3"}} {
			if _, _, err := svc.Search(ctx, reg, q); apperr.Code(err) != apperr.EINVALID {
				t.Fatalf("search %+v without a criterion: %v", q, err)
			}
		}
		if hits, n, err := svc.Search(ctx, reg, civil.Query{BookID: book.ID, Entry: "3"}); err != nil || n != 1 || len(hits) != 1 {
			t.Fatalf("book and entry: %v %d %v", hits, n, err)
		}
		hits, n, err := svc.Search(ctx, reg, civil.Query{Parent: "yen"})
		if err != nil || n != 1 || len(hits) != 1 {
			t.Fatalf("search %+v %d %v", hits, n, err)
		}
		h := hits[0]
		s := h.Summary()
		if s.RecordID != r.ID || s.PrincipalName != "Mai Thị Thu" || s.MatchedBirthDate != "1993-04-05" || s.Entry != "3" {
			t.Fatalf("summary %+v", s)
		}
		for _, p := range h.Record.People {
			if p.IDNumber != "" || p.Residence != "" || p.Role == civil.RoleMother {
				t.Fatalf("a hit holds the people's details: %+v", h.Record.People)
			}
		}
		if _, _, err := svc.Duplicates(ctx, reg, "", 10, 0); err != nil {
			t.Fatal(err)
		}
		enter2 := birthRecord(book.ID, "Mai Thi Thu", "1993-04-05", "", "4")
		if err := svc.Enter(ctx, reg, enter2); err != nil {
			t.Fatal(err)
		}
		if dups, _, err := svc.Duplicates(ctx, reg, "", 10, 0); err != nil || len(dups) != 1 {
			t.Fatalf("dups %+v %v", dups, err)
		}
		reads, _, err := svc.Reads(ctx, f.Actors["lanhdao"], 10, 0)
		if err != nil || len(reads) != 3 || reads[0].Reason != civil.ReasonDuplicates || !strings.Contains(reads[0].Note, "["+itoa(r.ID)+","+itoa(enter2.ID)+"]") ||
			reads[2].Reason != civil.ReasonSearch || !strings.Contains(reads[2].Note, "["+itoa(r.ID)+"]") {
			t.Fatalf("reads %+v %v", reads, err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestCivilMergeKeepsALiveRecord: three namesakes flag three pairs;
// merging one closes the merged record's other pairs as obsolete, so no
// chain of merges leaves the three without a live record; a pair whose
// kept record was merged is refused; on both engines.
func TestCivilMergeKeepsALiveRecord(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx, svc := context.Background(), f.Civil()
		reg, _ := civilActors(t, f)
		book := civilBook(t, svc, reg, civil.KindBirth, 2001, "01")
		var recs [3]*civil.Record
		for i := range recs {
			recs[i] = birthRecord(book.ID, "Trịnh Văn Hùng", "2001-05-06", "Lê Thị Na", itoa(int64(i+1)))
			if err := svc.Enter(ctx, reg, recs[i]); err != nil {
				t.Fatal(err)
			}
		}
		a, b, c := recs[0].ID, recs[1].ID, recs[2].ID
		pair := func(x, y int64) int64 {
			dups, _, err := svc.Duplicates(ctx, reg, "", 10, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range dups {
				if d.A == x && d.B == y {
					return d.ID
				}
			}
			t.Fatalf("no pair %d-%d in %+v", x, y, dups)
			return 0
		}
		ab, ac, bc := pair(a, b), pair(a, c), pair(b, c)
		// A merged into B; then, before the fix, B into C by (b,c) and C
		// into A by (a,c) left none live.
		if _, err := svc.Merge(ctx, reg, ab, b); err != nil {
			t.Fatal(err)
		}
		if d, _ := svc.Store.Duplicate(ctx, ac); d.Status != civil.DupObsolete {
			t.Fatalf("the merged record's other pair: %+v", d)
		}
		if _, err := svc.Merge(ctx, reg, ac, c); apperr.Code(err) != apperr.ECONFLICT {
			t.Fatalf("merging by an obsolete pair: %v", err)
		}
		// A pair reopened behind the service still cannot keep a merged record.
		raw := rawDB(t, engine, f.DSN)
		mustExec(t, raw, engine, `UPDATE civil_duplicates SET status = 'open' WHERE id = ?`, ac)
		if _, err := svc.Merge(ctx, reg, ac, a); apperr.Code(err) != apperr.ECONFLICT {
			t.Fatalf("keeping a merged record: %v", err)
		}
		if _, err := svc.Merge(ctx, reg, bc, c); err != nil {
			t.Fatal(err)
		}
		live := 0
		for _, id := range []int64{a, b, c} {
			r, err := svc.Store.Get(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != civil.StatusMerged {
				live++
			}
		}
		if live != 1 {
			t.Fatalf("%d live records of three namesakes", live)
		}
	})
}

// TestCivilScanKeepsItsHistory: each scan attached is told with the old
// and new checksums on the record's history; a verified record's scan is
// not replaced; on both engines.
func TestCivilScanKeepsItsHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx, svc := context.Background(), f.Civil()
		reg, ver := civilActors(t, f)
		book := civilBook(t, svc, reg, civil.KindBirth, 1994, "01")
		r := birthRecord(book.ID, "Cao Văn Lâm", "1994-07-08", "", "5")
		if err := svc.Enter(ctx, reg, r); err != nil {
			t.Fatal(err)
		}
		first, second := strings.Repeat("a", 64), strings.Repeat("b", 64)
		if _, err := svc.AttachScan(ctx, reg, r.ID, first); err != nil {
			t.Fatal(err)
		}
		rec, err := svc.AttachScan(ctx, reg, r.ID, second)
		if err != nil || rec.ScanSHA256 != second || !strings.Contains(rec.Events[len(rec.Events)-1].Note, "scan: "+first+" → "+second) {
			t.Fatalf("the replaced scan is not told: %+v %v", rec, err)
		}
		blind := map[string]string{"page": "12", "entry": "5", "registered_on": "1975-03", "child.full_name": "Cao Văn Lâm", "child.sex": "male",
			"child.birth_date": "1994-07-08", "child.id_number": "-"}
		if rec, diffs, err := svc.Verify(ctx, ver, r.ID, blind, nil); err != nil || rec == nil {
			t.Fatalf("verify %+v %v", diffs, err)
		}
		if _, err := svc.AttachScan(ctx, reg, r.ID, first); apperr.Code(err) != apperr.EINVALID {
			t.Fatalf("a verified record's scan replaced: %v", err)
		}
		if got, _ := svc.Store.Get(ctx, r.ID); got.ScanSHA256 != second {
			t.Fatalf("scan %q", got.ScanSHA256)
		}
	})
}

// TestCivilCorrectedNameFound: a correction's subject carries the new
// values, so a search by the corrected name finds the correction (which
// names the original), while the original's people stay as entered; on
// both engines.
func TestCivilCorrectedNameFound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx, svc := context.Background(), f.Civil()
		reg, _ := civilActors(t, f)
		book := civilBook(t, svc, reg, civil.KindBirth, 1995, "01")
		changes := civilBook(t, svc, reg, civil.KindChange, 2026, "01")
		r := birthRecord(book.ID, "Tô Thị Lụa", "1995-09-10", "Tô Thị Gấm", "2")
		if err := svc.Enter(ctx, reg, r); err != nil {
			t.Fatal(err)
		}
		corr, err := svc.Correct(ctx, reg, r.ID, civil.CorrectionRequest{BookID: changes.ID, Entry: "1", RegisteredOn: "2026-03-02",
			Changes: map[string]string{"child.full_name": "Tô Thị Ngọc Lụa", "child.birth_date": "1995-09-11"}})
		if err != nil || len(corr.People) != 1 || corr.People[0].FullName != "Tô Thị Ngọc Lụa" || corr.People[0].BirthDate != "1995-09-11" {
			t.Fatalf("correction %+v %v", corr, err)
		}
		hits, n, err := svc.Search(ctx, reg, civil.Query{Q: "ngoc lua"})
		if err != nil || n != 1 || hits[0].Record.ID != corr.ID || hits[0].Record.Kind != civil.KindChange {
			t.Fatalf("search by the new name: %+v %d %v", hits, n, err)
		}
		orig, err := svc.Store.Get(ctx, r.ID)
		if err != nil || orig.People[0].FullName != "Tô Thị Lụa" || orig.People[0].BirthDate != "1995-09-10" || len(orig.People) != 2 {
			t.Fatalf("the original's people: %+v %v", orig, err)
		}
		if _, n, _ := svc.Search(ctx, reg, civil.Query{Q: "to thi lua", BirthDate: "1995-09-10"}); n != 1 {
			t.Fatalf("the original by its own name: %d", n)
		}
	})
}

// TestCivilAuditStreamsContent: the audit's single ordered join finds
// each record edited behind its chain — a person removed, a value
// changed, a record without people — and passes the untouched ones; on
// both engines.
func TestCivilAuditStreamsContent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx, svc := context.Background(), f.Civil()
		reg, _ := civilActors(t, f)
		book := civilBook(t, svc, reg, civil.KindBirth, 1996, "01")
		var ids []int64
		for i, name := range []string{"Hồ Văn Một", "Hồ Văn Hai", "Hồ Văn Ba", "Hồ Văn Bốn"} {
			r := birthRecord(book.ID, name, "1996-01-0"+itoa(int64(i+1)), "Hồ Thị Mẹ", itoa(int64(i+1)))
			if err := svc.Enter(ctx, reg, r); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, r.ID)
		}
		if res, err := f.DB.VerifyAudit(ctx); err != nil || res.Broken != 0 || res.Civil != 4 || res.CivilContent != 0 {
			t.Fatalf("audit before: %+v %v", res, err)
		}
		raw := rawDB(t, engine, f.DSN)
		mustExec(t, raw, engine, `DELETE FROM civil_people WHERE record_id = ? AND position = 1`, ids[1])
		mustExec(t, raw, engine, `UPDATE civil_people SET residence = 'khác' WHERE record_id = ? AND position = 0`, ids[2])
		res, err := f.DB.VerifyAudit(ctx)
		if err != nil || res.Broken != 2 || res.CivilContent != 2 || res.FirstBroken != civil.ChainName(ids[1]) {
			t.Fatalf("audit after two edits: %+v %v", res, err)
		}
		mustExec(t, raw, engine, `DELETE FROM civil_people WHERE record_id = ?`, ids[3])
		if res, err := f.DB.VerifyAudit(ctx); err != nil || res.CivilContent != 3 {
			t.Fatalf("audit after a record lost its people: %+v %v", res, err)
		}
	})
}
