package store_test

import (
	"context"
	"testing"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/civil"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/outbox"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// finishDossier walks a dossier along its procedure until its result is
// ready, each step by whoever may take it.
func finishDossier(t *testing.T, f *storetest.Fixture, code string) *dossier.Dossier {
	t.Helper()
	ctx := context.Background()
	for range 10 {
		for _, who := range []string{"canbo", "chuyenvien", "lanhdao"} {
			for _, act := range []string{dossier.ActFinish, dossier.ActApprove, dossier.ActForward} {
				d, err := f.Svc.Act(ctx, f.Actors[who], code, dossier.ActionRequest{Action: act})
				if err == nil && d.Status == dossier.StatusDone {
					return d
				}
			}
		}
	}
	t.Fatalf("dossier %s never finished", code)
	return nil
}

// TestCivilFromDossier: a finished birth dossier creates its draft record
// in the ward's electronic birth book of the year, pre-filled from the
// dossier, in the dossier's own transaction and once only; another
// procedure creates nothing; on both engines.
func TestCivilFromDossier(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx, svc := context.Background(), f.Civil()
		d, err := f.Svc.Submit(ctx, f.Actors["canbo"], dossier.SubmitRequest{ProcedureCode: "1.001193", Components: demo.Required("1.001193"),
			Channel: dossier.ChannelCounter, OnBehalf: true, Applicant: dossier.Applicant{Name: "Vũ Thị Thu", IDNumber: "001190012345", Address: "Số 3 Đội Cấn"},
			Subject: &dossier.Subject{Kind: "person", Name: "Lê Minh Khôi", BirthDate: "2026-02-20", Relation: "con"}})
		if err != nil {
			t.Fatal(err)
		}
		d = finishDossier(t, f, d.Code)
		hits, n, err := svc.Search(ctx, f.Actors["hotich"], civil.Query{Q: "khoi le"})
		if err != nil || n != 1 {
			t.Fatalf("record of the dossier: %d %v", n, err)
		}
		r, err := svc.Store.Get(ctx, hits[0].Record.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != civil.StatusDraft || r.Source != civil.SourceDossier || r.DossierCode != d.Code || r.Kind != civil.KindBirth ||
			r.People[0].BirthDate != "2026-02-20" || r.Declarant.Name != "Vũ Thị Thu" || r.Declarant.Relation != "cha/mẹ" {
			t.Fatalf("draft %+v", r)
		}
		books, _ := svc.Books(ctx, f.Actors["hotich"], civil.KindBirth, 2026)
		if len(books) != 1 || books[0].Origin != civil.OriginElectronic || books[0].Entered != 0 {
			t.Fatalf("books %+v", books)
		}
		// Returning the result passes status 9 again: nothing more.
		if _, err := f.Svc.Act(ctx, f.Actors["canbo"], d.Code, dossier.ActionRequest{Action: dossier.ActReturnResult}); err != nil {
			t.Fatal(err)
		}
		var count int
		raw := rawDB(t, engine, f.DSN)
		if err := raw.QueryRow(`SELECT COUNT(*) FROM civil_records`).Scan(&count); err != nil || count != 1 {
			t.Fatalf("records %d %v", count, err)
		}
		// The registrar completes the draft: it is entered.
		in := *r
		in.Page, in.Entry, in.People[0].Sex = "1", "1", "male"
		done, err := svc.Edit(ctx, f.Actors["hotich"], r.ID, in)
		if err != nil || done.Status != civil.StatusEntered || len(done.Events) != 2 {
			t.Fatalf("completed %+v %v", done, err)
		}
		// A row edited behind the chain is found by the audit.
		if res, err := f.DB.VerifyAudit(ctx); err != nil || res.Broken != 0 || res.Civil != 1 {
			t.Fatalf("audit before: %+v %v", res, err)
		}
		mustExec(t, raw, engine, `UPDATE civil_people SET full_name = 'Lê Minh Khải' WHERE record_id = ?`, r.ID)
		if res, err := f.DB.VerifyAudit(ctx); err != nil || res.Broken != 1 || res.CivilContent != 1 || res.FirstBroken != civil.ChainName(r.ID) {
			t.Fatalf("audit after an edit: %+v %v", res, err)
		}
	})
}

// TestCivilFromDossierRollsBack: when the dossier's change fails after
// the record was made, the record goes with it; on both engines.
func TestCivilFromDossierRollsBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		d, err := f.Svc.Submit(ctx, f.Actors["canbo"], dossier.SubmitRequest{ProcedureCode: "1.000656", Components: demo.Required("1.000656"),
			Channel: dossier.ChannelCounter, Applicant: dossier.Applicant{Name: "Vũ Thị Thu", IDNumber: "001190012345"}})
		if err != nil {
			t.Fatal(err)
		}
		fail := apperr.Invalid("test", "lỗi thử", "test failure")
		f.DB.AddProducer(func(ctx context.Context, tx *store.Tx, d *dossier.Dossier, ev *dossier.Event) ([]outbox.Message, error) {
			if ev.ToStatus == dossier.StatusDone {
				return nil, fail
			}
			return nil, nil
		})
		for range 10 {
			for _, who := range []string{"canbo", "chuyenvien", "lanhdao"} {
				for _, act := range []string{dossier.ActFinish, dossier.ActApprove, dossier.ActForward} {
					_, _ = f.Svc.Act(ctx, f.Actors[who], d.Code, dossier.ActionRequest{Action: act})
				}
			}
		}
		got, err := f.Svc.Store.Get(ctx, d.Code)
		if err != nil || got.Status == dossier.StatusDone {
			t.Fatalf("the dossier finished: %+v %v", got, err)
		}
		var count int
		if err := rawDB(t, engine, f.DSN).QueryRow(`SELECT COUNT(*) FROM civil_records`).Scan(&count); err != nil || count != 0 {
			t.Fatalf("records %d %v", count, err)
		}
	})
}
