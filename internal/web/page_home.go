package web

import (
	"net/http"

	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/store"
)

// fieldCount is one field of the catalogue with how many procedures it has.
type fieldCount struct {
	Name  string
	Count int
}

type homeData struct {
	Fields  []fieldCount
	Total   int
	Online  int
	Offices []officeView
}

// officeView is a receiving unit as the home page introduces it: where it
// is, when it is open, how to reach it.
type officeView struct {
	Name, Address, Email string
	Hotline, Tel         string // as read (024 3823 4567) and as dialled (02438234567)
	Weekdays, Saturday   string // opening hours: 08:00-12:00, 13:00-17:00
	Booking              string // the counter's booking page, when it takes appointments
}

// home is the citizen's start page: one search box, the three things people
// come for, where and when to come (the receiving units that published
// their contact details), and the catalogue by field.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	ps, err := s.Procs.List(r.Context(), store.ProcedureFilter{ActiveOnly: true})
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	offices, err := s.DB.PublicOffices(r.Context())
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	p := s.newPage(w, r, "home", "home.title")
	d := homeData{Fields: fieldsOf(ps), Total: len(ps)}
	for _, o := range offices {
		d.Offices = append(d.Offices, officeView{Name: o.Unit.FullName, Address: o.Contact.Address, Email: o.Contact.Email,
			Hotline: formatPhone(o.Contact.Hotline), Tel: o.Contact.Hotline,
			Weekdays: formatSpans(o.Hours.Spans), Saturday: formatSpans(o.Hours.Saturday), Booking: s.bookingLink(r, o.Unit.Code)})
	}
	for _, x := range ps {
		if x.OnlineMode != procedure.OnlineNone {
			d.Online++
		}
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "home", p)
}

// fieldsOf counts procedures by field, in catalogue order.
func fieldsOf(ps []procedure.Procedure) []fieldCount {
	var out []fieldCount
	idx := map[string]int{}
	for _, x := range ps {
		i, ok := idx[x.Field]
		if !ok {
			i = len(out)
			idx[x.Field] = i
			out = append(out, fieldCount{Name: x.Field})
		}
		out[i].Count++
	}
	return out
}
