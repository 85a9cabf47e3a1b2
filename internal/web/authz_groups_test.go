package web

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/announce"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/notify"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
	"github.com/motcua/motcua/internal/unit"
)

// Residential groups: their list, pages, announcements on them and the
// public statistics are anyone's; subscribing, confirming and
// unsubscribing need no account (the code or the signed token is the
// proof); the commune's leaders and administrators write its
// announcements; its administrators add, rename and close its groups and
// make their leaders' accounts. The subscribers' addresses and the
// leaders' accounts are shown to nobody.
const groupSubscriber = "0912000777"

// quietGroup is a group of a ward without officers: the tokens the matrix
// spends are its subscribers', so that no announcement of the wards
// written by the matrix reaches them.
const quietGroup = "00070-01"

func init() {
	g1, g2 := storetest.Group1, storetest.Group2
	for p, cases := range map[string][]authzCase{
		"GET /api/v1/groups":                       {{"/api/v1/groups?unit=00004", "", everyone}},
		"POST /api/v1/groups":                      {{"/api/v1/groups", `{"unit":"00004","number":"{group_number}","type":"to","name":"Mới"}`, []string{admin}}},
		"PUT /api/v1/groups/{code}":                {{"/api/v1/groups/" + g2, `{"name":"Hai"}`, []string{admin}}},
		"POST /api/v1/groups/{code}/leader":        {{"/api/v1/groups/" + g2 + "/leader", `{"username":"{group_user}","full_name":"Tổ trưởng","password":"mat-khau-dai-1"}`, []string{admin}}},
		"POST /api/v1/groups/{code}/subscriptions": {{"/api/v1/groups/" + g1 + "/subscriptions", `{"channel":"sms","address":"0912000123"}`, everyone}},
		"POST /api/v1/groups/{code}/subscriptions/confirm": {
			{"/api/v1/groups/" + quietGroup + "/subscriptions/confirm", `{"token":"{group_confirm}"}`, everyone},
			{"/api/v1/groups/" + g1 + "/subscriptions/confirm", `{"channel":"sms","address":"0912999999","code":"123456"}`, nobody},
		},
		"POST /api/v1/subscriptions/unsubscribe": {
			{"/api/v1/subscriptions/unsubscribe", `{"token":"{group_off}"}`, everyone},
			{"/api/v1/subscriptions/unsubscribe", `{"token":"forged.AAAA"}`, nobody},
		},
		"GET /api/v1/announcements": {
			{"/api/v1/announcements?group=" + g1, "", everyone},
			{"/api/v1/announcements", "", allStaff},
		},
		"POST /api/v1/announcements": {{"/api/v1/announcements", `{"unit":"00004","title":"Họp tổ","body":"Tối nay 19:30.","all_groups":true}`, []string{leader, admin}}},
		"GET /api/v1/stats/public":   {{"/api/v1/stats/public?unit=00004", "", everyone}, {"/api/v1/stats/public?unit=" + g1, "", nobody}},

		"GET /to-dan-pho/{code}":                {{"/to-dan-pho/" + g1, "", everyone}, {"/to-dan-pho/00004", "", nobody}},
		"POST /to-dan-pho/{code}/dang-ky":       {{"/to-dan-pho/" + g1 + "/dang-ky", "channel=sms&address=0912000124", everyone}},
		"GET /to-dan-pho/xac-nhan":              {{"/to-dan-pho/xac-nhan?t={group_confirm}", "", everyone}},
		"POST /to-dan-pho/xac-nhan":             {{"/to-dan-pho/xac-nhan", "t={group_confirm}", everyone}},
		"GET /to-dan-pho/huy":                   {{"/to-dan-pho/huy?t={group_off}", "", everyone}},
		"POST /to-dan-pho/huy":                  {{"/to-dan-pho/huy", "t={group_off}", everyone}, {"/to-dan-pho/huy", "t=forged.AAAA", nobody}},
		"GET /to-dan-pho/thong-bao":             {{"/to-dan-pho/thong-bao", "", []string{leader, admin, leaderX, adminX}}},
		"POST /to-dan-pho/thong-bao":            {{"/to-dan-pho/thong-bao", "title=H%E1%BB%8Dp&body=T%E1%BB%91i+nay&target=all", []string{leader, admin, leaderX, adminX}}},
		"GET /thong-ke/cong-khai":               {{"/thong-ke/cong-khai", "", everyone}},
		"GET /thong-ke/cong-khai/{unit}":        {{"/thong-ke/cong-khai/00004", "", everyone}, {"/thong-ke/cong-khai/" + g1, "", nobody}},
		"GET /thong-ke/cong-khai/{unit}/widget": {{"/thong-ke/cong-khai/00004/widget", "", everyone}},

		"GET /quan-tri/to-dan-pho":                  {{"/quan-tri/to-dan-pho", "", admins}},
		"POST /quan-tri/to-dan-pho":                 {{"/quan-tri/to-dan-pho", "number={group_number}&type=thon&name=Ba", admins}},
		"POST /quan-tri/to-dan-pho/{code}/{change}": {{"/quan-tri/to-dan-pho/" + g2 + "/rename", "name=Hai", []string{admin}}},
	} {
		authzMatrix[p] = cases
	}
	authzSecrets["/api/v1/groups?unit=00004 "] = []authzSecret{{"Đỗ Thị Mai", everyone}, {"totruong1", nobody}}
	authzSecrets["/to-dan-pho/"+g1+" "] = []authzSecret{{"Đỗ Thị Mai", everyone}, {groupSubscriber, nobody}, {"totruong1", nobody}}
}

// groupObjects seeds the fixture's groups, a confirmed subscriber of the
// first, an announcement to it, and the makers of fresh tokens, numbers
// and usernames.
func (m *authzEnv) groupObjects(s *Server) {
	ctx := context.Background()
	m.f.SeedGroups(m.t)
	if _, err := m.f.DB.ImportUnits(ctx, []unit.Unit{{Code: "00070", Name: "Hoàn Kiếm", FullName: "Phường Hoàn Kiếm", NameEn: "Hoan Kiem",
		Kind: unit.KindWard, ParentCode: demo.Province}}); err != nil {
		m.t.Fatal(err)
	}
	quiet, err := unit.NewGroup("00070", "01", "to", "1")
	if err == nil {
		err = m.f.DB.SaveGroup(ctx, quiet)
	}
	if err != nil {
		m.t.Fatal(err)
	}
	svc := s.Announce()
	n := 10
	m.fresh["{group_number}"] = func() string { n++; return fmt.Sprint(n) }
	m.fresh["{group_user}"] = func() string { n++; return fmt.Sprintf("totruong%d", n) }
	m.fresh["{group_off}"] = func() string {
		n++
		sub := m.f.Subscribed(m.t, quietGroup, fmt.Sprintf("09120%05d", n))
		key, err := m.f.DB.NotifyKey(ctx)
		if err != nil {
			m.t.Fatal(err)
		}
		m.deliverGroupMessages()
		return url.QueryEscape(announce.OffToken(key, sub.Ref))
	}
	m.fresh["{group_confirm}"] = func() string {
		n++
		if _, err := svc.Subscribe(ctx, quietGroup, announce.SubscribeRequest{Channel: announce.ChannelEmail, Address: fmt.Sprintf("cu.dan%d@example.org", n)}); err != nil {
			m.t.Fatal(err)
		}
		link := lastGroupMessage(m, "group.confirm").Fields.Link
		tok, _ := url.ParseQuery(link[strings.Index(link, "?")+1:])
		m.deliverGroupMessages()
		return url.QueryEscape(tok.Get("t"))
	}
	m.f.Subscribed(m.t, storetest.Group1, groupSubscriber)
	if err := svc.Create(ctx, m.f.Actors[leader], &announce.Announcement{Title: "Lịch tiêm chủng", Body: "Sáng thứ Bảy.", Groups: []string{storetest.Group1}}); err != nil {
		m.t.Fatal(err)
	}
}

// deliverGroupMessages marks the messages of the groups' channels sent, as
// a sender would: the many codes the matrix asks for must not push the
// failed messages the outbox's rows look for off the administrators' list.
func (m *authzEnv) deliverGroupMessages() {
	ctx := context.Background()
	q := store.Outbox{DB: m.f.DB}
	msgs, err := q.Claim(ctx, announce.Channels, "authz-groups", 1000, time.Minute)
	if err != nil {
		m.t.Fatal(err)
	}
	for _, msg := range msgs {
		if err := q.Delivered(ctx, msg.ID, "authz-groups"); err != nil {
			m.t.Fatal(err)
		}
	}
}

// lastGroupMessage is the payload of the newest message of a topic.
func lastGroupMessage(m *authzEnv, topic string) notify.Payload {
	_, p := storetest.GroupMessages(m.t, m.f.DB, topic, "")
	if len(p) == 0 {
		m.t.Fatalf("no %s message", topic)
	}
	return p[len(p)-1]
}
