package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/queue"
	"github.com/motcua/motcua/internal/store"
)

// The counter queue's API (internal/queue, store.Queue): the kiosk takes
// tickets and checks appointments in without an account (throttled by
// queueTry), the desks call and act on tickets as the unit's officers, the
// boards follow the events (api_queue_board.go), and the unit's
// administrator or leader sets the groups and desks up.

// queueStore is the counter queue over the server's database and calendars.
func (s *Server) queueStore() store.Queue { return store.Queue{DB: s.DB, Cals: s.Calendar} }

// TicketPagePath is the public page of a ticket, followed by its token:
// the address the ticket's QR code carries.
const TicketPagePath = "/so-thu-tu/"

var (
	errQueueStaff  = apperr.Forbidden("Chỉ cán bộ của đơn vị được thao tác tại quầy", "only the unit's officers work at its desks")
	errQueueConfig = apperr.Forbidden("Chỉ quản trị hoặc lãnh đạo của đơn vị được cấu hình quầy và nhóm dịch vụ", "only the unit's administrator or leader sets up its desks and groups")
)

// queueStaff checks that a is an officer of unit.
func queueStaff(a auth.Actor, unit string) error {
	if a.Username == "" {
		return apperr.New(apperr.EUNAUTHORIZED, "Vui lòng đăng nhập", "please sign in")
	}
	if !a.IsOfficer() || a.UnitCode != unit {
		return errQueueStaff
	}
	return nil
}

// queueConfigurer checks that a administers or leads unit.
func queueConfigurer(a auth.Actor, unit string) error {
	if err := queueStaff(a, unit); err != nil {
		return errQueueConfig
	}
	if a.Role != auth.RoleAdmin && a.Role != auth.RoleLeader {
		return errQueueConfig
	}
	return nil
}

// unitParam reads ?unit=, required for the public routes.
func unitParam(r *http.Request, a auth.Actor) (string, error) {
	u := strings.TrimSpace(r.URL.Query().Get("unit"))
	if u == "" {
		u = a.UnitCode
	}
	if u == "" {
		return "", apperr.Invalid("unit", "Cần chọn đơn vị (unit)", "unit is required")
	}
	return u, nil
}

// PublicDesk is a desk as the board and the kiosk see it: no officer's name.
type PublicDesk struct {
	ID      int64    `json:"id"`
	Number  int      `json:"number"`
	Name    string   `json:"name"`
	Groups  []string `json:"groups"`
	Open    bool     `json:"open"`
	Current string   `json:"current,omitempty"` // the number being served
}

// QueueOverview is a unit's counter at a glance: its groups with the
// number waiting, and its desks with the number each serves.
type QueueOverview struct {
	Unit    string          `json:"unit"`
	Groups  []GroupOverview `json:"groups"`
	Desks   []PublicDesk    `json:"desks"`
	LastSeq int64           `json:"last_event"` // a board follows the events after it
}

// GroupOverview is a group with its queue now.
type GroupOverview struct {
	queue.Group
	Waiting int `json:"waiting"`
}

// QueueOverview reads a unit's groups, desks and waiting counts.
func (s *Server) QueueOverview(ctx context.Context, unit string) (QueueOverview, error) {
	q := s.queueStore()
	out := QueueOverview{Unit: unit, Groups: []GroupOverview{}, Desks: []PublicDesk{}}
	if _, err := s.DB.Unit(ctx, unit); err != nil {
		return out, err
	}
	groups, err := q.Groups(ctx, unit)
	if err != nil {
		return out, err
	}
	waiting, err := q.WaitingByGroup(ctx, unit)
	if err != nil {
		return out, err
	}
	for _, g := range groups {
		out.Groups = append(out.Groups, GroupOverview{Group: g, Waiting: waiting[g.Code]})
	}
	desks, err := q.Desks(ctx, unit)
	if err != nil {
		return out, err
	}
	today := queue.DayOf(s.now(), calendar.Zone)
	for _, d := range desks {
		pd := PublicDesk{ID: d.ID, Number: d.Number, Name: d.Name, Groups: d.Groups, Open: d.HeldOn(today) != ""}
		if d.TicketID != 0 {
			t, err := q.Ticket(ctx, d.TicketID)
			if err != nil {
				return out, err
			}
			pd.Current = t.Number
		}
		out.Desks = append(out.Desks, pd)
	}
	out.LastSeq, err = q.LastQueueEvent(ctx, unit)
	return out, err
}

// getQueue answers GET /api/v1/queue?unit=: public, for the kiosk and the board.
func (s *Server) getQueue(w http.ResponseWriter, r *http.Request) {
	unit, err := unitParam(r, actor(r))
	if err == nil {
		var o QueueOverview
		if o, err = s.QueueOverview(r.Context(), unit); err == nil {
			writeJSON(w, http.StatusOK, o)
			return
		}
	}
	s.fail(w, r, err)
}

// groupRequest is the body of POST /api/v1/queue/groups.
type groupRequest struct {
	Unit       string   `json:"unit,omitempty"`
	Code       string   `json:"code"`
	Name       string   `json:"name"`
	Procedures []string `json:"procedures"`
	SlotMin    int      `json:"slot_minutes,omitempty"`
	PerDesk    int      `json:"slot_capacity,omitempty"`
	GraceMin   int      `json:"grace_minutes,omitempty"`
	Position   int      `json:"position,omitempty"`
}

// saveQueueGroup adds or replaces a service group of the caller's unit.
func (s *Server) saveQueueGroup(w http.ResponseWriter, r *http.Request) {
	var req groupRequest
	a := actor(r)
	err := decode(w, r, &req)
	if err == nil {
		if req.Unit == "" {
			req.Unit = a.UnitCode
		}
		if err = queueConfigurer(a, req.Unit); err == nil {
			var g queue.Group
			g, err = s.queueStore().SaveGroup(r.Context(), queue.Group{UnitCode: req.Unit, Code: req.Code, Name: req.Name, Procedures: req.Procedures,
				SlotMin: req.SlotMin, PerDesk: req.PerDesk, GraceMin: req.GraceMin, Position: req.Position})
			if err == nil {
				writeJSON(w, http.StatusOK, g)
				return
			}
		}
	}
	s.fail(w, r, err)
}

// deskRequest is the body of POST /api/v1/desks and PUT /api/v1/desks/{id}.
type deskRequest struct {
	Unit   string   `json:"unit,omitempty"` // POST only; the caller's unit by default
	Number int      `json:"number"`
	Name   string   `json:"name,omitempty"`
	Groups []string `json:"groups"`
}

// addDesk adds a desk to the caller's unit.
func (s *Server) addDesk(w http.ResponseWriter, r *http.Request) {
	var req deskRequest
	a := actor(r)
	err := decode(w, r, &req)
	if err == nil {
		if req.Unit == "" {
			req.Unit = a.UnitCode
		}
		if err = queueConfigurer(a, req.Unit); err == nil {
			var d queue.Desk
			if d, err = s.queueStore().SaveDesk(r.Context(), queue.Desk{UnitCode: req.Unit, Number: req.Number, Name: req.Name, Groups: req.Groups}); err == nil {
				writeJSON(w, http.StatusCreated, d)
				return
			}
		}
	}
	s.fail(w, r, err)
}

// updateDesk changes a desk's number, name or groups.
func (s *Server) updateDesk(w http.ResponseWriter, r *http.Request) {
	d, a, err := s.pathDesk(r)
	if err == nil {
		if err = queueConfigurer(a, d.UnitCode); err == nil {
			var req deskRequest
			if err = decode(w, r, &req); err == nil {
				if d, err = s.queueStore().SaveDesk(r.Context(), queue.Desk{ID: d.ID, UnitCode: d.UnitCode, Number: req.Number, Name: req.Name, Groups: req.Groups}); err == nil {
					writeJSON(w, http.StatusOK, d)
					return
				}
			}
		}
	}
	s.fail(w, r, err)
}

// pathDesk reads the desk of the path, which must be of the caller's unit:
// another unit's desk is "not found".
func (s *Server) pathDesk(r *http.Request) (queue.Desk, auth.Actor, error) {
	a := actor(r)
	id, err := pathID(r)
	if err != nil {
		return queue.Desk{}, a, err
	}
	d, err := s.queueStore().Desk(r.Context(), id)
	if err != nil {
		return d, a, err
	}
	if err := queueStaff(a, d.UnitCode); err != nil {
		if a.Username == "" {
			return d, a, err
		}
		return d, a, apperr.NotFound("Không tìm thấy quầy", "desk not found")
	}
	return d, a, nil
}

// openDesk signs the caller in at a desk; closeDesk signs the desk's
// officer out (the officer himself, or the unit's leader or administrator).
func (s *Server) openDesk(w http.ResponseWriter, r *http.Request) {
	d, a, err := s.pathDesk(r)
	if err == nil {
		if d, err = s.queueStore().OpenDesk(r.Context(), d.ID, a.Username); err == nil {
			writeJSON(w, http.StatusOK, d)
			return
		}
	}
	s.fail(w, r, err)
}

func (s *Server) closeDesk(w http.ResponseWriter, r *http.Request) {
	d, a, err := s.pathDesk(r)
	if held := d.HeldOn(queue.DayOf(s.now(), calendar.Zone)); err == nil && held != a.Username && held != "" {
		err = queueConfigurer(a, d.UnitCode)
	}
	if err == nil {
		if d, err = s.queueStore().OpenDesk(r.Context(), d.ID, ""); err == nil {
			writeJSON(w, http.StatusOK, d)
			return
		}
	}
	s.fail(w, r, err)
}

// callNext calls the next ticket to the desk: 200 with the ticket, 204
// when nobody waits.
func (s *Server) callNext(w http.ResponseWriter, r *http.Request) {
	d, a, err := s.pathDesk(r)
	if err == nil {
		var t queue.Ticket
		var ok bool
		if t, ok, err = s.queueStore().Call(r.Context(), d.ID, a.Username); err == nil {
			if !ok {
				w.WriteHeader(http.StatusNoContent)
				return
			}
			t.Token = ""
			writeJSON(w, http.StatusOK, t)
			return
		}
	}
	s.fail(w, r, err)
}

// listTickets answers GET /api/v1/tickets?desk=: the desk's ticket now and
// those it would call, in order.
func (s *Server) listTickets(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err == nil {
		var id int64
		if id, err = parseID(r.URL.Query().Get("desk")); err != nil {
			err = apperr.Invalid("desk", "Cần chọn quầy (desk)", "desk is required")
		} else {
			var dq store.DeskQueue
			if dq, err = s.queueStore().ForDesk(r.Context(), id); err == nil {
				if err = queueStaff(a, dq.Desk.UnitCode); err != nil {
					err = apperr.NotFound("Không tìm thấy quầy", "desk not found")
				} else {
					for _, t := range []*queue.Ticket{dq.Current, dq.ToRate} {
						if t != nil {
							t.Token = ""
						}
					}
					writeJSON(w, http.StatusOK, dq)
					return
				}
			}
		}
	}
	s.fail(w, r, err)
}

// TicketView is a ticket as its holder sees it on the kiosk's receipt and
// on the public page: no person, and where it stands.
type TicketView struct {
	ID         int64     `json:"id"`
	Unit       string    `json:"unit"`
	Number     string    `json:"number"`
	Group      string    `json:"group"`
	GroupName  string    `json:"group_name"`
	Status     string    `json:"status"`
	Priority   bool      `json:"priority"`
	DueAt      time.Time `json:"due_at,omitzero"`
	DeskNumber int       `json:"desk_number,omitempty"`
	DeskName   string    `json:"desk_name,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	Rated      bool      `json:"rated"`
	store.TicketPlace
	// Token and Page are given to the kiosk that issued the ticket only:
	// the page's address goes in the receipt's QR code.
	Token string `json:"token,omitempty"`
	Page  string `json:"page,omitempty"`
}

// TicketView reads where a ticket stands, for its holder.
func (s *Server) TicketView(ctx context.Context, t queue.Ticket) (TicketView, error) {
	q := s.queueStore()
	v := TicketView{ID: t.ID, Unit: t.UnitCode, Number: t.Number, Group: t.Group, Status: t.Status, Priority: t.Priority, DueAt: t.DueAt,
		CreatedAt: t.CreatedAt, Rated: t.Rating != 0}
	g, err := q.Group(ctx, t.UnitCode, t.Group)
	if err != nil {
		return v, err
	}
	v.GroupName = g.Name
	if t.DeskID != 0 && t.Status == queue.Called {
		d, err := q.Desk(ctx, t.DeskID)
		if err != nil {
			return v, err
		}
		v.DeskNumber, v.DeskName = d.Number, d.Name
	}
	v.TicketPlace, err = q.Place(ctx, t)
	return v, err
}

// takeTicket answers POST /api/v1/tickets: the kiosk's ticket, with the
// people ahead and the expected wait, and its page's token.
func (s *Server) takeTicket(w http.ResponseWriter, r *http.Request) {
	var req store.TicketRequest
	err := decode(w, r, &req)
	if err == nil {
		err = s.queueTry(w, r)
	}
	if err == nil {
		var t queue.Ticket
		if t, err = s.queueStore().TakeTicket(r.Context(), req); err == nil {
			s.writeIssued(w, r, t)
			return
		}
	}
	s.fail(w, r, err)
}

// writeIssued answers a new ticket with its token and page.
func (s *Server) writeIssued(w http.ResponseWriter, r *http.Request, t queue.Ticket) {
	v, err := s.TicketView(r.Context(), t)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Token, v.Page = t.Token, TicketPagePath+t.Token
	writeJSON(w, http.StatusCreated, v)
}

// trackTicket answers GET /api/v1/tickets/track/{token}: public, the
// token is the proof.
func (s *Server) trackTicket(w http.ResponseWriter, r *http.Request) {
	t, err := s.queueStore().TicketByToken(r.Context(), r.PathValue("token"))
	if err == nil {
		var v TicketView
		if v, err = s.TicketView(r.Context(), t); err == nil {
			writeJSON(w, http.StatusOK, v)
			return
		}
	}
	s.fail(w, r, err)
}

// pathTicket reads the ticket of the path for one of its unit's officers;
// to others it is "not found".
func (s *Server) pathTicket(r *http.Request) (queue.Ticket, auth.Actor, error) {
	a, err := requireUser(r)
	if err != nil {
		return queue.Ticket{}, a, err
	}
	id, err := pathID(r)
	if err != nil {
		return queue.Ticket{}, a, err
	}
	t, err := s.queueStore().Ticket(r.Context(), id)
	if err == nil && queueStaff(a, t.UnitCode) != nil {
		err = apperr.NotFound("Không tìm thấy số thứ tự", "ticket not found")
	}
	return t, a, err
}

// actOnTicket answers POST /api/v1/tickets/{id}/actions/{action}.
func (s *Server) actOnTicket(w http.ResponseWriter, r *http.Request) {
	t, a, err := s.pathTicket(r)
	if err == nil {
		var req store.TicketAction
		if r.ContentLength != 0 {
			err = decode(w, r, &req)
		}
		if err == nil {
			req.Action, req.Manager = r.PathValue("action"), queueManager(a)
			if t, err = s.queueStore().Act(r.Context(), t.ID, req, a.Username); err == nil {
				t.Token = ""
				writeJSON(w, http.StatusOK, t)
				return
			}
		}
	}
	s.fail(w, r, err)
}

// ticketRatingRequest is the body of POST /api/v1/tickets/{id}/rating.
type ticketRatingRequest struct {
	Rating ratingValue `json:"rating"`
	Reason string      `json:"reason,omitempty"`
	// Token is the ticket's token, for a rating from the citizen's phone
	// without an account; the desk's tablet is signed in as an officer.
	Token string `json:"token,omitempty"`
}

// rateTicket records the rating of a served ticket: from the desk's
// tablet (an officer of the unit, under deskRating's rules) or with the
// ticket's token.
func (s *Server) rateTicket(w http.ResponseWriter, r *http.Request) {
	var req ticketRatingRequest
	err := decode(w, r, &req)
	if err == nil {
		var t queue.Ticket
		if req.Token != "" {
			err = s.publicTry(w, r, func() (err error) {
				t, err = s.queueStore().TicketByToken(r.Context(), req.Token)
				if err == nil && r.PathValue("id") != strconv.FormatInt(t.ID, 10) {
					err = apperr.NotFound("Không tìm thấy số thứ tự", "ticket not found")
				}
				return err
			})
		} else {
			var a auth.Actor
			if t, a, err = s.pathTicket(r); err == nil {
				t, err = s.deskRating(r.Context(), t.DeskID, t.ID, a.Username)
			}
		}
		if err == nil {
			if t, err = s.queueStore().RateTicket(r.Context(), t.ID, int(req.Rating), req.Reason); err == nil {
				writeJSON(w, http.StatusOK, map[string]any{"id": t.ID, "number": t.Number, "rating": t.Rating})
				return
			}
		}
	}
	s.fail(w, r, err)
}

// queueManager says whether a may act on any desk's ticket of his unit
// (the caller has checked the unit): its leaders and administrators.
func queueManager(a auth.Actor) bool {
	return a.Role == auth.RoleLeader || a.Role == auth.RoleAdmin
}

// deskRating checks a rating sent from an officer's session: it may only
// be the desk's tablet rating the ticket the desk is asking about (served
// last there, within store.RateWindow, not rated yet), and never from the
// session of the officer who served it, whose evaluation counts it.
func (s *Server) deskRating(ctx context.Context, deskID, id int64, rater string) (queue.Ticket, error) {
	q := s.queueStore()
	var t queue.Ticket
	ok := false
	d, err := q.Desk(ctx, deskID)
	if err == nil {
		t, ok, err = q.ToRate(ctx, d)
	} else if apperr.Code(err) == apperr.ENOTFOUND {
		err = nil // never called to a desk
	}
	switch {
	case err != nil:
		return t, err
	case !ok || t.ID != id:
		return t, apperr.Conflict("Số này không còn chờ đánh giá tại quầy", "this ticket is no longer waiting for a rating at the desk")
	case t.Officer == rater:
		return t, apperr.Forbidden("Cán bộ đã phục vụ không tự đánh giá được; người dân đánh giá trên máy tính bảng đăng nhập bằng tài khoản khác hoặc trên điện thoại",
			"the officer who served cannot rate his own service; the citizen rates on a tablet signed in with another account or on the phone")
	}
	return t, nil
}

// dateParam reads ?date=YYYY-MM-DD (local), today by default.
func (s *Server) dateParam(r *http.Request) (time.Time, error) {
	v := r.URL.Query().Get("date")
	if v == "" {
		return s.now(), nil
	}
	d, err := time.ParseInLocation(calendar.DateLayout, v, calendar.Zone)
	if err != nil {
		return d, apperr.Invalid("date", "Ngày phải có dạng YYYY-MM-DD", "date must be YYYY-MM-DD")
	}
	return d, nil
}

// appointmentSlots answers GET /api/v1/appointments/slots?procedure=&date=&unit=.
func (s *Server) appointmentSlots(w http.ResponseWriter, r *http.Request) {
	date, err := s.dateParam(r)
	if err == nil {
		q := r.URL.Query()
		var g queue.Group
		var slots []queue.Slot
		if g, slots, err = s.queueStore().Slots(r.Context(), store.SlotsRequest{Unit: q.Get("unit"), Procedure: q.Get("procedure"), Date: date}); err == nil {
			views := make([]slotView, len(slots))
			for i, sl := range slots {
				views[i] = slotView{Slot: sl, Free: sl.Free()}
			}
			writeJSON(w, http.StatusOK, map[string]any{"unit": g.UnitCode, "group": g.Code, "group_name": g.Name,
				"date": date.In(calendar.Zone).Format(calendar.DateLayout), "slots": views})
			return
		}
	}
	s.fail(w, r, err)
}

type slotView struct {
	queue.Slot
	Free int `json:"free"`
}

// bookAppointment answers POST /api/v1/appointments: public, throttled.
func (s *Server) bookAppointment(w http.ResponseWriter, r *http.Request) {
	var req store.BookRequest
	err := decode(w, r, &req)
	if err == nil {
		err = s.bookingTry(w, r)
	}
	if err == nil {
		var a queue.Appointment
		if a, err = s.queueStore().Book(r.Context(), req); err == nil {
			writeJSON(w, http.StatusCreated, appointmentJSON(a))
			return
		}
	}
	s.fail(w, r, err)
}

// checkIn answers POST /api/v1/appointments/{code}/check-in: at the kiosk,
// the booking becomes a ticket called at its time.
func (s *Server) checkIn(w http.ResponseWriter, r *http.Request) {
	err := s.queueTry(w, r)
	if err == nil {
		var t queue.Ticket
		if t, err = s.queueStore().CheckIn(r.Context(), r.PathValue("code")); err == nil {
			s.writeIssued(w, r, t)
			return
		}
	}
	s.fail(w, r, err)
}

// cancelRequest is the body of POST /api/v1/appointments/{code}/cancel.
type cancelRequest struct {
	Phone string `json:"phone"` // the phone given at booking: the proof
}

// cancelAppointment frees a booked place: public, the phone is the proof,
// a wrong code or phone counts against the look-up limit.
func (s *Server) cancelAppointment(w http.ResponseWriter, r *http.Request) {
	var req cancelRequest
	err := decode(w, r, &req)
	if err == nil {
		var a queue.Appointment
		err = s.publicTry(w, r, func() (err error) {
			a, err = s.queueStore().CancelAppointment(r.Context(), r.PathValue("code"), req.Phone)
			return err
		})
		if err == nil {
			writeJSON(w, http.StatusOK, appointmentJSON(a))
			return
		}
	}
	s.fail(w, r, err)
}

// appointmentJSON is a booking as its holder sees it: no person.
func appointmentJSON(a queue.Appointment) map[string]any {
	return map[string]any{"code": a.Code, "unit": a.UnitCode, "group": a.Group, "procedure": a.Procedure, "slot_at": a.SlotAt, "status": a.Status}
}

// queueStats answers GET /api/v1/queue/stats?unit=&from=&to=&by=: the
// counter's waiting and service times from the roll-up, for the unit's
// leaders and administrators and those of the units above it.
func (s *Server) queueStats(w http.ResponseWriter, r *http.Request) {
	a, err := requireUser(r)
	if err == nil {
		var unit string
		if unit, err = s.queueStatsUnit(r.Context(), a, r.URL.Query().Get("unit")); err == nil {
			q := r.URL.Query()
			today := s.now().In(calendar.Zone).Format(calendar.DateLayout)
			from, to, by := orDefault(q.Get("from"), today), orDefault(q.Get("to"), today), orDefault(q.Get("by"), "hour")
			if err = validDays(from, to); err == nil {
				var rows []store.QueueStat
				if rows, err = s.queueStore().QueueStats(r.Context(), unit, from, to, by); err == nil {
					writeJSON(w, http.StatusOK, map[string]any{"unit": unit, "from": from, "to": to, "by": by, "rows": rows})
					return
				}
			}
		}
	}
	s.fail(w, r, err)
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func validDays(from, to string) error {
	f, err1 := time.Parse(calendar.DateLayout, from)
	t, err2 := time.Parse(calendar.DateLayout, to)
	if err1 != nil || err2 != nil || t.Before(f) {
		return apperr.Invalid("from", "Khoảng ngày phải có dạng YYYY-MM-DD, từ ngày không sau đến ngày", "from and to must be YYYY-MM-DD, from not after to")
	}
	return nil
}

// queueStatsUnit checks that a leads or administers unit or a unit above
// it ("" = a's own).
func (s *Server) queueStatsUnit(ctx context.Context, a auth.Actor, unit string) (string, error) {
	if a.Role != auth.RoleLeader && a.Role != auth.RoleAdmin {
		return "", apperr.Forbidden("Chỉ lãnh đạo và quản trị được xem thống kê quầy", "only leaders and administrators see the counter's statistics")
	}
	if unit == "" || unit == a.UnitCode {
		return a.UnitCode, nil
	}
	ok, err := s.DB.UnitWithin(ctx, unit, a.UnitCode)
	if err == nil && !ok {
		err = apperr.Forbidden("Bạn chỉ xem được số liệu của đơn vị mình và các đơn vị trực thuộc", "you may only see your unit and the units under it")
	}
	return unit, err
}
