package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

func pending(t *testing.T, f *storetest.Fixture, by, sum string) store.AttachmentRef {
	t.Helper()
	a := store.Attachment{Component: "Tờ khai", FileName: "tờ khai.pdf", ContentType: "application/pdf", Size: 10, SHA256: sum, UploadedBy: by}
	if err := f.DB.AddPendingAttachment(context.Background(), &a); err != nil {
		t.Fatal(err)
	}
	return store.AttachmentRef{ID: a.ID, SHA256: sum}
}

const (
	sumA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	sumB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
)

// TestAttachments follows uploads from pending to bound: only their uploader
// binds them, with the right checksum, once; a dossier lists only its own.
func TestAttachments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		d, err := f.Svc.Submit(ctx, f.Actors["canbo"], dossier.SubmitRequest{ProcedureCode: "1.001193", Components: demo.Required("1.001193"), Channel: dossier.ChannelCounter,
			Applicant: dossier.Applicant{Name: "Lý Văn Phúc", IDNumber: "001090012345"}})
		if err != nil {
			t.Fatal(err)
		}
		a, b := pending(t, f, "canbo", sumA), pending(t, f, "canbo", sumB)
		got, err := f.DB.PendingAttachments(ctx, "canbo", []store.AttachmentRef{b, a, {ID: a.ID, SHA256: sumB}})
		if err != nil || len(got) != 2 || got[0].ID != b.ID || got[1].FileName != "tờ khai.pdf" {
			t.Fatalf("pending: %+v %v", got, err)
		}
		if got, _ := f.DB.PendingAttachments(ctx, "canbo.ngocha", []store.AttachmentRef{a}); len(got) != 0 {
			t.Fatal("another user sees canbo's pending upload")
		}
		if err := f.DB.BindAttachments(ctx, d.ID, "canbo.ngocha", []store.AttachmentRef{a}); apperr.Code(err) != apperr.ECONFLICT {
			t.Fatalf("bound by another user: %v", err)
		}
		if err := f.DB.BindAttachments(ctx, d.ID, "canbo", []store.AttachmentRef{a, {ID: b.ID, SHA256: sumA}}); apperr.Code(err) != apperr.ECONFLICT {
			t.Fatalf("bound with a wrong checksum: %v", err)
		}
		if as, _ := f.DB.DossierAttachments(ctx, d.ID); len(as) != 0 {
			t.Fatalf("a refused binding bound %d files: all or none", len(as))
		}
		if n, err := f.DB.PendingBytes(ctx, "canbo"); err != nil || n != 20 {
			t.Fatalf("pending bytes before binding: %d %v", n, err)
		}
		if err := f.DB.BindAttachments(ctx, d.ID, "canbo", []store.AttachmentRef{a, b}); err != nil {
			t.Fatal(err)
		}
		if err := f.DB.BindAttachments(ctx, d.ID, "canbo", []store.AttachmentRef{a}); apperr.Code(err) != apperr.ECONFLICT {
			t.Fatalf("bound twice: %v", err)
		}
		if n, _ := f.DB.PendingBytes(ctx, "canbo"); n != 0 {
			t.Fatalf("pending bytes after binding: %d", n)
		}
		as, err := f.DB.DossierAttachments(ctx, d.ID)
		if err != nil || len(as) != 2 || as[0].DossierID != d.ID || as[0].UploadedAt.IsZero() {
			t.Fatalf("dossier files: %+v %v", as, err)
		}
		if _, err := f.DB.DossierAttachment(ctx, d.ID+1, a.ID); apperr.Code(err) != apperr.ENOTFOUND {
			t.Fatalf("a file through another dossier: %v", err)
		}
		if one, err := f.DB.DossierAttachment(ctx, d.ID, a.ID); err != nil || one.SHA256 != sumA {
			t.Fatalf("one file: %+v %v", one, err)
		}
	})
}

// TestPurgePendingAttachments forgets old pending uploads and names the
// files nothing refers to any more.
func TestPurgePendingAttachments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		d, err := f.Svc.Submit(ctx, f.Actors["canbo"], dossier.SubmitRequest{ProcedureCode: "1.001193", Components: demo.Required("1.001193"), Channel: dossier.ChannelCounter,
			Applicant: dossier.Applicant{Name: "Lý Văn Phúc", IDNumber: "001090012345"}})
		if err != nil {
			t.Fatal(err)
		}
		bound := pending(t, f, "canbo", sumA)
		if err := f.DB.BindAttachments(ctx, d.ID, "canbo", []store.AttachmentRef{bound}); err != nil {
			t.Fatal(err)
		}
		pending(t, f, "congdan", sumA) // same content as a bound file: the file stays
		pending(t, f, "congdan", sumB) // only pending: the file goes
		f.Clock.Advance(2 * time.Hour)
		fresh := pending(t, f, "congdan", "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc")
		orphans, err := f.DB.PurgePendingAttachments(ctx, f.Clock.Now().Add(-time.Hour))
		if err != nil || !slices.Equal(orphans, []string{sumB}) {
			t.Fatalf("orphans %v, %v; want only %s", orphans, err, sumB)
		}
		if got, _ := f.DB.PendingAttachments(ctx, "congdan", []store.AttachmentRef{fresh}); len(got) != 1 {
			t.Fatal("a fresh pending upload was purged")
		}
		if as, _ := f.DB.DossierAttachments(ctx, d.ID); len(as) != 1 {
			t.Fatal("a bound file was purged")
		}
	})
}
