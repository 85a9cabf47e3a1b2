package dossier

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/vntext"
)

// The citizen's wallet: the papers of an applicant's own dossiers (the files
// handed in with their components, and the results returned to them), which
// a new dossier may hand in again instead of a new upload: the same stored
// file, named once more, with the re-use recorded.

// Kinds of paper in the wallet.
const (
	PaperAttachment = "attachment" // a file handed in with a component
	PaperResult     = "result"     // a result file returned to the applicant
)

// Paper is one file of the applicant's dossiers.
type Paper struct {
	ID            int64     `json:"id"`
	Kind          string    `json:"kind"`      // PaperAttachment or PaperResult
	Name          string    `json:"name"`      // the file's name
	Component     string    `json:"component"` // a result's is the procedure's name
	DossierCode   string    `json:"dossier_code"`
	ProcedureName string    `json:"procedure_name"`
	ContentType   string    `json:"content_type"`
	Size          int64     `json:"size"`
	SHA256        string    `json:"sha256"`
	UploadedAt    time.Time `json:"uploaded_at"`
}

// ReuseRequest asks to hand in, for one component of a new dossier, a paper
// of the applicant's earlier dossiers.
type ReuseRequest struct {
	Component  string `json:"component"`
	DocumentID int64  `json:"document_id"`
}

// ReusedPaper is a paper of an earlier dossier handed in again with this
// one: the same stored file, named by a new attachment of this dossier.
type ReusedPaper struct {
	Component  string `json:"component"`
	DocumentID int64  `json:"document_id"` // the earlier attachment or result
	Kind       string `json:"kind"`
	FileName   string `json:"file_name"`
	FromCode   string `json:"from_code"` // the earlier dossier
}

// maxReuse bounds the papers one dossier may re-use.
const maxReuse = 100

// ErrNotYourPaper refuses a re-use of a paper that is not among the
// applicant's own: another person's, a result not yet returned, or an id
// that names nothing. All read the same, so that ids cannot be probed.
var ErrNotYourPaper = apperr.Invalid("reuse", "Giấy tờ chọn dùng lại không thuộc các hồ sơ của bạn",
	"a paper chosen for re-use is not among your dossiers' papers")

// ErrNoConsent refuses a re-use the applicant did not consent to.
var ErrNoConsent = apperr.Invalid("reuse_consent", "Cần sự đồng ý của người nộp để dùng lại giấy tờ đã nộp",
	"the applicant's consent is needed to re-use papers handed in before")

// reuseField names the re-use request i, so that a refusal points at it.
func reuseField(i int) string { return "reuse[" + strconv.Itoa(i) + "]" }

// notYourPaper is ErrNotYourPaper naming the request i.
func notYourPaper(i int) error {
	e := *ErrNotYourPaper
	e.Field = reuseField(i)
	return &e
}

// validateReuse checks the form of the re-use requests.
func validateReuse(rs []ReuseRequest) error {
	if len(rs) > maxReuse {
		return apperr.Invalid("reuse", "Quá nhiều giấy tờ dùng lại", "too many papers re-used")
	}
	for i := range rs {
		rs[i].Component = vntext.Clean(rs[i].Component)
		if rs[i].Component == "" || rs[i].DocumentID <= 0 {
			return apperr.Invalid(reuseField(i), "Mỗi giấy tờ dùng lại cần thành phần hồ sơ và mã giấy tờ", "each re-used paper needs a component and a document_id")
		}
	}
	return nil
}

// reusedPapers matches the requests with the applicant's papers (read by
// the service) and the procedure's components: each request names a
// component of the procedure and one of the papers, once.
func reusedPapers(rs []ReuseRequest, papers []Paper, p *procedure.Procedure) ([]ReusedPaper, error) {
	var out []ReusedPaper
	for n, r := range rs {
		if !slices.ContainsFunc(p.Components, func(c procedure.Component) bool { return vntext.Clean(c.Name) == r.Component }) {
			return nil, apperr.Invalid(reuseField(n), "Thủ tục không có thành phần hồ sơ: "+r.Component, "the procedure has no component: "+r.Component)
		}
		i := slices.IndexFunc(papers, func(x Paper) bool { return x.ID == r.DocumentID })
		if i < 0 {
			return nil, notYourPaper(n)
		}
		x := papers[i]
		if slices.ContainsFunc(out, func(u ReusedPaper) bool { return u.DocumentID == x.ID && u.Component == r.Component }) {
			continue
		}
		out = append(out, ReusedPaper{Component: r.Component, DocumentID: x.ID, Kind: x.Kind, FileName: x.Name, FromCode: x.DossierCode})
	}
	return out, nil
}

// reusedNote is written into the submit event: which papers were handed in
// again, from which dossiers.
func reusedNote(rs []ReusedPaper) string {
	if len(rs) == 0 {
		return ""
	}
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.Component + ": " + r.FileName + " (hồ sơ " + r.FromCode + ", giấy tờ số " + strconv.FormatInt(r.DocumentID, 10) + ")"
	}
	return "Dùng lại giấy tờ đã nộp, người nộp đã đồng ý: " + strings.Join(parts, "; ")
}

// receivedCounts is the count of a dossier's reception: indicator 4.3 counts
// those that re-used papers.
func receivedCounts(d *Dossier) map[string]int64 {
	c := map[string]int64{stats.Received: 1}
	if len(d.Reused) > 0 {
		c[stats.ReceivedReused] = 1
	}
	return c
}

var errNoWallet = apperr.Forbidden("Chỉ tài khoản công dân có kho giấy tờ cá nhân", "only a citizen's account has a document wallet")

// Wallet lists the papers of the actor's own dossiers, newest first: the
// files handed in, and the result files of the dossiers returned. Only an
// applicant with an account has one; officers are refused.
func (s *Service) Wallet(ctx context.Context, actor auth.Actor) ([]Paper, error) {
	if actor.Role != auth.RoleApplicant || actor.UserID == 0 {
		return nil, errNoWallet
	}
	return s.Store.Papers(ctx, actor.UserID, nil)
}

// papersOf reads the actor's papers that req re-uses.
func (s *Service) papersOf(ctx context.Context, actor auth.Actor, req SubmitRequest) ([]Paper, error) {
	if len(req.Reuse) == 0 {
		return nil, nil
	}
	if actor.Role != auth.RoleApplicant || actor.UserID == 0 {
		return nil, apperr.Invalid("reuse", "Chỉ người nộp dùng lại được giấy tờ của chính mình, qua tài khoản của mình",
			"only applicants re-use their own papers, through their own account")
	}
	if err := validateReuse(req.Reuse); err != nil {
		return nil, err
	}
	ids := make([]int64, len(req.Reuse))
	for i, r := range req.Reuse {
		ids[i] = r.DocumentID
	}
	return s.Store.Papers(ctx, actor.UserID, ids)
}
