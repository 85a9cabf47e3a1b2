package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/vntext"
)

// The citizen's profile (/ca-nhan) and wallet: their identity, dossiers,
// results and papers; and the papers offered again on a new submission.

// paperLink is where the applicant downloads a paper: a component's file
// from its dossier, a result from the dossier's result link.
func paperLink(p dossier.Paper) string {
	if p.Kind == dossier.PaperResult {
		return "/ho-so/" + p.DossierCode + "/ket-qua"
	}
	return "/ho-so/" + p.DossierCode + "/tep/" + strconv.FormatInt(p.ID, 10)
}

// walletPaper is a paper with its download link.
type walletPaper struct {
	dossier.Paper
	Link string `json:"link"`
}

func withLink(p dossier.Paper) walletPaper { return walletPaper{p, paperLink(p)} }

// paperGroup is the papers handed in for one component name.
type paperGroup struct {
	Component string
	Papers    []walletPaper
}

type profileData struct {
	Name, IDNumber, Phone string // the ID number and phone masked
	Dossiers              []mineRow
	Total                 int
	Results               []walletPaper
	Groups                []paperGroup
}

// profilePage is the signed-in citizen's page: who they are, their
// dossiers, the results returned to them and the papers they handed in,
// grouped by component. Only an applicant's account has one.
func (s *Server) profilePage(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	papers, err := s.Dossiers.Wallet(r.Context(), a)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	ds, total, err := s.Dossiers.List(r.Context(), a, dossier.Filter{Limit: 50})
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "profile", "profile.title")
	d := profileData{Name: a.FullName, Total: total}
	if u, err := s.DB.UserByName(r.Context(), a.Username); err == nil {
		d.Name, d.IDNumber, d.Phone = u.FullName, vntext.MaskIDNumber(u.IDNumber), vntext.MaskContact(u.Phone)
	}
	for i := range ds {
		d.Dossiers = append(d.Dossiers, mineRow{D: ds[i], Status: s.plainFor(r.Context(), p.c, &ds[i])})
	}
	for _, x := range papers {
		if x.Kind == dossier.PaperResult {
			d.Results = append(d.Results, withLink(x))
			continue
		}
		i := slices.IndexFunc(d.Groups, func(g paperGroup) bool { return g.Component == x.Component })
		if i < 0 {
			d.Groups, i = append(d.Groups, paperGroup{Component: x.Component}), len(d.Groups)
		}
		d.Groups[i].Papers = append(d.Groups[i].Papers, withLink(x))
	}
	slices.SortStableFunc(d.Groups, func(a, b paperGroup) int { return strings.Compare(vntext.Fold(a.Component), vntext.Fold(b.Component)) })
	p.Data = d
	s.render(w, r, http.StatusOK, "profile", p)
}

// walletOffers are, for each component of the procedure, the applicant's
// papers offered instead of an upload: those handed in for the same
// component first, then for a similar one, then any other paper, then the
// results of earlier dossiers. A file handed in several times is offered
// once, as its newest copy.
func walletOffers(comps []procedure.Component, papers []dossier.Paper) [][]dossier.Paper {
	var uniq []dossier.Paper
	for _, p := range papers { // newest first
		if !slices.ContainsFunc(uniq, func(u dossier.Paper) bool { return u.SHA256 == p.SHA256 && u.Kind == p.Kind }) {
			uniq = append(uniq, p)
		}
	}
	out := make([][]dossier.Paper, len(comps))
	for i, c := range comps {
		name := vntext.Fold(c.Name)
		rank := func(p dossier.Paper) int {
			switch other := vntext.Fold(p.Component); {
			case p.Kind == dossier.PaperResult:
				return 3
			case other == name:
				return 0
			case similarNames(name, other):
				return 1
			}
			return 2
		}
		offers := slices.Clone(uniq)
		slices.SortStableFunc(offers, func(a, b dossier.Paper) int { return rank(a) - rank(b) })
		out[i] = offers
	}
	return out
}

// similarNames tells whether two folded component names are alike: one
// contains the other, or they share at least half of the longer one's
// distinct words of more than two letters ("giay khai sinh" and "to khai
// dang ky khai sinh").
func similarNames(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if strings.Contains(a, b) || strings.Contains(b, a) {
		return true
	}
	words := func(s string) []string {
		ws := slices.DeleteFunc(strings.Fields(s), func(w string) bool { return len(w) <= 2 })
		slices.Sort(ws)
		return slices.Compact(ws)
	}
	wa, wb := words(a), words(b)
	shared := 0
	for _, w := range wa {
		if slices.Contains(wb, w) {
			shared++
		}
	}
	return shared > 0 && 2*shared >= max(len(wa), len(wb))
}

// reuseChoice is a paper of the wallet chosen for a component of the form.
type reuseChoice struct {
	Component string
	Paper     dossier.Paper
}

// readReuse reads the form's wallet choices (reuse-<i>: a paper's id for
// component i) against the applicant's own papers; a choice of a paper
// that is not theirs is a form error beside the component.
func readReuse(r *http.Request, c *catalog, comps []procedure.Component, papers []dossier.Paper, f *applicantForm, errs *formErrors) {
	f.ReuseConsent = r.PostFormValue("reuse_consent") == "1"
	for i, comp := range comps {
		v := strings.TrimSpace(r.PostFormValue("reuse-" + strconv.Itoa(i)))
		if v == "" {
			continue
		}
		id, _ := strconv.ParseInt(v, 10, 64)
		k := slices.IndexFunc(papers, func(p dossier.Paper) bool { return p.ID == id })
		if k < 0 {
			errs.add("file-"+strconv.Itoa(i), c.T("wallet.err.not_yours"))
			continue
		}
		f.Reuse = append(f.Reuse, reuseChoice{Component: comp.Name, Paper: papers[k]})
		if !slices.Contains(f.Components, comp.Name) {
			f.Components = append(f.Components, comp.Name)
		}
	}
	if len(f.Reuse) > 0 && !f.ReuseConsent {
		errs.add("reuse_consent", c.T("wallet.err.consent"))
	}
}

// ChosenFor is the id of the paper chosen for component i, 0 for none.
func (f applicantForm) ChosenFor(component string) int64 {
	for _, x := range f.Reuse {
		if x.Component == component {
			return x.Paper.ID
		}
	}
	return 0
}

// reuseRequests are the form's choices as the service takes them.
func (f applicantForm) reuseRequests() []dossier.ReuseRequest {
	var out []dossier.ReuseRequest
	for _, x := range f.Reuse {
		out = append(out, dossier.ReuseRequest{Component: x.Component, DocumentID: x.Paper.ID})
	}
	return out
}

// prefillFromLast fills the online form's fields still empty from the
// applicant's most recent dossier (its applicant's details): what the
// account gives (its name, ID number and phone) is kept. The new dossier
// records that dossier as where its details came from when both name the
// same ID number (keepReusedFrom drops it otherwise).
func (s *Server) prefillFromLast(ctx context.Context, a auth.Actor, f *applicantForm) {
	ds, _, err := s.Dossiers.List(ctx, a, dossier.Filter{Limit: 1})
	if err != nil || len(ds) == 0 {
		return
	}
	prev := ds[0].Applicant
	for _, x := range []struct {
		dst *string
		src string
	}{{&f.Name, prev.Name}, {&f.IDNumber, prev.IDNumber}, {&f.Phone, prev.Phone}, {&f.Email, prev.Email}, {&f.Address, prev.Address}} {
		if *x.dst == "" {
			*x.dst = x.src
		}
	}
	if f.IDNumber == prev.IDNumber {
		f.ReusedFrom = ds[0].Code
	}
}

// reuseErrorField names the form field of a refusal of a re-use by the
// service ("reuse[n]", the form's n-th choice, or "reuse"): the file field
// of the component the paper was chosen for (the first chosen one when the
// refusal names none), so that the error summary links to it. Any other
// field is left to fieldOf.
func (f applicantForm) reuseErrorField(field string, comps []procedure.Component) string {
	n := 0
	if rest, ok := strings.CutPrefix(field, "reuse["); ok {
		n, _ = strconv.Atoi(strings.TrimSuffix(rest, "]"))
	} else if field != "reuse" {
		return ""
	}
	if n < 0 || n >= len(f.Reuse) {
		n = 0
	}
	if len(f.Reuse) == 0 {
		return "components"
	}
	i := slices.IndexFunc(comps, func(c procedure.Component) bool { return vntext.Clean(c.Name) == vntext.Clean(f.Reuse[n].Component) })
	if i < 0 {
		return "components"
	}
	return "file-" + strconv.Itoa(i)
}

// keepReusedFrom drops the earlier dossier the form was filled from when
// the applicant changed the ID number it was filled with: the details are
// then theirs, not re-used, and the service would refuse the claim.
func (s *Server) keepReusedFrom(ctx context.Context, a auth.Actor, f *applicantForm) {
	if f.ReusedFrom == "" {
		return
	}
	prev, err := s.Dossiers.Get(ctx, a, f.ReusedFrom)
	if err != nil || prev.Applicant.IDNumber != f.IDNumber {
		f.ReusedFrom = ""
	}
}

// wallet is the applicant's papers for the submit form; an account that
// has none (or an error reading them) offers nothing.
func (s *Server) wallet(ctx context.Context, a auth.Actor) []dossier.Paper {
	papers, err := s.Dossiers.Wallet(ctx, a)
	if err != nil && apperr.Code(err) != apperr.EFORBIDDEN {
		s.Log.Error("wallet", "user", a.Username, "err", err)
	}
	return papers
}
