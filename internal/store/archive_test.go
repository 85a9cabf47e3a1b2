package store_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestArchiveFinished fills a database with dossiers in every state over
// some weeks and archives those that ended before a cut-off in small
// batches: exactly those move (with their units, history and files), each is
// still read by code and by the public look-up with the same content, their
// chains verify in the archive, the roll-ups are the same to the byte, a
// second run moves nothing, and no action changes an archived dossier.
func TestArchiveFinished(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		f, raw := fixture(t, engine)
		g := newDataset(t, f, 11)
		if err := g.run(ctx, 40, 1500); err != nil {
			t.Fatal(err)
		}
		cutoff := f.Clock.Now().Add(-3 * 24 * time.Hour)
		dossiers := store.Dossiers{DB: f.DB}
		want, kept := map[string]*dossier.Dossier{}, 0
		last := g.codes[len(g.codes)-1] // the newest stays whatever its state
		for _, code := range g.codes {
			d, err := dossiers.Get(ctx, code)
			if err != nil {
				t.Fatal(err)
			}
			if endedBefore(d, cutoff) && code != last {
				want[code] = d
			} else {
				kept++
			}
		}
		if len(want) < 4 || kept == 0 {
			t.Fatalf("dataset: %d to archive and %d to keep; the test needs both", len(want), kept)
		}
		var withFiles *dossier.Dossier
		for _, d := range want {
			withFiles = d
			break
		}
		files := []store.AttachmentRef{pending(t, f, "canbo", sumA), pending(t, f, "canbo", sumB)}
		if err := f.DB.BindAttachments(ctx, withFiles.ID, "canbo", files); err != nil {
			t.Fatal(err)
		}
		rollups := dumpRollups(t, raw)

		rep, err := f.DB.ArchiveFinished(ctx, cutoff, 3)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Dossiers != len(want) || rep.Attachments != 2 || rep.Batches != (len(want)+2)/3 {
			t.Errorf("report %+v, want %d dossiers, 2 files, %d batches", rep, len(want), (len(want)+2)/3)
		}
		if live, archived := count(t, raw, "dossiers"), count(t, raw, "dossiers_archive"); live != kept || archived != len(want) {
			t.Errorf("after the move: %d live and %d archived, want %d and %d", live, archived, kept, len(want))
		}
		for _, table := range []string{"dossier_units", "dossier_events", "attachments"} {
			if n := count(t, raw, table+" WHERE dossier_id NOT IN (SELECT id FROM dossiers)"); n != 0 {
				t.Errorf("%d rows of %s left behind by archived dossiers", n, table)
			}
		}
		if got := dumpRollups(t, raw); got != rollups {
			t.Error("the roll-ups changed when dossiers moved to the archive")
		}
		audit, err := f.DB.VerifyAudit(ctx)
		if err != nil || audit.Broken != 0 || audit.Archived != len(want) || audit.Checked != len(g.codes) {
			t.Errorf("audit after the move: %+v %v, want %d checked, %d archived, none broken", audit, err, len(g.codes), len(want))
		}

		for code, before := range want {
			after, err := dossiers.Get(ctx, code)
			if err != nil {
				t.Fatalf("%s by code after the move: %v", code, err)
			}
			if !after.Archived {
				t.Errorf("%s is not marked archived", code)
			}
			after.Archived = false
			if a, b := jsonOf(t, after), jsonOf(t, before); a != b || !sameStrings(after.Units, before.Units) {
				t.Errorf("%s reads differently from the archive:\n%s\nwant\n%s", code, a, b)
			}
			found, err := f.Svc.Lookup(ctx, code, before.Applicant.IDNumber)
			if err != nil || !found.Archived || found.Code != code || len(found.History) != len(before.History) {
				t.Errorf("public look-up of archived %s: %v", code, err)
			}
		}
		if as, err := f.DB.DossierAttachments(ctx, withFiles.ID); err != nil || len(as) != 2 || as[0].SHA256 != sumA {
			t.Errorf("files of an archived dossier: %+v %v", as, err)
		}
		pending(t, f, "canbo", sumA) // a later upload of the same file, never sent
		if orphans, err := f.DB.PurgePendingAttachments(ctx, f.Clock.Now().Add(time.Hour)); err != nil || len(orphans) != 0 {
			t.Errorf("the purge of pending uploads freed %v (%v): archived files are still named", orphans, err)
		}

		again, err := f.DB.ArchiveFinished(ctx, cutoff, 3)
		if err != nil || again != (store.ArchiveReport{}) {
			t.Errorf("second run: %+v %v, want nothing moved", again, err)
		}

		code := withFiles.Code
		_, err = f.Svc.Act(ctx, f.Actors["canbo"], code, dossier.ActionRequest{Action: dossier.ActReturnResult})
		if e := apperr.As(err); e == nil || e.Code != apperr.ECONFLICT || !strings.Contains(e.Message, "đã lưu trữ") {
			t.Errorf("action on an archived dossier: %v, want a conflict saying it is archived", err)
		}
		_, err = f.Svc.Act(ctx, f.Actors["canbo.ngocha"], code, dossier.ActionRequest{Action: dossier.ActReturnResult})
		if apperr.Code(err) != apperr.ENOTFOUND {
			t.Errorf("action by an officer of another unit: %v, want not found (codes are not probed)", err)
		}
		if n := count(t, raw, fmt.Sprintf("dossier_events_archive WHERE dossier_id = %d", withFiles.ID)); n != len(withFiles.History) {
			t.Errorf("a refused action wrote to the archived history: %d events, want %d", n, len(withFiles.History))
		}
	})
}

// endedBefore is the archive's rule, written again from the domain: ended
// (refused, withdrawn, stopped or returned) before t.
func endedBefore(d *dossier.Dossier, t time.Time) bool {
	switch d.Status {
	case dossier.StatusRefused, dossier.StatusWithdrawn, dossier.StatusStopped:
		return d.FinishedAt.Before(t)
	case dossier.StatusReturned:
		return d.ReturnedAt.Before(t)
	}
	return false
}

func count(t *testing.T, raw *sql.DB, from string) int {
	t.Helper()
	var n int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM ` + from).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// dumpRollups prints every roll-up and sum row in key order.
func dumpRollups(t *testing.T, raw *sql.DB) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{`SELECT * FROM rollups ORDER BY unit_code, day, procedure_code, channel`,
		`SELECT * FROM rollup_sums ORDER BY unit_code, grain, period, procedure_code, below, slot`} {
		rows, err := raw.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%v\n", vals)
		}
		rows.Close()
	}
	if b.Len() == 0 {
		t.Fatal("no roll-ups to compare")
	}
	return b.String()
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func sameStrings(a, b []string) bool { return strings.Join(a, ",") == strings.Join(b, ",") }

// archiveSome gives a file to the first dossier that ended before cutoff
// and archives every dossier that did, so that a dataset fills the
// archive's tables as well; it returns the codes of the archived ones.
func (g *dataset) archiveSome(t *testing.T, ctx context.Context, cutoff time.Time) []string {
	t.Helper()
	for _, code := range g.codes {
		d, err := store.Dossiers{DB: g.f.DB}.Get(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		if !endedBefore(d, cutoff) || d.Archived {
			continue
		}
		info, err := g.files.Put(ctx, strings.NewReader("%PDF-1.4 kết quả đã lưu trữ"), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		a := store.Attachment{Component: "Tờ khai", FileName: "luu-tru.pdf", ContentType: "application/pdf", Size: info.Size, SHA256: info.SHA256, UploadedBy: "canbo"}
		if err := g.f.DB.AddPendingAttachment(ctx, &a); err != nil {
			t.Fatal(err)
		}
		if err := g.f.DB.BindAttachments(ctx, d.ID, "canbo", []store.AttachmentRef{{ID: a.ID, SHA256: a.SHA256}}); err != nil {
			t.Fatal(err)
		}
		break
	}
	rep, err := g.f.DB.ArchiveFinished(ctx, cutoff, 0)
	if err != nil || rep.Dossiers == 0 || rep.Attachments == 0 {
		t.Fatalf("archive: %+v %v", rep, err)
	}
	var archived []string
	for _, code := range g.codes {
		if d, err := (store.Dossiers{DB: g.f.DB}).Brief(ctx, code); err != nil {
			t.Fatal(err)
		} else if d.Archived {
			archived = append(archived, code)
		}
	}
	return archived
}
