package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/notify"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// routeRecorder lists the patterns the route lists register, in order.
type routeRecorder struct{ patterns []string }

func (r *routeRecorder) HandleFunc(p string, _ func(http.ResponseWriter, *http.Request)) {
	r.patterns = append(r.patterns, p)
}
func (r *routeRecorder) Handle(p string, _ http.Handler) { r.patterns = append(r.patterns, p) }

// The callers of the authorization matrix: an anonymous visitor, the
// applicant who owns the dossiers, another applicant, the four officer roles
// of the demo ward, and the same four roles of another ward.
const (
	anon        = ""
	owner       = "congdan"
	stranger    = "congdan2"
	counter     = "canbo"
	specialist  = "chuyenvien"
	leader      = "lanhdao"
	admin       = "quantri"
	counterX    = "canbo.ngocha"
	specialistX = "chuyenvien.ngocha"
	leaderX     = "lanhdao.ngocha"
	adminX      = "quantri.ngocha"
)

var authzCallers = []string{anon, owner, stranger, counter, specialist, leader, admin, counterX, specialistX, leaderX, adminX}

// Allowed sets, named for what they are.
var (
	everyone    = authzCallers
	signedIn    = authzCallers[1:]
	applicants  = []string{owner, stranger}
	unitStaff   = []string{counter, specialist, leader, admin}
	otherStaff  = []string{counterX, specialistX, leaderX, adminX}
	allStaff    = slices.Concat(unitStaff, otherStaff)
	ownerAndHis = slices.Concat([]string{owner}, unitStaff) // who may see the owner's dossier of the demo ward
	admins      = []string{admin, adminX}
	nobody      = []string{}
)

// authzCase is one request of a route. In path, {own} is a dossier of the
// owner's received by the demo ward, {done} one of his returned with a
// result file, {other} a dossier of the other ward, {file} the attachment
// of {own}, {result} the result file of {done}, {session} a fresh session
// of the owner, {officer_session} a fresh session of the ward's counter
// officer, {webhook} a webhook subscription of the ward, {dead} a fresh
// failed message of the ward about {own}. Allowed callers get a
// success (for POST/DELETE: anything but 401/403/404 or the sign-in page);
// the others are refused with 401/403/404 or sent to sign in.
type authzCase struct {
	path    string
	body    string
	allowed []string
}

// authzSecrets are requests that callers in either ward may make, but whose
// answer depends on who asks: by the case's path and body, texts (with the
// path's placeholders) that the answer contains exactly for the callers in
// sees.
var authzSecrets = map[string][]authzSecret{
	"/tiep-nhan/nguoi-nop id_number=001190012345": {{ownPhone, []string{counter}}},
	"/tiep-nhan/nguoi-nop id_number=001087004321": {{otherPhone, []string{counterX}}},
	"/api/v1/dossiers ":                           {{"{own}", ownerAndHis}, {"{done}", ownerAndHis}, {"{other}", otherStaff}},
	"/api/v1/evaluations?period=2026-03 ":         {{`"officer":"chuyenvien"`, []string{specialist, leader}}, {`"officer":"canbo"`, []string{counter, leader}}},
	"/ho-so ":                                     {{"{own}", ownerAndHis}, {"{done}", ownerAndHis}, {"{other}", otherStaff}},
	// Each ward's messages to its administrator, the phones masked.
	"/api/v1/outbox ":       {{"{own}", []string{admin}}, {"{other}", []string{adminX}}, {ownPhone, nobody}, {otherPhone, nobody}},
	"/quan-tri/tin-gui-di ": {{"{own}", []string{admin}}, {"{other}", []string{adminX}}, {ownPhone, nobody}, {otherPhone, nobody}},
}

type authzSecret struct {
	secret string
	sees   []string
}

// The applicants' phones: only those who see a dossier read them.
const (
	ownPhone   = "0912345678"
	otherPhone = "0987000111"
)

// authzMatrix is the allowed set of every route, by its pattern as
// registered. A route without an entry fails the test.
var authzMatrix = map[string][]authzCase{
	// The API.
	"GET /api/v1/healthz":      {{"/api/v1/healthz", "", everyone}},
	"GET /healthz":             {{"/healthz", "", everyone}},
	"GET /metrics":             {{"/metrics", "", everyone}}, // refusal counts only; restrict it at the proxy if wanted
	"GET /api/v1/openapi.json": {{"/api/v1/openapi.json", "", everyone}},
	"POST /api/v1/login":       {{"/api/v1/login", `{"username":"congdan","password":"` + demo.Password() + `"}`, everyone}},
	"POST /api/v1/logout":      {{"/api/v1/logout", "", everyone}}, // without a session: nothing to end
	"GET /api/v1/me":           {{"/api/v1/me", "", signedIn}},
	"GET /api/v1/sessions":     {{"/api/v1/sessions", "", signedIn}},
	"DELETE /api/v1/sessions/{id}": {
		{"/api/v1/sessions/{session}", "", []string{owner}},
	},
	"GET /api/v1/users/{username}/sessions": {
		{"/api/v1/users/canbo/sessions", "", []string{admin}},
	},
	"DELETE /api/v1/users/{username}/sessions/{id}": {
		{"/api/v1/users/canbo/sessions/{officer_session}", "", []string{admin}},
	},
	"GET /api/v1/units/{code}": {{"/api/v1/units/00004", "", everyone}},
	// A unit's calendar: its own administrator only. The body lacks a
	// reason, so the one allowed is answered 422 and nothing is written.
	"POST /api/v1/units/{code}/calendar": {
		{"/api/v1/units/00004/calendar", `{"date":"2026-12-31","kind":"holiday","name":"Nghỉ","reason":""}`, []string{admin}},
		{"/api/v1/units/00008/calendar", `{"date":"2026-12-31","kind":"holiday","name":"Nghỉ","reason":""}`, []string{adminX}},
	},
	"GET /api/v1/procedures":        {{"/api/v1/procedures", "", everyone}},
	"GET /api/v1/procedures/{code}": {{"/api/v1/procedures/1.000894", "", everyone}},
	"POST /api/v1/dossiers": {
		{"/api/v1/dossiers", `{"procedure_code":"1.000894"}`, signedIn},
		// A complete counter entry for the other ward: its counter creates
		// it, applicants are told the channel is not theirs, the ward's
		// counter is refused the other unit, the other roles the counter.
		{"/api/v1/dossiers", counterEntry(demo.OtherWard), []string{owner, stranger, counterX}},
	},
	"GET /api/v1/dossiers": {{"/api/v1/dossiers", "", signedIn}},
	"GET /api/v1/dossiers/{code}": {
		{"/api/v1/dossiers/{own}", "", ownerAndHis},
		{"/api/v1/dossiers/{other}", "", otherStaff},
	},
	"POST /api/v1/dossiers/{code}/actions/{action}": {
		// Returned: a conflict for whoever may see it.
		{"/api/v1/dossiers/{done}/actions/forward", "", ownerAndHis},
		// No list of what is missing: invalid for the other ward's counter;
		// its other roles may not ask for a supplement.
		{"/api/v1/dossiers/{other}/actions/request_supplement", "{}", []string{counterX}},
	},
	"POST /api/v1/dossiers/{code}/rating": {
		// Without a proof: the signed-in owner rates; a visitor is asked
		// for the ID number or phone (invalid, whatever the code).
		{"/api/v1/dossiers/{done}/rating", `{"rating":3}`, []string{anon, owner}},
		// With a wrong proof: not found for everyone.
		{"/api/v1/dossiers/{done}/rating", `{"rating":3,"proof":"0900000000"}`, nobody},
		// Not yet returned: a conflict for the other ward's officers, who
		// see it; a visitor is asked for the proof.
		{"/api/v1/dossiers/{other}/rating", `{"rating":3}`, slices.Concat([]string{anon}, otherStaff)},
	},
	// A person is known to the officers of the units that served him.
	"GET /api/v1/people/{id_number}": {
		{"/api/v1/people/001190012345", "", unitStaff},
		{"/api/v1/people/001087004321", "", otherStaff},
	},
	"POST /api/v1/dossiers/{code}/result-file": {
		// Officers who see the dossier reach the checks (returned: a
		// conflict); the applicant may not upload a result.
		{"/api/v1/dossiers/{done}/result-file", "", unitStaff},
		{"/api/v1/dossiers/{other}/result-file", "", otherStaff},
	},
	"GET /api/v1/dossiers/{code}/result-file": {{"/api/v1/dossiers/{done}/result-file", "", ownerAndHis}},
	"GET /api/v1/my-work":                     {{"/api/v1/my-work", "", allStaff}},
	"GET /api/v1/payments/ipn":                {{"/api/v1/payments/ipn", "", nobody}}, // payment off here; signed, no session when on
	"GET /api/v1/lookup":                      {{"/api/v1/lookup?code={own}&id=001190012345", "", everyone}},
	"GET /api/v1/stats": {
		{"/api/v1/stats", "", allStaff},
		{"/api/v1/stats?unit=00004", "", unitStaff},
		{"/api/v1/stats?unit=00008", "", otherStaff},
	},
	"GET /api/v1/index": {
		{"/api/v1/index", "", allStaff},
		{"/api/v1/index?unit=00004&from=2026-01-01&to=2026-03-31", "", unitStaff},
		{"/api/v1/index?unit=00008", "", otherStaff},
	},
	"GET /api/v1/index/ranking": {
		{"/api/v1/index/ranking", "", allStaff},
		{"/api/v1/index/ranking?unit=00008", "", otherStaff},
	},
	"GET /api/v1/index/explain": {
		{"/api/v1/index/explain?indicator=2.1", "", allStaff},
		{"/api/v1/index/explain?unit=00004&indicator=3.3", "", unitStaff},
		{"/api/v1/index/explain?unit=00008&indicator=2.1", "", otherStaff},
	},
	"POST /api/v1/index/entries": {
		{"/api/v1/index/entries", `{"unit":"00004","period":"2026-02","indicator":"5.2","numerator":3,"denominator":4}`, []string{leader, admin}},
		{"/api/v1/index/entries", `{"unit":"00008","period":"2026-02","indicator":"5.2","numerator":3,"denominator":4}`, []string{leaderX, adminX}},
	},
	// Evaluations: a leader sees the unit, the others only themselves.
	"GET /api/v1/evaluations": {
		{"/api/v1/evaluations?period=2026-03", "", allStaff},
		{"/api/v1/evaluations?unit=00004", "", unitStaff},
		{"/api/v1/evaluations?unit=00008", "", otherStaff},
	},
	"POST /api/v1/evaluations/entries": {
		{"/api/v1/evaluations/entries", `{"unit":"00004","period":"2026-03","criterion":"publicity","points":2,"reason":"Niêm yết đủ"}`, []string{leader}},
		{"/api/v1/evaluations/entries", `{"unit":"00004","officer":"canbo","period":"2026-03","criterion":"feedback","points":1,"reason":"Chậm"}`, []string{leader}},
	},
	"GET /api/v1/calendar/due":    {{"/api/v1/calendar/due?procedure=1.000894&unit=00004&from=2026-03-02T09:00:00%2B07:00", "", everyone}},
	"GET /api/v1/calendar/{year}": {{"/api/v1/calendar/2026", "", everyone}},
	"/api/":                       {{"/api/v1/nothing-here", "", nobody}},

	// The outbox and the webhooks: each administrator his unit's; another
	// unit's message or subscription is "not found".
	"GET /api/v1/outbox":                {{"/api/v1/outbox", "", admins}},
	"POST /api/v1/outbox/{id}/retry":    {{"/api/v1/outbox/{dead}/retry", "", []string{admin}}},
	"GET /api/v1/webhooks":              {{"/api/v1/webhooks", "", admins}},
	"POST /api/v1/webhooks":             {{"/api/v1/webhooks", `{"url":"https://example.org/h","events":["*"]}`, admins}},
	"POST /api/v1/webhooks/{id}/active": {{"/api/v1/webhooks/{webhook}/active", `{"active":true}`, []string{admin}}},

	// The pages.
	"GET /{$}":                 {{"/", "", everyone}},
	"GET /static/{name}":       {{"/static/app.css", "", everyone}},
	"GET /thu-tuc":             {{"/thu-tuc", "", everyone}},
	"GET /thu-tuc/{code}":      {{"/thu-tuc/1.000894", "", everyone}},
	"GET /thu-tuc/{code}/nop":  {{"/thu-tuc/1.000894/nop", "", applicants}},
	"POST /thu-tuc/{code}/nop": {{"/thu-tuc/1.000894/nop", "", applicants}},
	"GET /tra-cuu":             {{"/tra-cuu", "", everyone}},
	"POST /tra-cuu":            {{"/tra-cuu", "", everyone}},
	"POST /tra-cuu/danh-gia":   {{"/tra-cuu/danh-gia", "", everyone}},
	"GET /dang-nhap":           {{"/dang-nhap", "", everyone}},
	"POST /dang-nhap":          {{"/dang-nhap", "username=congdan&password=" + demo.Password(), everyone}},
	"POST /dang-xuat":          {{"/dang-xuat", "", everyone}},
	"GET /phien-dang-nhap":     {{"/phien-dang-nhap", "", signedIn}},
	"POST /phien-dang-nhap/{id}": {
		{"/phien-dang-nhap/{session}", "", []string{owner}},
	},
	"GET /ho-so": {{"/ho-so", "", signedIn}},
	"GET /ho-so/{code}": {
		{"/ho-so/{own}", "", ownerAndHis},
		{"/ho-so/{other}", "", otherStaff},
	},
	"POST /ho-so/{code}/{action}": {
		{"/ho-so/{done}/forward", "", ownerAndHis},
		{"/ho-so/{other}/request_supplement", "", []string{counterX}},
	},
	// The result form is read before the action: a caller who sees the
	// dossier learns what is wrong with it.
	"POST /ho-so/{code}/finish": {
		{"/ho-so/{done}/finish", "", ownerAndHis},
		{"/ho-so/{other}/finish", "", otherStaff},
	},
	"GET /ho-so/{code}/bien-nhan": {
		{"/ho-so/{own}/bien-nhan", "", ownerAndHis},
		{"/ho-so/{other}/bien-nhan", "", otherStaff},
	},
	"GET /ho-so/{code}/tep/{id}": {
		{"/ho-so/{own}/tep/{file}", "", ownerAndHis},
		{"/ho-so/{other}/tep/{file}", "", nobody},  // the file, asked under another dossier
		{"/ho-so/{done}/tep/{result}", "", nobody}, // the result file is served as the result only
	},
	"GET /ho-so/{code}/ket-qua": {{"/ho-so/{done}/ket-qua", "", ownerAndHis}},
	// Online payment is off in this server: its routes answer 404 to all.
	// With it on, TestPaymentScopes checks who may pay and read receipts.
	"POST /ho-so/{code}/thanh-toan": {{"/ho-so/{own}/thanh-toan", "", nobody}},
	"GET /ho-so/{code}/bien-lai":    {{"/ho-so/{own}/bien-lai", "", nobody}},
	"GET /thanh-toan/ket-qua":       {{"/thanh-toan/ket-qua", "", nobody}},
	// The applicant changes how they are notified; staff who see the
	// dossier may not do it for them.
	"POST /ho-so/{code}/thong-bao": {
		{"/ho-so/{own}/thong-bao", "notify=sms", []string{owner}},
		{"/ho-so/{other}/thong-bao", "notify=none", nobody},
	},
	// A notification's signed link turns it off without sign-in; a forged
	// one is refused.
	"GET /thong-bao/tat": {
		{"/thong-bao/tat?t={own_token}", "", everyone},
		{"/thong-bao/tat?t={own}.AAAAAAAAAAAAAAAAAAAAAA", "", nobody},
	},
	"POST /thong-bao/tat": {
		{"/thong-bao/tat", "t={own_token}", everyone},
		{"/thong-bao/tat", "t={other}.AAAAAAAAAAAAAAAAAAAAAA", nobody},
	},
	"GET /ho-so/{code}/mau/{form}": {
		{"/ho-so/{own}/mau/1", "", ownerAndHis},
		{"/ho-so/{other}/mau/1", "", otherStaff},
		{"/ho-so/{own}/mau/6", "", unitStaff}, // the control sheet is for staff
	},
	"GET /viec-cua-toi": {{"/viec-cua-toi", "", allStaff}},
	"GET /tiep-nhan":    {{"/tiep-nhan", "", []string{counter, counterX}}},
	"POST /tiep-nhan":   {{"/tiep-nhan", "procedure=1.000894", []string{counter, counterX}}},
	// The counter's applicant part, filled from the person's last dossier
	// that the officer's unit may see.
	"POST /tiep-nhan/nguoi-nop": {
		{"/tiep-nhan/nguoi-nop", "id_number=001190012345", []string{counter, counterX}},
		{"/tiep-nhan/nguoi-nop", "id_number=001087004321", []string{counter, counterX}},
	},
	"GET /danh-gia": {
		{"/danh-gia", "", allStaff},
		{"/danh-gia?unit=00004&period=2026-Q1", "", unitStaff},
	},
	"GET /danh-gia/{username}": {
		{"/danh-gia/canbo", "", []string{counter, leader}},
		{"/danh-gia/canbo.ngocha", "", []string{counterX, leaderX}},
	},
	"POST /danh-gia": {
		{"/danh-gia", "unit=00004&period=2026-03&criterion=publicity&points=2&reason=Niêm+yết+đủ", []string{leader}},
	},
	"POST /danh-gia/{username}": {
		{"/danh-gia/canbo", "unit=00004&period=2026-03&criterion=feedback&points=1,5&reason=Tốt", []string{leader}},
		{"/danh-gia/lanhdao", "unit=00004&period=2026-03&criterion=feedback&points=2&reason=Tự+chấm", nobody}, // nobody scores himself
	},
	// The evaluation's exports: the page's scoping (an officer's is his own).
	"GET /danh-gia/xuat/{format}": {
		{"/danh-gia/xuat/pdf", "", allStaff},
		{"/danh-gia/xuat/xlsx?unit=00004&period=2026-Q1", "", unitStaff},
	},
	"GET /danh-gia/{username}/xuat/{format}": {
		{"/danh-gia/canbo/xuat/xlsx", "", []string{counter, leader}},
		{"/danh-gia/canbo.ngocha/xuat/pdf", "", []string{counterX, leaderX}},
	},
	"GET /thong-ke": {
		{"/thong-ke", "", allStaff},
		{"/thong-ke?unit=00004", "", unitStaff},
		{"/thong-ke?unit=00008", "", otherStaff},
	},
	"GET /chi-so": {
		{"/chi-so", "", allStaff},
		{"/chi-so?unit=00008", "", otherStaff},
	},
	"GET /chi-so/xep-hang": {{"/chi-so/xep-hang?unit=00004", "", unitStaff}},
	"GET /chi-so/giai-trinh": {
		{"/chi-so/giai-trinh?indicator=2.1", "", allStaff},
		{"/chi-so/giai-trinh?unit=00008&indicator=3.3", "", otherStaff},
	},
	"GET /chi-so.xlsx": {
		{"/chi-so.xlsx", "", allStaff},
		{"/chi-so.xlsx?unit=00008", "", otherStaff},
	},
	"GET /chi-so/xep-hang.xlsx": {{"/chi-so/xep-hang.xlsx?unit=00004", "", unitStaff}},
	"GET /chi-so.pdf": {
		{"/chi-so.pdf", "", allStaff},
		{"/chi-so.pdf?unit=00008", "", otherStaff},
	},
	"GET /chi-so/xep-hang.pdf": {{"/chi-so/xep-hang.pdf?unit=00004", "", unitStaff}},
	"GET /thong-ke/xlsx": {
		{"/thong-ke/xlsx", "", allStaff},
		{"/thong-ke/xlsx?unit=00004", "", unitStaff},
	},
	"GET /so-theo-doi": {{"/so-theo-doi", "", allStaff}},
	// The administrator's pages: each unit's administrator, for its own
	// users and departments, office hours and calendar; the pages act on the
	// caller's own unit, so both administrators reach them. The catalogue is
	// installation-wide (no unit column yet).
	"GET /quan-tri":                       {{"/quan-tri", "", admins}},
	"GET /quan-tri/nguoi-dung":            {{"/quan-tri/nguoi-dung", "", admins}},
	"POST /quan-tri/nguoi-dung":           {{"/quan-tri/nguoi-dung", "", admins}},
	"GET /quan-tri/nguoi-dung/{username}": {{"/quan-tri/nguoi-dung/canbo", "", []string{admin}}},
	"POST /quan-tri/nguoi-dung/{username}/{change}": {
		{"/quan-tri/nguoi-dung/canbo/vai-tro", "role=khong-co", []string{admin}},
	},
	"POST /quan-tri/nguoi-dung/{username}/phien/{id}": {
		{"/quan-tri/nguoi-dung/canbo/phien/{officer_session}", "", []string{admin}},
	},
	"GET /quan-tri/phong-ban":       {{"/quan-tri/phong-ban", "", admins}},
	"POST /quan-tri/phong-ban":      {{"/quan-tri/phong-ban", "", admins}},
	"GET /quan-tri/thu-tuc":         {{"/quan-tri/thu-tuc", "", admins}},
	"GET /quan-tri/thu-tuc/{code}":  {{"/quan-tri/thu-tuc/1.000894", "", admins}},
	"POST /quan-tri/thu-tuc/{code}": {{"/quan-tri/thu-tuc/1.000894", "", admins}},
	"GET /quan-tri/gio-lam-viec":    {{"/quan-tri/gio-lam-viec", "", admins}},
	"POST /quan-tri/gio-lam-viec":   {{"/quan-tri/gio-lam-viec", "", admins}},
	"GET /quan-tri/lich":            {{"/quan-tri/lich", "", admins}},
	"POST /quan-tri/lich":           {{"/quan-tri/lich", "", admins}},
	"/":                             {{"/khong-co-trang-nay", "", nobody}},

	// The administrator's outbox and webhooks: his unit's only; another
	// unit's message or subscription is "not found".
	"GET /quan-tri/tin-gui-di":                 {{"/quan-tri/tin-gui-di", "", admins}},
	"POST /quan-tri/tin-gui-di/{id}/gui-lai":   {{"/quan-tri/tin-gui-di/{dead}/gui-lai", "", []string{admin}}},
	"POST /quan-tri/tin-gui-di/gui-lai-tat-ca": {{"/quan-tri/tin-gui-di/gui-lai-tat-ca", "", admins}},
	"GET /quan-tri/webhook":                    {{"/quan-tri/webhook", "", admins}},
	"POST /quan-tri/webhook":                   {{"/quan-tri/webhook", "url=x", admins}},
	"POST /quan-tri/webhook/{id}":              {{"/quan-tri/webhook/{webhook}", "active=1", []string{admin}}},

	// Each administrator edits the own unit's notification texts.
	"GET /quan-tri/thong-bao":  {{"/quan-tri/thong-bao", "", admins}},
	"POST /quan-tri/thong-bao": {{"/quan-tri/thong-bao", "kind=ready&lang=vi&channel=sms&body=Ho+so+{{.Code}}", admins}},
}

// TestAuthorizationMatrix sends every route's requests as every caller and
// checks that exactly the allowed callers get through, on every engine.
func TestAuthorizationMatrix(t *testing.T) {
	var rec routeRecorder
	(&Server{}).routes(&rec)
	for _, p := range rec.patterns {
		if _, ok := authzMatrix[p]; !ok {
			t.Errorf("route %q has no entry in the authorization matrix", p)
		}
	}
	for p := range authzMatrix {
		if !slices.Contains(rec.patterns, p) {
			t.Errorf("the authorization matrix names %q, which is not a route", p)
		}
	}
	if t.Failed() {
		return
	}
	storetest.Each(t, func(t *testing.T, engine string) {
		m := newAuthzEnv(t, engine)
		var observed []string
		for _, p := range rec.patterns {
			method, _, _ := strings.Cut(p, " ")
			if !strings.Contains(p, " ") {
				method = http.MethodGet
			}
			for _, c := range authzMatrix[p] {
				var got []string
				for _, who := range authzCallers {
					path := m.fill(c.path)
					form := m.fill(c.body)
					st, loc, body := m.send(who, method, path, form)
					if st >= 500 {
						t.Errorf("%s %s as %q: %d", method, path, name(who), st)
					}
					if st < 300 {
						m.checkNoLeak(t, who, method+" "+path+" "+form, body)
					}
					for _, sc := range authzSecrets[c.path+" "+c.body] {
						if strings.Contains(body, m.fill(sc.secret)) != slices.Contains(sc.sees, who) {
							t.Errorf("%s %s %s as %q: %d, shows %s: %v", method, c.path, c.body, name(who), st, sc.secret, !slices.Contains(sc.sees, who))
						}
					}
					refused := st == 401 || st == 403 || st == 404 || (st/100 == 3 && strings.HasPrefix(loc, "/dang-nhap"))
					ok := !refused && (method != http.MethodGet || st < 400)
					if ok {
						got = append(got, who)
					}
					switch allowed := slices.Contains(c.allowed, who); {
					case allowed && !ok:
						t.Errorf("%s %s as %q: %d %s, want a success", method, c.path, name(who), st, loc)
					case !allowed && !refused:
						t.Errorf("%s %s as %q: %d %s, want 401/403/404 or the sign-in page", method, c.path, name(who), st, loc)
					}
				}
				observed = append(observed, fmt.Sprintf("%-50s %-55s %v", p, c.path, got))
			}
		}
		if t.Failed() { // the whole observed matrix, to compare with the table
			sort.Strings(observed)
			t.Log("observed:\n" + strings.Join(observed, "\n"))
		}
	})
}

// checkNoLeak fails if a list or page names a dossier the caller may not
// see; a path or form that names the dossier itself is left to the matrix
// (the public look-up answers it to whoever has the proof).
func (m *authzEnv) checkNoLeak(t *testing.T, who, req, body string) {
	t.Helper()
	seen := map[string][]string{"{own}": ownerAndHis, "{done}": ownerAndHis, "{other}": otherStaff}
	for k, code := range m.objects {
		if seen[k] != nil && strings.Contains(req, code) {
			return
		}
	}
	for k, callers := range seen {
		if strings.Contains(body, m.objects[k]) && !slices.Contains(callers, who) {
			t.Errorf("%s as %q names the dossier %s, which the caller may not see", req, name(who), k)
		}
	}
}

// counterEntry is a complete dossier entered at the counter of unit.
func counterEntry(unit string) string {
	b, err := json.Marshal(dossier.SubmitRequest{ProcedureCode: "1.000894", UnitCode: unit, Channel: dossier.ChannelCounter,
		Components: demo.Required("1.000894"), Applicant: dossier.Applicant{Name: "Lê Thị Cúc", IDNumber: "001185006655", Phone: "0903111222"}})
	if err != nil {
		panic(err)
	}
	return string(b)
}

func name(who string) string {
	if who == "" {
		return "anonymous"
	}
	return who
}

// authzEnv is the server over one fixture with the other ward's officers,
// a second applicant, and the dossiers the paths name.
type authzEnv struct {
	t       *testing.T
	f       *storetest.Fixture
	srv     *httptest.Server
	client  *http.Client
	session map[string]string // a session per caller, for the reads
	objects map[string]string
	// fresh makes a new object at each use of its placeholder, for those an
	// allowed caller spends (a token that unsubscribes, a number taken).
	fresh map[string]func() string
}

func newAuthzEnv(t *testing.T, engine string) *authzEnv {
	f := storetest.NewFixture(t, engine)
	files := blob.NewDir(filepath.Join(t.TempDir(), "files"))
	s := &Server{DB: f.DB, Dossiers: f.Svc, Procs: store.Procedures{DB: f.DB}, Calendar: f.Cals,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: f.Clock.Now, Files: files,
		// The matrix's deliberate misses (wrong codes, wrong contacts) all
		// come from the loopback address: room for them, the limit itself
		// being TestPublicLimit's.
		Limits: Limits{Public: Rate{1000, 10 * time.Minute}, Subscribe: Rate{1000, time.Hour}}}
	m := &authzEnv{t: t, f: f, srv: httptest.NewServer(s.Handler()), session: map[string]string{}, objects: map[string]string{}, fresh: map[string]func() string{},
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	t.Cleanup(m.srv.Close)
	ctx := context.Background()
	more := []auth.User{
		{Username: stranger, FullName: "Đặng Văn Bình", Role: auth.RoleApplicant, IDNumber: "001090054321"},
		{Username: specialistX, FullName: "Ngô Thị Mai", Role: auth.RoleSpecialist, UnitCode: demo.OtherWard},
		{Username: leaderX, FullName: "Đỗ Văn Hùng", Role: auth.RoleLeader, UnitCode: demo.OtherWard},
		{Username: adminX, FullName: "Lý Thị Thu", Role: auth.RoleAdmin, UnitCode: demo.OtherWard},
	}
	for i := range more {
		u := &more[i]
		if err := f.DB.CreateUser(ctx, u, "mat-khau-dai-1"); err != nil {
			t.Fatal(err)
		}
		f.Users[u.Username], f.Actors[u.Username] = *u, u.Actor()
	}
	for _, who := range signedIn {
		m.session[who] = m.newSession(who)
	}
	a := f.Actors
	act := func(code string, steps ...string) {
		for _, s := range steps {
			who, action, _ := strings.Cut(s, ":")
			if _, err := f.Svc.Act(ctx, a[who], code, dossier.ActionRequest{Action: action}); err != nil {
				t.Fatalf("%s %s: %v", code, s, err)
			}
		}
	}
	submit := func(by, unitCode string, channel int, person dossier.Applicant) *dossier.Dossier {
		d, err := f.Svc.Submit(ctx, a[by], dossier.SubmitRequest{ProcedureCode: "1.000894", Components: demo.Required("1.000894"),
			UnitCode: unitCode, Channel: channel, Applicant: person})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	// The ward's first dossier of the day, someone else's: its code is the
	// look-up page's example.
	submit(counter, demo.Ward, dossier.ChannelCounter, dossier.Applicant{Name: "Phan Văn Tư", IDNumber: "001192007788", Phone: "0987654321"})
	lan := dossier.Applicant{Name: "Hoàng Thị Lan", IDNumber: "001190012345", Phone: ownPhone}
	// The owner's dossier, with a file, received by the ward.
	own := submit(owner, demo.Ward, dossier.ChannelOnline, lan)
	pdf := []byte("%PDF-1.4\n%%EOF\n")
	info, err := files.Put(ctx, bytes.NewReader(pdf), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	att := store.Attachment{Component: "Tờ khai", FileName: "to-khai.pdf", ContentType: "application/pdf", Size: info.Size, SHA256: info.SHA256, UploadedBy: owner}
	if err := f.DB.AddPendingAttachment(ctx, &att); err != nil {
		t.Fatal(err)
	}
	if err := f.DB.BindAttachments(ctx, own.ID, owner, []store.AttachmentRef{{ID: att.ID, SHA256: att.SHA256}}); err != nil {
		t.Fatal(err)
	}
	act(own.Code, counter+":receive")
	// The owner's dossier returned with its result file.
	done := submit(owner, demo.Ward, dossier.ChannelOnline, lan)
	act(done.Code, counter+":receive", counter+":forward", specialist+":forward", leader+":approve")
	st, up := m.upload(counter, "/api/v1/dossiers/"+done.Code+"/result-file", pdf)
	ref, _ := up["ref"].(string)
	result, _ := up["id"].(float64)
	if st != http.StatusCreated || ref == "" {
		t.Fatalf("result file: %d %v", st, up)
	}
	if _, err := f.Svc.Act(ctx, a[counter], done.Code, dossier.ActionRequest{Action: dossier.ActFinish, Result: &dossier.ResultRequest{
		Number: "12/GCN-UBND", SignedOn: stats.Day(f.Clock.Now()), Signer: "Lê Quang Vinh", File: ref}}); err != nil {
		t.Fatalf("finish: %v", err)
	}
	act(done.Code, counter+":return_result")
	// A dossier of the other ward, received at its counter.
	other := submit(counterX, demo.OtherWard, dossier.ChannelCounter, dossier.Applicant{Name: "Trịnh Văn Khải", IDNumber: "001087004321", Phone: otherPhone})
	key, err := f.DB.NotifyKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m.objects = map[string]string{"{own}": own.Code, "{done}": done.Code, "{other}": other.Code, "{file}": fmt.Sprint(att.ID),
		"{result}": fmt.Sprint(int64(result)), "{own_token}": notify.Token(key, own.Code)}
	m.outboxObjects()
	m.targetObjects()
	m.petitionObjects(files)
	m.petitionPageObjects()
	m.queueObjects()
	m.civilObjects(files)
	m.civilPageObjects()
	m.newsObjects(files)
	m.groupObjects(s)
	m.populationObjects(s)
	return m
}

// newSession opens a session for who and returns its secret.
func (m *authzEnv) newSession(who string) string {
	m.t.Helper()
	tok, _, err := m.f.DB.NewToken(context.Background(), store.TokenSpec{UserID: m.f.Users[who].ID, Kind: store.TokenSession})
	if err != nil {
		m.t.Fatal(err)
	}
	return tok
}

// fill puts the fixture's objects into a path; sessions are new each time,
// since an allowed caller ends them.
func (m *authzEnv) fill(path string) string {
	for k, v := range m.objects {
		path = strings.ReplaceAll(path, k, v)
	}
	for k, mk := range m.fresh {
		for strings.Contains(path, k) {
			path = strings.Replace(path, k, mk(), 1)
		}
	}
	if strings.Contains(path, "{dead}") {
		path = strings.ReplaceAll(path, "{dead}", m.deadMessage(demo.Ward, m.objects["{own}"], "0900000001"))
	}
	for k, who := range map[string]string{"{session}": owner, "{officer_session}": counter} {
		if strings.Contains(path, k) {
			_, id, err := m.f.DB.NewToken(context.Background(), store.TokenSpec{UserID: m.f.Users[who].ID, Kind: store.TokenSession})
			if err != nil {
				m.t.Fatal(err)
			}
			path = strings.ReplaceAll(path, k, id)
		}
	}
	return path
}

// send makes one request as who and returns the status, the redirect and
// the body.
// Signing out goes with a session of its own, since it ends it.
func (m *authzEnv) send(who, method, path, body string) (int, string, string) {
	m.t.Helper()
	req, _ := http.NewRequest(method, m.srv.URL+path, strings.NewReader(body))
	switch {
	case strings.HasPrefix(path, "/api/"):
		req.Header.Set("Content-Type", "application/json")
	case method != http.MethodGet:
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if who != anon {
		tok := m.session[who]
		if path == "/api/v1/logout" || path == "/dang-xuat" {
			tok = m.newSession(who)
		}
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: tok})
	}
	res, err := m.client.Do(req)
	if err != nil {
		m.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(raw)
}

// upload posts a PDF as multipart to an API path as who.
func (m *authzEnv) upload(who, path string, content []byte) (int, map[string]any) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	w, _ := mw.CreateFormFile("file", "ket-qua.pdf")
	_, _ = w.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, m.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: m.session[who]})
	res, err := m.client.Do(req)
	if err != nil {
		m.t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}
