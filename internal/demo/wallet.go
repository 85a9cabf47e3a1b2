package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
)

// CitizenPapers hands in a paper with each of the demo citizen's dossiers
// (their first required component, a small PDF kept in files), so that
// their profile shows papers and the submit form offers them again on
// first start. No dossier is added. It runs at every start with the demo
// and hands a paper in only with the dossiers of the demo citizen that have
// none: a start that failed half-way is completed by the next one, and a
// database without the demo citizen is left alone.
func CitizenPapers(ctx context.Context, db *store.DB, files blob.Store) error {
	u, err := db.UserByName(ctx, "congdan")
	if apperr.Code(err) == apperr.ENOTFOUND || err == nil && (u.Role != auth.RoleApplicant || u.IDNumber != citizenIDNumber) {
		return nil
	}
	if err != nil {
		return err
	}
	ds, _, err := store.Dossiers{DB: db}.List(ctx, dossier.Filter{Limit: 10}, dossier.Scope{ApplicantUserID: u.ID})
	if err != nil {
		return err
	}
	for _, d := range ds {
		comps := Required(d.ProcedureCode)
		if len(comps) == 0 {
			continue
		}
		if have, err := db.DossierAttachments(ctx, d.ID); err != nil {
			return err
		} else if len(have) > 0 {
			continue
		}
		pdf := fmt.Sprintf("%%PDF-1.4\n%% %s: %s, %s\n%%%%EOF\n", comps[0], d.Applicant.Name, d.Code)
		info, err := files.Put(ctx, strings.NewReader(pdf), 1<<20)
		if err != nil {
			return err
		}
		a := store.Attachment{Component: comps[0], FileName: "giay-to-" + d.Code + ".pdf", ContentType: "application/pdf",
			Size: info.Size, SHA256: info.SHA256, UploadedBy: u.Username}
		if err := db.AddPendingAttachment(ctx, &a); err != nil {
			return err
		}
		if err := db.BindAttachments(ctx, d.ID, u.Username, []store.AttachmentRef{{ID: a.ID, SHA256: a.SHA256}}); err != nil {
			return err
		}
	}
	return nil
}
