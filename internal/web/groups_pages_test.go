package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/announce"
	"github.com/motcua/motcua/internal/notify"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// TestGroupPages walks the groups' pages on both engines: the
// administrator adds a group and its leader, the leader of the ward
// targets an announcement to one group, a resident subscribes on that
// group's page, confirms with the SMS code, gets the next announcement and
// stops them in one step from the link; the announcement shows on its
// group's page only.
func TestGroupPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newPagesEnvOn(t, engine)
		e.f.SeedGroups(t)
		e.run([]formCase{
			{"add a group", "quantri", "/quan-tri/to-dan-pho", url.Values{"number": {"03"}, "type": {"thon"}, "name": {"Đông"}}, http.StatusSeeOther, "Thôn Đông"},
			{"a number taken", "quantri", "/quan-tri/to-dan-pho", url.Values{"number": {"03"}, "type": {"to"}, "name": {"Ba"}}, http.StatusConflict, "đã có tổ dân phố"},
			{"a bad number", "quantri", "/quan-tri/to-dan-pho", url.Values{"number": {"3"}, "type": {"to"}, "name": {"Ba"}}, http.StatusUnprocessableEntity, "2–3 chữ số"},
			{"rename", "quantri", "/quan-tri/to-dan-pho/00004-03/rename", url.Values{"name": {"Đông Hà"}}, http.StatusSeeOther, "Thôn Đông Hà"},
			{"its leader", "quantri", "/quan-tri/to-dan-pho/00004-03/leader", url.Values{"username": {"truongthon3"}, "full_name": {"Lò Văn Ba"}, "password": {"mat-khau-dai-3"}}, http.StatusSeeOther, "Lò Văn Ba"},
			{"a short password", "quantri", "/quan-tri/to-dan-pho/00004-02/leader", url.Values{"username": {"totruong2"}, "full_name": {"X"}, "password": {"ngan"}}, http.StatusUnprocessableEntity, "ít nhất 8 ký tự"},
			{"another ward's group", "quantri", "/quan-tri/to-dan-pho/00008-01/close", nil, http.StatusForbidden, ""},
			{"close", "quantri", "/quan-tri/to-dan-pho/00004-03/close", nil, http.StatusSeeOther, "Giải thể từ"},
			{"no groups ticked", "lanhdao", "/to-dan-pho/thong-bao", url.Values{"title": {"Họp"}, "body": {"Tối nay"}, "target": {"some"}}, http.StatusUnprocessableEntity, "Chọn ít nhất một"},
			{"announce to group 1", "lanhdao", "/to-dan-pho/thong-bao", url.Values{"title": {"Lịch tiêm chủng"}, "body": {"Sáng thứ Bảy.\r\n\r\nMang sổ tiêm."}, "target": {"some"}, "groups": {"00004-01"}}, http.StatusSeeOther, "Lịch tiêm chủng"},
			{"a counter officer", "canbo", "/to-dan-pho/thong-bao", url.Values{"title": {"x"}, "body": {"y"}, "target": {"all"}}, http.StatusForbidden, ""},
		})
		if _, body := e.get("", "/to-dan-pho/00004-01"); !strings.Contains(body, "Lịch tiêm chủng") || !strings.Contains(body, "Mang sổ tiêm.") || !strings.Contains(body, "Đỗ Thị Mai") {
			t.Errorf("group 1's page:\n%s", body)
		}
		if _, body := e.get("", "/to-dan-pho/00004-02"); strings.Contains(body, "Lịch tiêm chủng") {
			t.Errorf("group 2's page shows group 1's announcement")
		}
		// Subscribe on the page; a bad phone is shown beside its field.
		res, body := e.do("", http.MethodPost, "/to-dan-pho/00004-01/dang-ky", url.Values{"channel": {"sms"}, "address": {"12345"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Số điện thoại không hợp lệ") || !strings.Contains(body, `value="12345"`) {
			t.Fatalf("a bad phone: %d\n%s", res.StatusCode, body)
		}
		res, body = e.do("", http.MethodPost, "/to-dan-pho/00004-01/dang-ky", url.Values{"channel": {"sms"}, "address": {"0912 000 555"}})
		if res.StatusCode != 200 || !strings.Contains(body, `name="code"`) {
			t.Fatalf("subscribe: %d\n%s", res.StatusCode, body)
		}
		code := payloads(t, e.f.DB, "group.confirm", "0912000555")[0].Fields.Status
		form := url.Values{"group": {"00004-01"}, "channel": {"sms"}, "address": {"0912 000 555"}, "code": {"999999"}}
		if code == "999999" {
			form.Set("code", "111111")
		}
		if res, body = e.do("", http.MethodPost, "/to-dan-pho/xac-nhan", form); res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Mã xác nhận không đúng") {
			t.Errorf("a wrong code: %d\n%s", res.StatusCode, body)
		}
		form.Set("code", code)
		if res, body = e.do("", http.MethodPost, "/to-dan-pho/xac-nhan", form); res.StatusCode != 200 || !strings.Contains(body, `id="confirmed"`) {
			t.Fatalf("the right code: %d\n%s", res.StatusCode, body)
		}
		// The next announcement to all groups reaches the subscriber.
		e.run([]formCase{{"announce to all", "quantri", "/to-dan-pho/thong-bao", url.Values{"title": {"Họp tổ dân phố"}, "body": {"19:30 tối thứ Sáu."}, "target": {"all"}}, http.StatusSeeOther, "Họp tổ dân phố"}})
		got := payloads(t, e.f.DB, "group.announcement", "0912000555")
		if len(got) != 1 || !strings.Contains(got[0].Text, "Họp tổ dân phố") {
			t.Fatalf("messages to the subscriber: %+v", got)
		}
		off, _ := url.Parse(got[0].Fields.Unsubscribe)
		if _, body = e.get("", off.RequestURI()); !strings.Contains(body, `action="/to-dan-pho/huy"`) {
			t.Fatalf("the unsubscribe page:\n%s", body)
		}
		if res, body = e.do("", http.MethodPost, "/to-dan-pho/huy", url.Values{"t": {off.Query().Get("t")}}); res.StatusCode != 200 || !strings.Contains(body, `id="unsubscribed"`) {
			t.Fatalf("unsubscribe: %d\n%s", res.StatusCode, body)
		}
		if subs, _ := (store.Announce{DB: e.f.DB}).Subscriptions(context.Background(), "00004-01"); len(subs) != 0 {
			t.Errorf("still subscribed: %+v", subs)
		}
		// A group's leader signs in to a page of his own group's scope: no
		// commune menu, no announcement editor.
		e.session["totruong1"] = newSession(t, e.f, e.f.Users["totruong1"].ID)
		if st, body := e.get("totruong1", "/thong-ke"); st != 200 || strings.Contains(body, `href="/to-dan-pho/thong-bao"`) || !strings.Contains(body, "Tổ dân phố 1") {
			t.Errorf("the group leader's dashboard: %d", st)
		}
		if st, _ := e.get("totruong1", "/to-dan-pho/thong-bao"); st != http.StatusForbidden {
			t.Errorf("the group leader on the editor: %d", st)
		}
		for _, c := range []struct{ user, path, want string }{
			{"", "/to-dan-pho/00004-01", "Nhận thông báo"},
			{"lanhdao", "/to-dan-pho/thong-bao", "Tổ dân phố 1"},
			{"quantri", "/quan-tri/to-dan-pho", "Thôn Đông Hà"},
			{"", "/thong-ke/cong-khai", "Phường Ba Đình"},
			{"", "/thong-ke/cong-khai/00004", "Theo tháng"},
			{"", "/thong-ke/cong-khai/00004/widget", "Phường Ba Đình"},
			{"", "/to-dan-pho/xac-nhan?t=x", "Xác nhận"},
		} {
			if _, body := e.get(c.user, c.path); !strings.Contains(body, c.want) {
				t.Errorf("%s as %q: no %q", c.path, c.user, c.want)
			}
			e.checkPage(c.user, c.path)
		}
	})
}

// TestGroupSubscribeLimits: subscriptions are counted per address, every
// one (each sends a code to someone); wrong codes count against the public
// limit, whatever the subscription; a code takes five wrong tries.
func TestGroupSubscribeLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newThrottleEnv(t, engine, Limits{Subscribe: Rate{3, time.Hour}, Public: Rate{4, 10 * time.Minute}}, true)
		e.f.SeedGroups(t)
		sub := func(from, phone string) (int, string) {
			st, retry, _ := e.send(from, "POST", "/api/v1/groups/00004-01/subscriptions", "application/json", `{"channel":"sms","address":"`+phone+`"}`)
			return st, retry
		}
		for i, phone := range []string{"0912000001", "0912000002", "0912000003"} {
			if st, _ := sub("203.0.113.7", phone); st != http.StatusAccepted {
				t.Fatalf("subscription %d: %d", i+1, st)
			}
		}
		if st, retry := sub("203.0.113.7", "0912000004"); st != http.StatusTooManyRequests || retry == "" {
			t.Errorf("4th from one address: %d, Retry-After %q", st, retry)
		}
		if st, _ := sub("203.0.113.8", "0912000004"); st != http.StatusAccepted {
			t.Errorf("from another address: %d", st)
		}
		confirm := func(from, phone, code string) int {
			st, _, _ := e.send(from, "POST", "/api/v1/groups/00004-01/subscriptions/confirm", "application/json",
				`{"channel":"sms","address":"`+phone+`","code":"`+code+`"}`)
			return st
		}
		svcCode := func(phone string) string { return payloads(t, e.f.DB, "group.confirm", phone)[0].Fields.Status }
		wrong := func(phone string) string {
			if svcCode(phone) == "000000" {
				return "111111"
			}
			return "000000"
		}
		// Five wrong codes spend the first subscription's code (from five
		// addresses, under the public limit of each).
		for i := range announce.MaxAttempts {
			if st := confirm("198.51.100."+string(rune('1'+i)), "0912000001", wrong("0912000001")); st != http.StatusNotFound {
				t.Fatalf("wrong code %d: %d", i+1, st)
			}
		}
		if st := confirm("198.51.100.9", "0912000001", svcCode("0912000001")); st != http.StatusNotFound {
			t.Errorf("the right code after five wrong ones: %d", st)
		}
		// One address guessing: refused once over the public limit, even
		// with the right code.
		for i := range 4 {
			if st := confirm("192.0.2.1", "0912000002", wrong("0912000002")); st != http.StatusNotFound {
				t.Fatalf("guess %d: %d", i+1, st)
			}
		}
		if st := confirm("192.0.2.1", "0912000003", svcCode("0912000003")); st != http.StatusTooManyRequests {
			t.Errorf("after four wrong guesses: %d, want 429", st)
		}
		if st := confirm("192.0.2.2", "0912000003", svcCode("0912000003")); st != http.StatusOK {
			t.Errorf("from another address: %d", st)
		}
		// The code form answers a confirmed subscriber (even with his own
		// code), a pending one and an unknown phone alike.
		var answers []string
		for i, c := range []struct{ phone, code string }{
			{"0912000003", svcCode("0912000003")}, {"0912000003", wrong("0912000003")},
			{"0912000004", wrong("0912000004")}, {"0912000099", "123456"},
		} {
			st, _, body := e.send("192.0.2."+string(rune('3'+i)), "POST", "/api/v1/groups/00004-01/subscriptions/confirm", "application/json",
				`{"channel":"sms","address":"`+c.phone+`","code":"`+c.code+`"}`)
			answers = append(answers, fmt.Sprint(st, " ", body))
		}
		for i, a := range answers {
			if a != answers[len(answers)-1] || !strings.HasPrefix(a, "404 ") {
				t.Errorf("answer %d: %s\nthe unknown phone's: %s", i, a, answers[len(answers)-1])
			}
		}
	})
}

// TestGroupSubscribeRecipientLimit: the codes sent to one phone are
// bounded whatever the group and whoever asks; the phone is counted in its
// normalised form, and another phone is not affected.
func TestGroupSubscribeRecipientLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		e := newThrottleEnv(t, engine, Limits{SubscribeTo: Rate{3, 24 * time.Hour}}, true)
		e.f.SeedGroups(t)
		sub := func(from, group, phone string) (int, string) {
			st, retry, _ := e.send(from, "POST", "/api/v1/groups/"+group+"/subscriptions", "application/json", `{"channel":"sms","address":"`+phone+`"}`)
			return st, retry
		}
		for i, c := range []struct{ group, phone string }{{"00004-01", "0912000001"}, {"00004-02", "0912 000 001"}, {"00004-01", "+84912000001"}} {
			if st, _ := sub("203.0.113."+string(rune('1'+i)), c.group, c.phone); st != http.StatusAccepted {
				t.Fatalf("subscription %d: %d", i+1, st)
			}
		}
		if st, retry := sub("203.0.113.9", "00004-02", "0912000001"); st != http.StatusTooManyRequests || retry == "" {
			t.Errorf("4th code to one phone: %d, Retry-After %q", st, retry)
		}
		if st, _ := sub("203.0.113.9", "00004-02", "0912000002"); st != http.StatusAccepted {
			t.Errorf("another phone: %d", st)
		}
		form := url.Values{"channel": {"sms"}, "address": {"0912000001"}}
		if res, _, _ := e.send("203.0.113.10", "POST", "/to-dan-pho/00004-01/dang-ky", "application/x-www-form-urlencoded", form.Encode()); res != http.StatusTooManyRequests {
			t.Errorf("the page's form, 5th code to one phone: %d", res)
		}
	})
}

// payloads are the outbox's payloads of a topic to an address, oldest first.
func payloads(t *testing.T, db *store.DB, topic, to string) []notify.Payload {
	_, p := storetest.GroupMessages(t, db, topic, to)
	return p
}
