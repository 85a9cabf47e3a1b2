package store_test

import (
	"context"
	"database/sql"
	"maps"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// walletProc is the demo procedure the citizen files online.
const walletProc = "1.001193"

// onlineWithPaper has the citizen file walletProc online with a file
// (checksum sum) for its first required component, and returns the dossier
// and the file's attachment id.
func onlineWithPaper(t *testing.T, f *storetest.Fixture, by auth.Actor, sum string, reuse ...dossier.ReuseRequest) (*dossier.Dossier, int64) {
	t.Helper()
	ctx := context.Background()
	d, err := f.Svc.Submit(ctx, by, dossier.SubmitRequest{ProcedureCode: walletProc, UnitCode: demo.Ward, Channel: dossier.ChannelOnline,
		Components: demo.Required(walletProc), Reuse: reuse, ReuseConsent: len(reuse) > 0,
		Applicant: dossier.Applicant{Name: by.FullName, IDNumber: "001190012345", Phone: "0912345678"}})
	if err != nil {
		t.Fatal(err)
	}
	if sum == "" {
		return d, 0
	}
	a := store.Attachment{Component: demo.Required(walletProc)[0], FileName: "giấy khai sinh.pdf", ContentType: "application/pdf", Size: 10, SHA256: sum, UploadedBy: by.Username}
	if err := f.DB.AddPendingAttachment(ctx, &a); err != nil {
		t.Fatal(err)
	}
	if err := f.DB.BindAttachments(ctx, d.ID, by.Username, []store.AttachmentRef{{ID: a.ID, SHA256: sum}}); err != nil {
		t.Fatal(err)
	}
	return d, a.ID
}

// walletRows counts the rows a submission writes.
func walletRows(t *testing.T, raw *sql.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"dossiers", "attachments", "dossier_reuses", "dossier_events", "dossier_counters", "rollups"} {
		out[table] = count(t, raw, table)
	}
	out["counter"] = count(t, raw, "dossier_counters WHERE last > 1")
	return out
}

// TestWalletReuse files a dossier re-using a paper of an earlier one: the
// new dossier names the same file (no copy), the re-use is recorded with
// its history, and indicator 4.3's roll-up counts it once received, equal
// to a recount. A paper of someone else, or an id naming nothing, is
// refused with nothing written, also when the store is asked directly.
func TestWalletReuse(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f, raw := fixture(t, engine)
		ctx := context.Background()
		citizen, counter := f.Actors["congdan"], f.Actors["canbo"]
		first, paper := onlineWithPaper(t, f, citizen, sumA)
		// A paper of a counter dossier: nobody's wallet.
		other, err := f.Svc.Submit(ctx, counter, dossier.SubmitRequest{ProcedureCode: walletProc, Components: demo.Required(walletProc), Channel: dossier.ChannelCounter,
			Applicant: dossier.Applicant{Name: "Lý Văn Phúc", IDNumber: "001090012345"}})
		if err != nil {
			t.Fatal(err)
		}
		ref := pending(t, f, "canbo", sumB)
		if err := f.DB.BindAttachments(ctx, other.ID, "canbo", []store.AttachmentRef{ref}); err != nil {
			t.Fatal(err)
		}

		papers, err := f.Svc.Wallet(ctx, citizen)
		if err != nil || len(papers) != 1 || papers[0].ID != paper || papers[0].DossierCode != first.Code || papers[0].Kind != dossier.PaperAttachment {
			t.Fatalf("wallet: %+v, %v", papers, err)
		}
		if _, err := f.Svc.Wallet(ctx, counter); apperr.Code(err) != apperr.EFORBIDDEN {
			t.Fatalf("an officer's wallet: %v", err)
		}

		comp := demo.Required(walletProc)[0]
		before := walletRows(t, raw)
		for _, id := range []int64{ref.ID, 999999} {
			_, err := f.Svc.Submit(ctx, citizen, dossier.SubmitRequest{ProcedureCode: walletProc, UnitCode: demo.Ward, Channel: dossier.ChannelOnline,
				Components: demo.Required(walletProc), Reuse: []dossier.ReuseRequest{{Component: comp, DocumentID: id}}, ReuseConsent: true,
				Applicant: dossier.Applicant{Name: citizen.FullName, IDNumber: "001190012345"}})
			if apperr.Code(err) != apperr.EINVALID || !strings.Contains(err.Error(), "không thuộc") {
				t.Fatalf("forged paper %d: %v", id, err)
			}
		}
		// The store checks again in the transaction: a dossier whose
		// re-used paper is someone else's is not written at all.
		forged := *first
		forged.ID, forged.Code, forged.Reused = 0, "", []dossier.ReusedPaper{{Component: comp, DocumentID: ref.ID, Kind: dossier.PaperAttachment}}
		ev := dossier.Event{Action: dossier.ActSubmit, Actor: citizen.Username, At: forged.SubmittedAt, ToStatus: forged.Status}
		err = store.Dossiers{DB: f.DB}.Create(ctx, &forged, "H26.1", dossier.Change{Event: ev, Counts: map[string]int64{stats.Submitted: 1}})
		if err != dossier.ErrNotYourPaper {
			t.Fatalf("store create with a forged paper: %v", err)
		}
		if after := walletRows(t, raw); !maps.Equal(after, before) {
			t.Fatalf("a refused re-use wrote rows: %v, then %v", before, after)
		}

		// Without the applicant's consent a re-use is refused, nothing written.
		_, err = f.Svc.Submit(ctx, citizen, dossier.SubmitRequest{ProcedureCode: walletProc, UnitCode: demo.Ward, Channel: dossier.ChannelOnline,
			Components: demo.Required(walletProc), Reuse: []dossier.ReuseRequest{{Component: comp, DocumentID: paper}},
			Applicant: dossier.Applicant{Name: citizen.FullName, IDNumber: "001190012345"}})
		if e := apperr.As(err); e == nil || e.Code != apperr.EINVALID || e.Field != "reuse_consent" || !strings.HasPrefix(e.Message, "Cần sự đồng ý của người nộp") {
			t.Fatalf("a re-use without consent: %v", err)
		}
		if after := walletRows(t, raw); !maps.Equal(after, before) {
			t.Fatalf("a re-use without consent wrote rows: %v, then %v", before, after)
		}

		second, _ := onlineWithPaper(t, f, citizen, "", dossier.ReuseRequest{Component: comp, DocumentID: paper})
		got, err := f.Svc.Get(ctx, citizen, second.Code)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Reused) != 1 || got.Reused[0].DocumentID != paper || got.Reused[0].FromCode != first.Code || got.Reused[0].FileName != "giấy khai sinh.pdf" {
			t.Fatalf("reused: %+v", got.Reused)
		}
		if note := got.History[0].Note; !strings.Contains(note, "Dùng lại giấy tờ đã nộp, người nộp đã đồng ý") || !strings.Contains(note, first.Code) {
			t.Fatalf("history: %q", note)
		}
		files, err := f.DB.DossierAttachments(ctx, second.ID)
		if err != nil || len(files) != 1 || files[0].SHA256 != sumA || files[0].Component != comp || files[0].ID == paper {
			t.Fatalf("the new dossier's files: %+v, %v", files, err)
		}
		reuses, err := f.DB.DossierReuses(ctx, second.ID)
		if err != nil || len(reuses) != 1 || reuses[0].SourceDossierID != first.ID || reuses[0].DocumentID != paper ||
			reuses[0].AttachmentID != files[0].ID || reuses[0].Kind != dossier.PaperAttachment || reuses[0].At != second.SubmittedAt.UnixMicro() ||
			reuses[0].ConsentAt != second.SubmittedAt.UnixMicro() {
			t.Fatalf("recorded re-use: %+v, %v", reuses, err)
		}
		// The wallet now holds both copies of the file, newest first.
		if papers, _ := f.Svc.Wallet(ctx, citizen); len(papers) != 2 || papers[0].DossierCode != second.Code {
			t.Fatalf("wallet after the re-use: %+v", papers)
		}

		// Received, both count in 4.3's denominator (not the counter's
		// dossier: only online ones may re-use), the second in its numerator; the roll-ups and their sums equal a recount.
		for _, d := range []*dossier.Dossier{first, second} {
			if _, err := f.Svc.Act(ctx, counter, d.Code, dossier.ActionRequest{Action: dossier.ActReceive}); err != nil {
				t.Fatal(err)
			}
		}
		if err := storetest.RollupsMatchRecount(ctx, f.DB); err != nil {
			t.Fatal(err)
		}
		if err := storetest.SumsMatchRebuild(ctx, f.DB); err != nil {
			t.Fatal(err)
		}
		day := stats.Day(f.Clock.Now())
		if err := storetest.IndexMatchesRecount(ctx, f.DB, demo.Ward, day, day); err != nil {
			t.Fatal(err)
		}
		res, err := f.DB.Index(ctx, []string{demo.Ward}, day, day)
		if err != nil {
			t.Fatal(err)
		}
		if s := score(t, res[demo.Ward], "4.3"); s.Numerator != 1 || s.Denominator != 2 || s.Source != "computed" {
			t.Fatalf("4.3: %+v", s)
		}
	})
}
