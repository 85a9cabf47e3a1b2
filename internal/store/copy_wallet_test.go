package store_test

import (
	"context"
	"database/sql"
	"strings"

	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
)

// walletExtras has the citizen file a dossier online with a paper, then a
// second one re-using that paper, so that the re-uses are copied too, and
// records when the wallet started.
func (g *dataset) walletExtras(ctx context.Context) error {
	citizen := g.f.Actors["congdan"]
	comp := demo.Required(walletProc)[0]
	req := dossier.SubmitRequest{ProcedureCode: walletProc, UnitCode: demo.Ward, Channel: dossier.ChannelOnline,
		Components: demo.Required(walletProc), Applicant: dossier.Applicant{Name: citizen.FullName, IDNumber: "001190012345"}}
	first, err := g.f.Svc.Submit(ctx, citizen, req)
	if err != nil {
		return err
	}
	info, err := g.files.Put(ctx, strings.NewReader("%PDF-1.4 giấy khai sinh"), 1<<20)
	if err != nil {
		return err
	}
	a := store.Attachment{Component: comp, FileName: "giay-khai-sinh.pdf", ContentType: "application/pdf", Size: info.Size, SHA256: info.SHA256, UploadedBy: citizen.Username}
	if err := g.f.DB.AddPendingAttachment(ctx, &a); err != nil {
		return err
	}
	if err := g.f.DB.BindAttachments(ctx, first.ID, citizen.Username, []store.AttachmentRef{{ID: a.ID, SHA256: a.SHA256}}); err != nil {
		return err
	}
	req.Reuse, req.ReuseConsent = []dossier.ReuseRequest{{Component: comp, DocumentID: a.ID}}, true
	second, err := g.f.Svc.Submit(ctx, citizen, req)
	if err != nil {
		return err
	}
	g.codes = append(g.codes, first.Code, second.Code)
	g.open = append(g.open, first.Code, second.Code)
	// An installation that had dossiers before the wallet keeps the day it
	// started: the copy carries it.
	driver := "sqlite"
	if g.f.DB.Engine == store.Postgres {
		driver = "pgx"
	}
	raw, err := sql.Open(driver, g.f.DSN)
	if err != nil {
		return err
	}
	defer raw.Close()
	_, err = raw.ExecContext(ctx, `INSERT INTO wallet_start (at) VALUES (1772416800000000)`) // 2 March 2026, 09:00 in Hà Nội
	return err
}
