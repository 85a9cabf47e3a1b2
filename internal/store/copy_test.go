package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/evaluation"
	"github.com/motcua/motcua/internal/identity"
	"github.com/motcua/motcua/internal/notify"
	"github.com/motcua/motcua/internal/payment"
	"github.com/motcua/motcua/internal/procedure"
	"github.com/motcua/motcua/internal/stats"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/store/storetest"
)

// dataset drives the real dossier service to fill a fixture with dossiers
// in every state: submitted at the counter and online, then moved through
// random but legal actions by the demo's officers and applicant.
type dataset struct {
	f     *storetest.Fixture
	rng   *rand.Rand
	procs map[string]procedure.Procedure
	codes []string
	open  []string // dossiers that may still move
	ops   int
	files *blob.Dir // the file store of the dataset's attachments
}

var names = []string{"Nguyễn Văn An", "Trần Thị Bích", "Lê Hoàng Long", "Phạm Thu Hằng", "Đỗ Quốc Việt", "Vũ Ngọc Ánh", "Hoàng Đức Thắng"}

func newDataset(t testing.TB, f *storetest.Fixture, seed uint64) *dataset {
	t.Helper()
	ps, err := store.Procedures{DB: f.DB}.List(context.Background(), store.ProcedureFilter{ActiveOnly: true})
	if err != nil || len(ps) == 0 {
		t.Fatalf("procedures: %d, %v", len(ps), err)
	}
	g := &dataset{f: f, rng: rand.New(rand.NewPCG(seed, 42)), procs: map[string]procedure.Procedure{}, files: blob.NewDir(t.TempDir())}
	for _, p := range ps {
		g.procs[p.Code] = p
	}
	return g
}

// run submits n dossiers and moves them until every one is closed or the
// operations run out; the clock moves between operations so that the data
// spans several weeks.
func (g *dataset) run(ctx context.Context, n, maxOps int) error {
	for g.ops < maxOps && (len(g.codes) < n || len(g.open) > 0) {
		g.ops++
		g.f.Clock.Advance(time.Duration(g.rng.IntN(90)) * time.Minute)
		var err error
		if len(g.codes) < n && (len(g.open) == 0 || g.rng.IntN(3) == 0) {
			err = g.submit(ctx)
		} else {
			err = g.act(ctx, g.rng.IntN(len(g.open)))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (g *dataset) submit(ctx context.Context) error {
	codes := make([]string, 0, len(g.procs))
	for c := range g.procs {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	p := g.procs[codes[g.rng.IntN(len(codes))]]
	req := dossier.SubmitRequest{ProcedureCode: p.Code, UnitCode: demo.Ward, Channel: dossier.ChannelCounter,
		Applicant: dossier.Applicant{Name: names[g.rng.IntN(len(names))], IDNumber: fmt.Sprintf("0010%02d%06d", 60+g.rng.IntN(40), g.rng.IntN(1_000_000)),
			Phone: "0912345678", Address: "Số 1 phố Điện Biên Phủ, Ba Đình"},
		Components: append(dossier.MissingRequired(&p, nil), "Bản sao giấy tờ tùy thân")}
	by := g.f.Actors["canbo"]
	switch {
	case p.OnlineMode != procedure.OnlineNone && g.rng.IntN(2) == 0:
		req.Channel, by = dossier.ChannelOnline, g.f.Actors["congdan"]
	case g.rng.IntN(5) == 0:
		req.Channel = dossier.ChannelPost
	}
	d, err := g.f.Svc.Submit(ctx, by, req)
	if err != nil {
		return fmt.Errorf("submit %s by %s: %w", p.Code, by.Username, err)
	}
	g.codes = append(g.codes, d.Code)
	g.open = append(g.open, d.Code)
	return nil
}

// move is an action and who performs it.
type move struct {
	who string
	req dossier.ActionRequest
}

func (g *dataset) act(ctx context.Context, i int) error {
	code := g.open[i]
	d, err := g.f.Svc.Get(ctx, g.f.Actors["canbo"], code)
	if err != nil {
		return err
	}
	moves := g.moves(d)
	if len(moves) == 0 {
		g.open = slices.Delete(g.open, i, i+1)
		return nil
	}
	// The first move goes forward; it is chosen most of the time so that
	// dossiers reach the end of their procedure.
	m := moves[0]
	if len(moves) > 1 && g.rng.IntN(4) == 0 {
		m = moves[1+g.rng.IntN(len(moves)-1)]
	}
	m.req.Version = d.Version
	if _, err := g.f.Svc.Act(ctx, g.f.Actors[m.who], code, m.req); err != nil {
		return fmt.Errorf("%s: %s by %s at status %d step %d: %w", code, m.req.Action, m.who, d.Status, d.Step, err)
	}
	return nil
}

// stepActor is the demo user who works each step role.
var stepActor = map[string]string{procedure.RoleCounter: "canbo", procedure.RoleSpecialist: "chuyenvien", procedure.RoleLeader: "lanhdao"}

// moves lists the legal moves of d, the one that goes forward first.
func (g *dataset) moves(d *dossier.Dossier) []move {
	online := d.Channel == dossier.ChannelOnline
	why := dossier.ActionRequest{Reason: "Theo đề nghị của người nộp"}
	with := func(action string, r dossier.ActionRequest) dossier.ActionRequest { r.Action = action; return r }
	supplement := dossier.ActionRequest{Action: dossier.ActRequestSupplement, Missing: []string{"Bản sao giấy khai sinh"}}
	switch d.Status {
	case dossier.StatusSubmitted:
		ms := []move{{"canbo", with(dossier.ActReceive, dossier.ActionRequest{})}, {"canbo", supplement},
			{"canbo", with(dossier.ActRefuse, dossier.ActionRequest{Reason: "Hồ sơ không đúng thẩm quyền"})}}
		if online {
			ms = append(ms, move{"congdan", with(dossier.ActWithdraw, why)})
		}
		return ms
	case dossier.StatusReceived:
		return append([]move{{"canbo", with(dossier.ActForward, dossier.ActionRequest{Assignee: "chuyenvien"})}, {"canbo", supplement},
			{"canbo", with(dossier.ActRequestPayment, dossier.ActionRequest{Amount: 50000})}}, g.leaderMoves(d)...)
	case dossier.StatusProcessing:
		return append(g.stepMoves(d), g.leaderMoves(d)...)
	case dossier.StatusSupplement:
		ms := []move{{"canbo", with(dossier.ActSupplement, dossier.ActionRequest{Components: []string{"Bản sao giấy khai sinh"}})}}
		if d.ReceivedAt.IsZero() { // refused only before reception
			ms = append(ms, move{"canbo", with(dossier.ActRefuse, dossier.ActionRequest{Reason: "Không bổ sung đúng hạn"})})
		}
		return ms
	case dossier.StatusPayment:
		return []move{{"canbo", with(dossier.ActConfirmPayment, dossier.ActionRequest{})}}
	case dossier.StatusDone:
		ms := []move{{"canbo", with(dossier.ActReturnResult, dossier.ActionRequest{})}}
		return append(ms, g.rating(d)...)
	case dossier.StatusReturned:
		return g.rating(d)
	}
	return nil
}

// stepMoves are the moves of the officer at the dossier's current step.
func (g *dataset) stepMoves(d *dossier.Dossier) []move {
	steps := g.procs[d.ProcedureCode].Steps
	role := steps[d.Step].Role
	who := stepActor[role]
	var forward dossier.ActionRequest
	switch {
	case role == procedure.RoleLeader:
		forward.Action = dossier.ActApprove
	case d.Step == len(steps)-1:
		forward.Action = dossier.ActFinish
	default:
		forward.Action = dossier.ActForward
		if steps[d.Step+1].Role == procedure.RoleSpecialist {
			forward.Assignee = "chuyenvien"
		}
	}
	ms := []move{{who, forward}}
	if !d.Approved { // nothing is asked of the applicant once the leader signed
		ms = append(ms, move{who, dossier.ActionRequest{Action: dossier.ActRequestSupplement, Missing: []string{"Giấy xác nhận cư trú"}}})
	}
	if role == procedure.RoleLeader && d.Step > 1 {
		ms = append(ms, move{who, dossier.ActionRequest{Action: dossier.ActSendBack, Note: "Cần xác minh thêm"}})
	}
	return ms
}

// leaderMoves are the leader's moves on an open dossier: stop it, or extend
// it once with an apology.
func (g *dataset) leaderMoves(d *dossier.Dossier) []move {
	var ms []move
	if !d.Approved && !d.ReceivedAt.IsZero() {
		ms = append(ms, move{"lanhdao", dossier.ActionRequest{Action: dossier.ActStop, Reason: "Người nộp đề nghị dừng"}})
	}
	if d.ExtendedAt.IsZero() && !d.DueAt.IsZero() {
		cal, err := g.f.Cals.For(context.Background(), d.UnitCode)
		if err != nil {
			panic(err)
		}
		// three working days later: the promised time must be a working one
		ms = append(ms, move{"lanhdao", dossier.ActionRequest{Action: dossier.ActExtend, Reason: "Cần xác minh tại địa phương khác",
			NewDueAt: cal.Add(d.DueAt, 3*cal.DayLength())}})
	}
	return ms
}

func (g *dataset) rating(d *dossier.Dossier) []move {
	if d.Channel != dossier.ChannelOnline || !d.RatedAt.IsZero() {
		return nil
	}
	return []move{{"congdan", dossier.ActionRequest{Action: dossier.ActRate, Rating: 1 + g.rng.IntN(3), Comment: "Cán bộ hướng dẫn tận tình"}}}
}

// extras writes the rows that dossiers do not: a calendar change (which
// also moves open dossiers' due times), an API token and a job lock.
func (g *dataset) extras(ctx context.Context) error {
	day := g.f.Clock.Now().AddDate(0, 0, 3).Format("2006-01-02")
	_, err := g.f.Cals.ChangeDay(ctx, demo.Ward, store.DayChange{Date: day, Kind: calendar.Holiday, Name: "Nghỉ bù",
		Reason: "Thông báo số 12/TB-UBND", By: g.f.Actors["quantri"]})
	if err != nil {
		return fmt.Errorf("calendar: %w", err)
	}
	if _, err := g.f.DB.CreateToken(ctx, g.f.Users["canbo"].ID, store.TokenAPI, 0); err != nil {
		return err
	}
	// A unit's procedure setting that changes nothing the dataset does: the
	// other ward says it takes the procedure.
	on := true
	if err := (store.Procedures{DB: g.f.DB}).SaveSetting(ctx, demo.OtherWard, "1.001612", procedure.Setting{Active: &on}, "quantri"); err != nil {
		return err
	}
	if _, err = g.f.DB.TryLock(ctx, "nightly", "test", time.Hour); err != nil {
		return err
	}
	if _, err := g.f.DB.NotifyKey(ctx); err != nil {
		return err
	}
	err = g.f.DB.SaveNotifyTemplate(ctx, notify.Template{UnitCode: "00004", Kind: notify.KindReady, Lang: "vi", Channel: notify.ChannelSMS,
		Body: "Ho so {{.Code}} da co ket qua"}, auth.Actor{Username: "quantri", Role: auth.RoleAdmin})
	if err != nil {
		return err
	}
	if err := g.payment(ctx); err != nil {
		return err
	}
	// A hand-entered indicator (with its log) and the portal turned on.
	if err := g.f.DB.SaveIndexEntry(ctx, store.IndexEntry{UnitCode: "00004", Period: "2026-02", Indicator: "5.2", Numerator: 3,
		Denominator: 4, Note: "Báo cáo tháng 2", EnteredBy: "lanhdao"}); err != nil {
		return err
	}
	if err := g.f.DB.EnableChannel(ctx, "portal", "test"); err != nil {
		return err
	}
	if err := g.targetExtras(ctx); err != nil {
		return err
	}
	if err := g.petitionExtras(ctx); err != nil {
		return err
	}
	if err := g.queueExtras(ctx); err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	if err := g.civilExtras(ctx); err != nil {
		return fmt.Errorf("civil: %w", err)
	}
	if err := g.newsExtras(ctx); err != nil {
		return fmt.Errorf("news: %w", err)
	}
	if err := g.groupExtras(ctx); err != nil {
		return fmt.Errorf("groups: %w", err)
	}
	if err := g.populationExtras(ctx); err != nil {
		return fmt.Errorf("population: %w", err)
	}
	if err := g.walletExtras(ctx); err != nil {
		return fmt.Errorf("wallet: %w", err)
	}
	return g.attach(ctx)
}

// payment records an online payment left pending and a refused
// notification.
func (g *dataset) payment(ctx context.Context) error {
	now := g.f.Clock.Now()
	p := payment.Payment{TxnRef: "REF1", DossierCode: "00004-260302-0001", UnitCode: "00004", ProcedureCode: "1.000689", Amount: 10000,
		Status: payment.StatusPending, Gateway: "vnpay", CreatedAt: now, ExpiresAt: now.Add(15 * time.Minute)}
	if err := (store.Payments{DB: g.f.DB}).CreatePayment(ctx, &p); err != nil {
		return err
	}
	return store.Payments{DB: g.f.DB}.LogRefusal(ctx, payment.Refusal{At: now, TxnRef: "REF1", Reason: "signature", Digest: "00"})
}

// attach hands in two files with the first dossier and leaves a third
// pending, as a form sent back for a wrong field leaves it.
func (g *dataset) attach(ctx context.Context) error {
	d, err := store.Dossiers{DB: g.f.DB}.Get(ctx, g.codes[0])
	if err != nil {
		return err
	}
	var refs []store.AttachmentRef
	for i, body := range []string{"%PDF-1.4 tờ khai", "%PDF-1.4 bản sao", "\x89PNG ảnh chụp"} {
		info, err := g.files.Put(ctx, strings.NewReader(body), 1<<20)
		if err != nil {
			return err
		}
		a := store.Attachment{Component: "Tờ khai", FileName: fmt.Sprintf("tep-%d.pdf", i), ContentType: "application/pdf",
			Size: info.Size, SHA256: info.SHA256, UploadedBy: "canbo"}
		if err := g.f.DB.AddPendingAttachment(ctx, &a); err != nil {
			return err
		}
		if i < 2 {
			refs = append(refs, store.AttachmentRef{ID: a.ID, SHA256: a.SHA256})
		}
	}
	return g.f.DB.BindAttachments(ctx, d.ID, "canbo", refs)
}

// buildDataset fills a SQLite fixture with n dossiers, some archived (their
// codes are returned); their files are in
// the returned store.
func buildDataset(t *testing.T, n int) (*storetest.Fixture, *blob.Dir, []string) {
	t.Helper()
	f := storetest.NewFixture(t, store.SQLite)
	g := newDataset(t, f, 7)
	ctx := context.Background()
	// A webhook subscriber, so that every change leaves an outbox message.
	if _, err := f.DB.AddWebhook(ctx, store.NewWebhook{UnitCode: "00004", URL: "https://hethong.example.vn/motcua", Events: "*"}, f.Actors["quantri"]); err != nil {
		t.Fatal(err)
	}
	// Stop short of closing every dossier, so that open ones (with running
	// and paused deadlines) are copied too.
	if err := g.run(ctx, n/2, 3*n); err != nil {
		t.Fatal(err)
	}
	if err := g.extras(ctx); err != nil {
		t.Fatal(err)
	}
	if err := g.run(ctx, n, 6*n); err != nil {
		t.Fatal(err)
	}
	archived := g.archiveSome(t, ctx, f.Clock.Now().Add(-24*time.Hour)) // so that the archive's tables are copied too
	// A leader's evaluation entry and the kept evaluation of the month.
	es := store.Evaluations{DB: f.DB}
	if _, err := es.AddEntry(ctx, evaluation.Entry{UnitCode: "00004", Period: "2026-03", Criterion: evaluation.Publicity, Points: 2,
		Reason: "Niêm yết đủ", EnteredBy: "lanhdao"}); err != nil {
		t.Fatal(err)
	}
	march, _ := evaluation.ParsePeriod("2026-03")
	if err := (&evaluation.Service{Store: es, Now: f.Clock.Now}).Snapshot(ctx, "00004", march); err != nil {
		t.Fatal(err)
	}
	if len(g.codes) != n {
		t.Fatalf("dataset: %d dossiers submitted, want %d", len(g.codes), n)
	}
	if err := f.DB.PortalSynced(ctx, g.codes[0], "00004", 2, 1, f.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	// A citizen who signed in through the identity provider.
	if _, err := (store.Identities{DB: f.DB}).SignIn(ctx, copiedIdentity); err != nil {
		t.Fatal(err)
	}
	t.Logf("dataset: %d dossiers, %d operations, %d still open", len(g.codes), g.ops, len(g.open))
	return f, g.files, archived
}

func TestCopy(t *testing.T) {
	f, files, archived := buildDataset(t, 200)
	ctx := context.Background()
	want := summary(t, f.DB)
	if want.Totals[stats.Submitted] != 200 {
		t.Fatalf("source: %d submitted, want 200", want.Totals[stats.Submitted])
	}
	t.Logf("source totals: %v", want.Totals)
	for _, engine := range storetest.Engines() {
		t.Run("to "+engine, func(t *testing.T) {
			dst := storetest.Open(t, engine)
			var progress bytes.Buffer
			rep, err := store.Copy(ctx, f.DB, dst, &progress)
			if err != nil {
				t.Fatalf("copy: %v\n%s", err, progress.String())
			}
			checkReport(t, rep)
			if got := summary(t, dst); !reflect.DeepEqual(got, want) {
				t.Errorf("summary differs:\n got %+v\nwant %+v", got, want)
			}
			sameDossiers(t, f.DB, dst, 15)
			if err := storetest.RunningMatchesRecount(ctx, dst); err != nil {
				t.Error(err)
			}
			stillWorks(t, f, dst)
			newsSearchWorks(t, dst, f.Clock.Now())
			sameFiles(t, dst, files, archived)
		})
	}
}

// sameFiles copies the files the copied attachments name into a new file
// store, and reads them back through the copy.
func sameFiles(t *testing.T, db *store.DB, from *blob.Dir, archived []string) {
	t.Helper()
	ctx := context.Background()
	to := blob.NewDir(t.TempDir())
	n, err := store.CopyFiles(ctx, db, from, to, nil)
	if err != nil || n != 7 {
		t.Fatalf("copy files: %d, %v; want the 7 files (2 bound, 1 pending, 1 of an archived dossier, 1 of a petition, 1 of an article, 1 handed in twice through the wallet)", n, err)
	}
	if n, err := store.CopyFiles(ctx, db, from, to, nil); err != nil || n != 0 {
		t.Fatalf("copy files again: %d, %v; want nothing to do", n, err)
	}
	list, _, err := store.Dossiers{DB: db}.List(ctx, dossier.Filter{Limit: 500}, dossier.Scope{All: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range archived {
		d, err := store.Dossiers{DB: db}.Brief(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		list = append(list, *d)
	}
	found := 0
	for _, d := range list {
		as, err := db.DossierAttachments(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range as {
			found++
			if _, err := to.Stat(ctx, a.SHA256); err != nil {
				t.Errorf("%s of %s: %v", a.FileName, d.Code, err)
			}
		}
	}
	if found != 5 {
		t.Errorf("%d files bound to dossiers in the copy, want 5 (1 of them archived, 2 naming the same file through the wallet)", found)
	}
}

// checkReport wants every table copied whole and every chain intact.
func checkReport(t *testing.T, rep store.CopyReport) {
	t.Helper()
	if !rep.OK() || rep.Audit.Checked != 200 || rep.Audit.Broken != 0 {
		t.Fatalf("report not OK: %+v", rep)
	}
	var tables []string
	for _, c := range rep.Tables {
		tables = append(tables, c.Table)
		if c.Source == 0 {
			t.Errorf("%s: nothing copied; the dataset should fill every table", c.Table)
		}
	}
	if !slices.Equal(tables, store.CopyTables()) {
		t.Errorf("report tables %v, want %v", tables, store.CopyTables())
	}
}

func summary(t *testing.T, db *store.DB) *stats.Summary {
	t.Helper()
	s, err := db.Summary(context.Background(), stats.Query{From: "2000-01-01", To: "2100-12-31"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// sameDossiers reads n dossiers back through the store on both sides.
func sameDossiers(t *testing.T, src, dst *store.DB, n int) {
	t.Helper()
	ctx := context.Background()
	list, total, err := store.Dossiers{DB: src}.List(ctx, dossier.Filter{Limit: 500}, dossier.Scope{All: true})
	if err != nil || total == 0 {
		t.Fatalf("list: %d, %v", total, err)
	}
	for i := 0; i < len(list); i += max(1, len(list)/n) {
		a, err := store.Dossiers{DB: src}.Get(ctx, list[i].Code)
		if err != nil {
			t.Fatal(err)
		}
		b, err := store.Dossiers{DB: dst}.Get(ctx, list[i].Code)
		if err != nil {
			t.Fatalf("%s in the copy: %v", list[i].Code, err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s differs after the copy:\n got %+v\nwant %+v", a.Code, b, a)
		}
	}
}

// stillWorks uses the copy as a live installation: the id sequences must
// have moved past the copied ids, the counters go on from the copied ones
// and the demo users can still sign in.
// copiedIdentity is the citizen of the dataset who signed in through the
// identity provider.
var copiedIdentity = identity.Identity{Issuer: "https://vneid.example.vn", Subject: "s-1", IDNumber: "001090054321", Name: "Lý Thị Mai"}

func stillWorks(t *testing.T, f *storetest.Fixture, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	db.Now = f.Clock.Now
	cals := &store.Calendars{DB: db}
	svc := &dossier.Service{Store: store.Dossiers{DB: db}, Procedures: store.Procedures{DB: db}, Calendars: cals,
		Units: db, Officers: db, Now: f.Clock.Now}
	d, err := svc.Submit(ctx, f.Actors["canbo"], dossier.SubmitRequest{ProcedureCode: "1.001612", Components: demo.Required("1.001612"), Channel: dossier.ChannelCounter,
		Applicant: dossier.Applicant{Name: "Nguyễn Văn A", IDNumber: "001090012345"}})
	if err != nil {
		t.Fatalf("submit on the copy: %v", err)
	}
	if _, err := (store.Dossiers{DB: f.DB}).Get(ctx, d.Code); apperr.Code(err) != apperr.ENOTFOUND {
		t.Errorf("the copy gave a new dossier the code %s, already used in the source (%v)", d.Code, err)
	}
	u := auth.User{Username: "moi", FullName: "Cán bộ mới", Role: auth.RoleCounter, UnitCode: demo.Ward}
	if err := db.CreateUser(ctx, &u, "mật-khẩu-dài"); err != nil {
		t.Fatalf("create a user on the copy: %v", err)
	}
	if _, err := db.Authenticate(ctx, "canbo", demo.Password()); err != nil {
		t.Errorf("sign in on the copy: %v", err)
	}
	// The identity remembered signs in to the same account, and is still
	// tied to its number.
	if u, err := (store.Identities{DB: db}).SignIn(ctx, copiedIdentity); err != nil || u.Username != identity.UsernameOf(copiedIdentity.IDNumber) {
		t.Errorf("sign in through the provider on the copy: %+v %v", u, err)
	}
	other := copiedIdentity
	other.IDNumber = "001090054322"
	if _, err := (store.Identities{DB: db}).SignIn(ctx, other); apperr.Code(err) != apperr.ECONFLICT {
		t.Errorf("the copy forgot the identity's number: %v", err)
	}
	if ls, err := (store.Procedures{DB: db}).Layers(ctx, "1.001612", demo.OtherWard); err != nil || len(ls["1.001612"]) != 1 || ls["1.001612"][0].ChangedBy != "quantri" {
		t.Errorf("the other ward's procedure setting on the copy: %+v %v", ls, err)
	}
}

func TestCopyRefusesNonEmptyTarget(t *testing.T) {
	storetest.Each(t, func(t *testing.T, engine string) {
		src := storetest.NewFixture(t, store.SQLite)
		dst := storetest.NewFixture(t, engine) // already has the demo's units and users
		_, err := store.Copy(context.Background(), src.DB, dst.DB, nil)
		if apperr.Code(err) != apperr.ECONFLICT || !strings.Contains(err.Error(), "not empty") {
			t.Fatalf("copy into a non-empty database: %v; want a conflict saying so", err)
		}
		if n, _ := dst.DB.CountUsers(context.Background()); n != len(demo.Users()) {
			t.Errorf("the target was changed: %d users", n)
		}
	})
}

// TestCopyBack copies PostgreSQL to SQLite, the other direction.
func TestCopyBack(t *testing.T) {
	f := storetest.NewFixture(t, store.Postgres)
	g := newDataset(t, f, 11)
	ctx := context.Background()
	if err := g.run(ctx, 40, 800); err != nil {
		t.Fatal(err)
	}
	dst := storetest.Open(t, store.SQLite)
	rep, err := store.Copy(ctx, f.DB, dst, nil)
	if err != nil || !rep.OK() || rep.Audit.Checked != 40 {
		t.Fatalf("copy back: %+v, %v", rep, err)
	}
	if got, want := summary(t, dst), summary(t, f.DB); !reflect.DeepEqual(got, want) {
		t.Errorf("summary differs:\n got %+v\nwant %+v", got, want)
	}
	sameDossiers(t, f.DB, dst, 10)
}

// TestCopyCoversSchema fails when a migration adds a table that Copy does
// not know: migrate-data would silently leave its rows behind.
func TestCopyCoversSchema(t *testing.T) {
	path := storetest.DSN(t, store.SQLite)
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	// With a busy timeout, as the store opens it: a connection of the
	// store's pools may still be closing (and holding a lock) when this one
	// reads, which otherwise fails at once with SQLITE_BUSY.
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	// sums_epoch is the target's own (its migration makes its row): the
	// copy writes every sum of a fresh database, read by no server yet.
	known := append(store.CopyTables(), "job_locks", "throttle", "oidc_logins", "schema_migrations", "sums_epoch")
	// The civil-status name index and its shadow tables: triggers fill
	// them from civil_people as the copy writes it.
	known = append(known, "civil_names", "civil_names_config", "civil_names_data", "civil_names_idx", "civil_name_words")
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		// The news' search index (FTS5 and its own tables) is built by
		// triggers from the copied articles.
		if !slices.Contains(known, name) && !strings.HasPrefix(name, "news_fts") {
			t.Errorf("table %s is neither copied by store.Copy nor skipped on purpose", name)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}
