package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/petition"
)

// petitionFollowData is the sender's look-up: the form, and once the code
// and contact match, the petition as its sender reads it.
type petitionFollowData struct {
	Code, Contact string
	Errors        formErrors
	P             *petitionSenderView
	Status        string // in the reader's language
	FieldName     string
	History       []petitionStep
	Done          string // the action just taken: rate, supply_info
	Text          string // the information typed, when refused
	status        int    // of a refused sender's action; else from Errors
}

// petitionStep is one step of the history as the sender reads it.
type petitionStep struct {
	At   time.Time
	Text string
}

// CanRate tells whether the sender may still say whether the answer
// satisfied them.
func (d petitionFollowData) CanRate() bool {
	if d.P == nil || d.P.Satisfaction != "" {
		return false
	}
	// A merged petition's sender rates the answer it follows, once given.
	return d.P.Status == petition.StatusAnswered || d.P.Status == petition.StatusClosed || (d.P.Status == petition.StatusMerged && d.P.Answer != "")
}

// petitionFollowPage is the look-up form; the receipt links to it with the
// code filled in.
func (s *Server) petitionFollowPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(w, r, "petition", "pet.follow.title")
	p.Data = petitionFollowData{Code: strings.TrimSpace(r.URL.Query().Get("ma"))}
	s.render(w, r, http.StatusOK, "petition_follow", p)
}

// petitionFollowPost answers the form. It is a POST so that the phone stays
// out of addresses and logs; a wrong pair counts against the address's
// limit of fruitless look-ups, as the dossier look-up does.
func (s *Server) petitionFollowPost(w http.ResponseWriter, r *http.Request) {
	d := petitionFollowData{Code: strings.TrimSpace(r.PostFormValue("code")), Contact: strings.TrimSpace(r.PostFormValue("contact"))}
	p := s.newPage(w, r, "petition", "pet.follow.title")
	if d.Code == "" {
		d.Errors.add("code", p.t("pet.err.code"))
	}
	if d.Contact == "" {
		d.Errors.add("contact", p.t("pet.err.follow_contact"))
	}
	var found *petition.Petition
	if !d.Errors.Any() {
		err := s.publicTry(w, r, func() (err error) {
			found, err = s.Petitions().ForSender(r.Context(), d.Code, d.Contact)
			return err
		})
		if !s.followError(w, r, p, &d, err) {
			return
		}
	}
	s.showFollow(w, r, p, d, found)
}

// followError puts a look-up's refusal on the form, or answers the error
// page and returns false.
func (s *Server) followError(w http.ResponseWriter, r *http.Request, p *page, d *petitionFollowData, err error) bool {
	switch apperr.Code(err) {
	case "":
	case apperr.ENOTFOUND, apperr.EINVALID:
		d.Errors.add("code", p.t("pet.err.notfound"))
	case apperr.ETOOMANY:
		e := apperr.As(err)
		d.Errors.add("code", p.c.pick(e.Message, e.MessageEn))
	default:
		s.pageFail(w, r, err)
		return false
	}
	return true
}

func (s *Server) showFollow(w http.ResponseWriter, r *http.Request, p *page, d petitionFollowData, found *petition.Petition) {
	status := http.StatusOK
	if found != nil {
		v := PetitionSenderView(found)
		d.P, d.Status = &v, p.c.pick(petition.StatusName[v.Status][0], petition.StatusName[v.Status][1])
		if f, ok := petition.FieldByCode(v.Field); ok {
			d.FieldName = p.c.pick(f.Name, f.NameEn)
		}
		for _, h := range v.History {
			n := petition.ActionName[h.Action]
			d.History = append(d.History, petitionStep{At: h.At, Text: p.c.pick(n[0], n[1])})
		}
	}
	if d.status != 0 {
		status = d.status
	} else if d.Errors.Any() {
		status = statusOf[apperr.EINVALID]
		if d.Errors.Get("code") == p.t("pet.err.notfound") {
			status = http.StatusNotFound
		}
	}
	p.setAlt("/phan-anh/tra-cuu", url.Values{"ma": {d.Code}})
	p.Data = d
	s.render(w, r, status, "petition_follow", p)
}

// petitionSenderActions are the sender's forms on the look-up page, by the
// last element of their address.
var petitionSenderActions = map[string]string{"danh-gia": petition.ActRate, "bo-sung": petition.ActSupplyInfo}

// petitionSenderPost takes the sender's answer to a request for more
// information, or whether the answer satisfied them, proven by the code and
// contact again; then shows the petition with the change.
func (s *Server) petitionSenderPost(w http.ResponseWriter, r *http.Request) {
	action, ok := petitionSenderActions[r.PathValue("action")]
	if !ok {
		s.pageNotFound(w, r)
		return
	}
	d := petitionFollowData{Code: strings.TrimSpace(r.PostFormValue("code")), Contact: strings.TrimSpace(r.PostFormValue("contact"))}
	p := s.newPage(w, r, "petition", "pet.follow.title")
	req := petition.ActionRequest{Action: action, Text: r.PostFormValue("text"), Satisfaction: r.PostFormValue("satisfaction")}
	var found *petition.Petition
	err := s.publicTry(w, r, func() (err error) {
		found, err = s.Petitions().SenderAct(r.Context(), d.Code, d.Contact, req)
		return err
	})
	if e := apperr.As(err); e != nil && (e.Code == apperr.EINVALID || e.Code == apperr.ECONFLICT) {
		// The pair was right (else: not found); show the petition with why.
		if found, err = s.Petitions().ForSender(r.Context(), d.Code, d.Contact); err == nil {
			d.Errors.add(action, p.c.pick(e.Message, e.MessageEn))
			d.Text, d.status = req.Text, statusOf[e.Code]
			s.showFollow(w, r, p, d, found)
			return
		}
	}
	if !s.followError(w, r, p, &d, err) {
		return
	}
	if err == nil {
		d.Done = action
	}
	s.showFollow(w, r, p, d, found)
}
