package portal_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/outbox"
	"github.com/motcua/motcua/internal/portal"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// nationalPortal is a stand-in for the portal's synchronisation service on
// a loopback port: it checks the token, is down for its first calls, and
// records the updates it takes.
type nationalPortal struct {
	mu      sync.Mutex
	down    int
	updates []portal.Update
	raw     []string
}

func (p *nationalPortal) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer tok-00004" {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if p.down > 0 {
		p.down--
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	body, _ := io.ReadAll(r.Body)
	var u portal.Update
	if err := json.Unmarshal(body, &u); err != nil || u.MaHoSo == "" {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	p.updates = append(p.updates, u)
	p.raw = append(p.raw, string(body))
	_, _ = io.WriteString(w, `{"error_code":0,"message":"Thành công"}`)
}

// TestPortalFollowsTheDossier walks a dossier to its return while the portal
// is down at first: the portal receives every status in order, with the
// due and result dates in its format, no personal data but the applicant's
// name, and the dossier counts once for indicator 1.4.
func TestPortalFollowsTheDossier(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		f := storetest.NewFixture(t, engine)
		ctx := context.Background()
		// Off: a dossier's changes leave no portal message.
		off, err := f.Svc.Submit(ctx, f.Actors["canbo"], dossier.SubmitRequest{ProcedureCode: "1.001612", Components: demo.Required("1.001612"),
			Channel: dossier.ChannelCounter, Applicant: dossier.Applicant{Name: "Trần Văn Tắt", IDNumber: "001090012346"}})
		if err != nil {
			t.Fatal(err)
		}
		if msgs, _ := (store.Outbox{DB: f.DB}).List(ctx, store.OutboxFilter{Channel: portal.Channel}); len(msgs) != 0 {
			t.Fatalf("%d portal messages while the portal is off", len(msgs))
		}
		if err := f.DB.EnableChannel(ctx, portal.Channel, "test"); err != nil {
			t.Fatal(err)
		}
		np := &nationalPortal{down: 2}
		srv := httptest.NewServer(np)
		defer srv.Close()
		canbo := f.Actors["canbo"]
		req := dossier.SubmitRequest{ProcedureCode: "1.001612", Components: demo.Required("1.001612"), Channel: dossier.ChannelCounter,
			Applicant: dossier.Applicant{Name: "Lê Văn Hùng", IDNumber: "001090012345", Phone: "0912345678"}}
		d, err := f.Svc.Submit(ctx, canbo, req)
		if err != nil {
			t.Fatal(err)
		}
		for _, step := range []struct {
			who    string
			action string
		}{{"canbo", dossier.ActForward}, {"chuyenvien", dossier.ActForward}, {"lanhdao", dossier.ActApprove},
			{"canbo", dossier.ActFinish}, {"canbo", dossier.ActReturnResult}} {
			f.Clock.Advance(time.Hour)
			if _, err := f.Svc.Act(ctx, f.Actors[step.who], d.Code, dossier.ActionRequest{Action: step.action}); err != nil {
				t.Fatalf("%s by %s: %v", step.action, step.who, err)
			}
		}
		w := &outbox.Worker{Queue: store.Outbox{DB: f.DB}, Holder: "test", Now: f.Clock.Now, Log: slog.New(slog.DiscardHandler),
			Senders: map[string]outbox.Sender{portal.Channel: &portal.Sender{URL: srv.URL, Token: "tok-00004", Synced: f.DB, Now: f.Clock.Now}}}
		for range 12 {
			if _, err := w.RunOnce(ctx); err != nil {
				t.Fatal(err)
			}
			f.Clock.Advance(time.Minute)
		}
		var statuses []int
		for i, u := range np.updates {
			statuses = append(statuses, u.TrangThaiHoSo)
			if u.MaHoSo != d.Code || u.MaTTHC != "1.001612" || u.MaDonVi != "00004" || u.KenhThucHien != 1 || u.ChuHoSo != "Lê Văn Hùng" {
				t.Errorf("update %d: %+v", i, u)
			}
			if i > 0 && u.PhienBan <= np.updates[i-1].PhienBan {
				t.Errorf("update %d out of order: %d after %d", i, u.PhienBan, np.updates[i-1].PhienBan)
			}
			if strings.Contains(np.raw[i], "001090012345") || strings.Contains(np.raw[i], "0912345678") {
				t.Errorf("update %d carries the ID number or phone: %s", i, np.raw[i])
			}
		}
		cur, err := f.Svc.Store.Get(ctx, d.Code)
		if err != nil {
			t.Fatal(err)
		}
		last := np.updates[len(np.updates)-1]
		if last.TrangThaiHoSo != 10 || last.NgayTra != cur.ReturnedAt.In(time.FixedZone("", 7*3600)).Format("20060102150405") || last.NgayCoKetQua == "" || last.NgayHenTra == "" {
			t.Errorf("last update %+v", last)
		}
		if want := []int{2, 4, 9, 10}; !slices.Equal(statuses, want) {
			t.Errorf("statuses %v, want %v (received, processing, result ready, returned)", statuses, want)
		}
		day := storetest.Start.Format("2006-01-02")
		if n, err := f.DB.PortalSyncedCount(ctx, "00004", day, day); n != 1 || err != nil {
			t.Errorf("synced on %s: %d %v, want the one dossier once", day, n, err)
		}
		if n, err := f.DB.PortalSyncedCount(ctx, "00008", day, day); n != 0 || err != nil {
			t.Errorf("another ward: %d %v", n, err)
		}
		// An old update acknowledged late (a dead message retried) does not
		// take the portal's last status back.
		if err := f.DB.PortalSynced(ctx, d.Code, "00004", 2, np.updates[0].PhienBan, f.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		if st, seq, err := f.DB.PortalStatus(ctx, d.Code); st != 10 || seq != last.PhienBan || err != nil {
			t.Errorf("portal status after a late old update: %d (version %d) %v, want 10 (version %d)", st, seq, err, last.PhienBan)
		}
		if _, seq, _ := f.DB.PortalStatus(ctx, off.Code); seq != 0 {
			t.Errorf("the dossier changed while the portal was off was synchronised")
		}
		// With the portal on, a calendar change made from the command line
		// (no server's worker involved) moves the open dossier's due date and
		// leaves its update for the portal.
		res, err := f.Cals.ChangeDay(ctx, "", store.DayChange{Date: "2026-03-03", Kind: "holiday", Name: "Nghỉ đột xuất",
			Reason: "Công văn 1/UBND", By: auth.System})
		if err != nil || res.Moved == 0 {
			t.Fatalf("calendar change: %+v %v", res, err)
		}
		msgs, err := store.Outbox{DB: f.DB}.List(ctx, store.OutboxFilter{Channel: portal.Channel, Status: outbox.Pending})
		if err != nil || len(msgs) != 1 || msgs[0].Recipient != off.Code || msgs[0].Topic != "dossier."+dossier.ActRecompute {
			t.Fatalf("pending portal messages after the calendar change: %+v %v", msgs, err)
		}
	})
}
