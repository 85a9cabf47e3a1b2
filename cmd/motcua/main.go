// Command motcua runs the one-stop shop: the web server and the
// administrator's commands (import units and procedures, users, tokens,
// calendar, audit).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/motcua/motcua/internal/announce"
	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/blob"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/petition"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/web"
	"github.com/prometheus/client_golang/prometheus"
)

const usage = `motcua — bộ phận một cửa (one-stop shop for administrative procedures)

Usage:
  motcua serve [--demo] [--addr :8080] [--data DIR | --db URL] [--files DIR] [--public-url URL]
               [--trusted-proxy CIDRS] [--limit-signin-slow|-pair|-addr|-account N/DURATION] [--limit-public N/DURATION]
               [--limit-petition N/DURATION] [--limit-queue N/DURATION] [--limit-booking N/DURATION] [--limit-subscribe N/DURATION]
               [--webhook-private] [--portal-url URL] [--archive-after-years N]
               [--vnpay-url URL --vnpay-tmn CODE]  (secret from $MOTCUA_VNPAY_SECRET)
               [--smtp-addr H:P --smtp-user U --smtp-from ADDR] [--sms-url URL --sms-brandname B]
               [--zalo-url URL --zalo-template ID]   (secrets from MOTCUA_SMTP_PASSWORD, MOTCUA_SMS_KEY/SECRET, MOTCUA_ZALO_TOKEN)
               [--oidc-issuer URL --oidc-client-id ID] [--oidc-redirect-url URL] [--oidc-id-claim personal_id]
               [--oidc-scopes profile] [--oidc-officers]  (secret from $MOTCUA_OIDC_CLIENT_SECRET)
               [--population-url URL]  (key from $MOTCUA_POPULATION_KEY)
  motcua migrate
  motcua units import FILE            (JSON of the 2025 list, or the GSO CSV)
  motcua units hours CODE [--spans 08:00-12:00,13:00-17:00] [--saturday 08:00-11:30] [--saturday-works]
  motcua procedures import FILE | export [FILE]
  motcua user add --username NAME --role ROLE [--unit CODE] [--department CODE] [--name "Full Name"] [--id-number N]  (password from $MOTCUA_PASSWORD or stdin)
  motcua user id-number --user NAME (--id-number N | --clear)   (the number the identity provider's sign-in finds the account by)
  motcua user unlink --user NAME      (forget the account's links to the identity provider)
  motcua token create --user NAME
  motcua audit verify
  motcua archive --older-than-years N [--batch 500]  (move dossiers that ended N years ago to the archive)
  motcua calendar show --year 2026 [--unit CODE]
  motcua calendar set DATE --kind holiday|workday --name NAME --reason TEXT [--unit CODE]
  motcua calendar unset DATE --reason TEXT [--unit CODE]
  motcua backup [--files DIR] FILE.tar   (online backup: database and uploaded files, with a manifest)
  motcua restore FILE.tar [--data DIR | --db URL] [--files DIR]   (into an empty installation, checked)
  motcua outbox list [--status pending|done|dead] [--channel C] [--unit CODE] | retry ID|--all | purge [--older-than 720h] | disable portal
  motcua webhook add --unit CODE --url URL [--events dossier.receive,...|*] | list [--unit CODE] | off ID | on ID
  motcua payments reconcile [--date YYYY-MM-DD] [--json]
  motcua migrate-data --from sqlite:PATH --to postgres://...
  motcua civil import --unit CODE [--dry-run] FILE   (old register books from CSV or Excel .xlsx; all rows or none)
  motcua population serve [--file people.json] [--addr 127.0.0.1:8090]   (a stand-in population database for trying the look-up)
  motcua bench [-db URL] [-dossiers N] [-clients K] [-duration D]
  motcua bench civil [-records N] [-db URL] [-data DIR] [-clients K] [-keep] [-loadprofile FILE]
  motcua bench portal [-db URL] [-clients K] [-duration D] [-articles N]

Common flags (also from the environment):
  --data DIR   data directory for the embedded SQLite database ($MOTCUA_DATA, default ./motcua-data)
  --db URL     postgres://... to run on PostgreSQL ($MOTCUA_DB)
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := &Main{Stdout: os.Stdout, Stderr: os.Stderr, Stdin: os.Stdin}
	if err := m.Run(ctx, os.Args[1:]); err != nil {
		if e := apperr.As(err); e != nil {
			fmt.Fprintf(os.Stderr, "Lỗi: %s\nError: %s\n", e.Message, e.MessageEn)
		} else {
			fmt.Fprintln(os.Stderr, "Lỗi / error:", err)
		}
		os.Exit(1)
	}
}

// Main is the program, so that a test can run it whole.
type Main struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader

	DataDir string
	DBURL   string
	DB      *store.DB
	Svc     *dossier.Service
	Cals    *store.Calendars
}

// commonFlags adds the flags every command shares.
func (m *Main) commonFlags(fs *flag.FlagSet) {
	fs.StringVar(&m.DataDir, "data", envOr("MOTCUA_DATA", "motcua-data"), "data directory (SQLite)")
	fs.StringVar(&m.DBURL, "db", os.Getenv("MOTCUA_DB"), "database URL: postgres://... (default: SQLite in the data directory)")
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// Run dispatches a command.
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 || isHelp(args[0]) {
		fmt.Fprint(m.Stdout, usage)
		return nil
	}
	cmd, rest := args[0], args[1:]
	if cmd == "units" || cmd == "procedures" || cmd == "user" || cmd == "token" || cmd == "audit" || cmd == "calendar" ||
		cmd == "outbox" || cmd == "webhook" || cmd == "payments" || cmd == "civil" || cmd == "population" {
		if len(rest) == 0 || isHelp(rest[0]) {
			fmt.Fprint(m.Stdout, usage) // "motcua units --help": the usage lists the group's commands
			return nil
		}
		cmd, rest = cmd+" "+rest[0], rest[1:]
	}
	run, ok := map[string]func(context.Context, []string) error{
		"serve": m.serve, "migrate": m.migrate, "units import": m.unitsImport, "units hours": m.unitsHours,
		"procedures import": m.proceduresImport, "procedures export": m.proceduresExport,
		"user add": m.userAdd, "user id-number": m.userIDNumber, "user unlink": m.userUnlink,
		"token create": m.tokenCreate, "audit verify": m.auditVerify,
		"calendar show": m.calendarShow, "calendar set": m.calendarSet, "calendar unset": m.calendarUnset,
		"archive": m.archive, "backup": m.backup, "restore": m.restore, "migrate-data": m.migrateData, "bench": m.bench,
		"outbox list": m.outboxList, "outbox retry": m.outboxRetry, "outbox purge": m.outboxPurge, "outbox disable": m.outboxDisable, "payments reconcile": m.paymentsReconcile,
		"civil import": m.civilImport, "population serve": m.populationServe, "webhook add": m.webhookAdd,
		"webhook list": m.webhookList, "webhook off": m.webhookSwitch(false), "webhook on": m.webhookSwitch(true),
	}[cmd]
	if !ok {
		fmt.Fprint(m.Stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
	err := run(ctx, rest)
	if errors.Is(err, flag.ErrHelp) {
		return nil // "motcua serve --help": the flag package printed the command's flags
	}
	return err
}

// isHelp tells whether an argument asks for the usage.
func isHelp(arg string) bool {
	return arg == "help" || arg == "-h" || arg == "--help" || arg == "-help"
}

// open connects to the database and builds the services.
func (m *Main) open(ctx context.Context) error {
	dsn := m.DBURL
	if dsn == "" {
		dsn = filepath.Join(m.DataDir, "motcua.db")
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	m.DB = db
	m.Cals = &store.Calendars{DB: db}
	m.Svc = &dossier.Service{Store: store.Dossiers{DB: db}, Procedures: store.Procedures{DB: db}, Calendars: m.Cals,
		Units: db, Officers: db, Now: time.Now}
	return nil
}

// Close closes the database.
func (m *Main) Close() error {
	if m.DB != nil {
		return m.DB.Close()
	}
	return nil
}

func (m *Main) serve(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	m.commonFlags(fs)
	addr := fs.String("addr", envOr("MOTCUA_ADDR", ":8080"), "address to listen on")
	withDemo := fs.Bool("demo", false, "load the demo dataset into an empty database")
	publicURL := fs.String("public-url", os.Getenv("MOTCUA_PUBLIC_URL"), "address citizens reach the site at, printed in receipts' QR codes (default: the request's host)")
	var filesDir string
	filesFlag(fs, &filesDir)
	obFlags := addOutboxFlags(fs)
	payFlags := addPaymentFlags(fs)
	oidcFl, err := addOIDCFlags(fs)
	if err != nil {
		return err
	}
	limits, err := limitFlags(fs)
	if err != nil {
		return err
	}
	archiveYears := archiveFlag(fs)
	populationURL := populationFlag(fs)
	proxies := fs.String("trusted-proxy", os.Getenv("MOTCUA_TRUSTED_PROXY"), "addresses or CIDR blocks of the reverse proxies whose X-Forwarded-For names the client, comma-separated (default: none, the connection's address counts)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if limits.TrustedProxies, err = web.ParseProxies(*proxies); err != nil {
		return err
	}
	if err := checkYears("archive-after-years", *archiveYears, true); err != nil {
		return err
	}
	idp, err := identityProvider(oidcFl, *publicURL)
	if err != nil {
		return err
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	defer m.Close()
	log := slog.New(slog.NewTextHandler(m.Stderr, nil))
	files := blob.NewDir(m.filesDir(filesDir))
	if *withDemo {
		if err := m.loadDemo(ctx, log, files); err != nil {
			return err
		}
	}
	pay, err := m.paymentService(payFlags, log)
	if err != nil {
		return err
	}
	registry, err := populationRegistry(*populationURL)
	if err != nil {
		return err
	}
	if err := m.startNotify(ctx, log, *obFlags, *publicURL); err != nil {
		return err
	}
	worker, err := m.outboxWorker(ctx, log, *obFlags)
	if err != nil {
		return err
	}
	collectors := []prometheus.Collector{worker.Metrics}
	if pay != nil {
		collectors = append(collectors, pay.Refused)
	}
	srv := &web.Server{DB: m.DB, Dossiers: m.Svc, Procs: store.Procedures{DB: m.DB}, Calendar: m.Cals, Log: log, Now: time.Now,
		PublicURL: *publicURL, Files: files, Limits: *limits, Payments: pay, Collectors: collectors, Identity: idp, PopulationRegistry: registry}
	go m.purgeUploads(ctx, files, log)
	go m.escalatePetitions(ctx, srv.Petitions(), log)
	go m.publishAnnouncements(ctx, srv.Announce(), log)
	go worker.Run(ctx)
	go m.archiveDaily(ctx, *archiveYears, log)
	go m.evaluateMonthly(ctx, log)
	go m.monthlyReports(ctx, srv.MonthlyReports(), log)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second, WriteTimeout: 60 * time.Second}
	hs.RegisterOnShutdown(srv.CloseStreams)
	log.Info("motcua listening", "addr", ln.Addr().String(), "engine", m.DB.Engine)
	fmt.Fprintf(m.Stdout, "motcua: http://%s\n", displayAddr(ln.Addr()))
	return serveUntil(ctx, hs, ln)
}

// serveUntil serves hs on ln until ctx ends, then shuts it down, giving the
// requests in flight ten seconds to finish.
func serveUntil(ctx context.Context, hs *http.Server, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shut); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Uploads of forms that were never sent are forgotten after a day; the
// purge runs every hour on one of the servers.
const (
	pendingUploadTTL = 24 * time.Hour
	purgeEvery       = time.Hour
)

// purgeUploads forgets pending uploads older than a day and deletes the
// files nothing names any more, and drops the limits' counters whose window
// ended, until ctx ends.
func (m *Main) purgeUploads(ctx context.Context, files blob.Store, log *slog.Logger) {
	holder := store.Holder()
	tick := time.NewTicker(purgeEvery)
	defer tick.Stop()
	for {
		_, err := m.DB.RunOnce(ctx, "purge-uploads", holder, purgeEvery-5*time.Minute, func(ctx context.Context) error {
			sums, err := m.DB.PurgePendingAttachments(ctx, time.Now().Add(-pendingUploadTTL))
			for _, s := range sums {
				err = errors.Join(err, files.Delete(ctx, s))
			}
			if len(sums) > 0 {
				log.Info("pending uploads purged", "files", len(sums))
			}
			return err
		})
		if err != nil && ctx.Err() == nil {
			log.Error("purge pending uploads", "err", err)
		}
		_, err = m.DB.RunOnce(ctx, "purge-throttle", holder, purgeEvery-5*time.Minute, func(ctx context.Context) error {
			_, err := m.DB.PurgeCounters(ctx, time.Now())
			return err
		})
		if err != nil && ctx.Err() == nil {
			log.Error("purge the limits' counters", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// escalatePetitions tells the leaders, every hour on one of the servers,
// of the petitions that went late: each is escalated once, in its history,
// with an SMS to the unit's leaders through the outbox.
func (m *Main) escalatePetitions(ctx context.Context, svc *petition.Service, log *slog.Logger) {
	m.periodic(ctx, "petition-escalate", time.Hour, 55*time.Minute, log, func(ctx context.Context) error {
		n, err := svc.EscalateLate(ctx)
		if n > 0 {
			log.Info("late petitions escalated", "petitions", n)
		}
		return err
	})
}

// announceEvery is how often scheduled announcements are looked for: a
// resident gets one within a minute of its time.
const announceEvery = time.Minute

// publishAnnouncements sends, every minute on one of the servers, the
// residential groups' announcements whose time has come.
func (m *Main) publishAnnouncements(ctx context.Context, svc *announce.Service, log *slog.Logger) {
	m.periodic(ctx, "group-announcements", announceEvery, announceEvery-5*time.Second, log, func(ctx context.Context) error {
		n, err := svc.PublishDue(ctx)
		if n > 0 {
			log.Info("announcements sent", "announcements", n)
		}
		return err
	})
}

// limitFlags adds the flags of the limits on sign-in and the public forms,
// each defaulting to its environment variable, else to web.DefaultLimits.
func limitFlags(fs *flag.FlagSet) (*web.Limits, error) {
	l := web.DefaultLimits
	for _, f := range []struct {
		name, env, usage string
		rate             *web.Rate
	}{
		{"limit-signin-slow", "MOTCUA_LIMIT_SIGNIN_SLOW", "failed sign-ins of one account from one address before it is slowed (COUNT/DURATION or off)", &l.SigninSlow},
		{"limit-signin-pair", "MOTCUA_LIMIT_SIGNIN_PAIR", "failed sign-ins of one account from one address before the pair is locked", &l.SigninPair},
		{"limit-signin-addr", "MOTCUA_LIMIT_SIGNIN_ADDR", "failed sign-ins from one address, any accounts, before the address is locked", &l.SigninAddr},
		{"limit-signin-account", "MOTCUA_LIMIT_SIGNIN_ACCOUNT", "failed sign-ins of one account from anywhere before the account is briefly locked", &l.SigninAccount},
		{"limit-public", "MOTCUA_LIMIT_PUBLIC", "public look-ups and anonymous ratings from one address", &l.Public},
		{"limit-petition", "MOTCUA_LIMIT_PETITION", "petitions sent from one address (or one account)", &l.Petition},
		{"limit-queue", "MOTCUA_LIMIT_QUEUE", "tickets, bookings and check-ins from one address without an officer's account", &l.Queue},
		{"limit-booking", "MOTCUA_LIMIT_BOOKING", "appointments booked from one address without an officer's account", &l.Booking},
		{"limit-subscribe", "MOTCUA_LIMIT_SUBSCRIBE", "subscriptions to residential groups asked from one address", &l.Subscribe},
		{"limit-subscribe-to", "MOTCUA_LIMIT_SUBSCRIBE_TO", "confirmation codes and links sent to one phone or mailbox, any group, any address", &l.SubscribeTo},
	} {
		if v := os.Getenv(f.env); v != "" {
			if err := f.rate.Set(v); err != nil {
				return nil, fmt.Errorf("$%s: %w", f.env, err)
			}
		}
		fs.Var(f.rate, f.name, f.usage+" ($"+f.env+")")
	}
	return &l, nil
}

func displayAddr(a net.Addr) string {
	host, port, _ := net.SplitHostPort(a.String())
	if host == "::" || host == "0.0.0.0" || host == "" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// loadDemo loads the demo dataset only into an empty database; on a database
// that has users it says so and goes on.
func (m *Main) loadDemo(ctx context.Context, log *slog.Logger, files blob.Store) error {
	// Servers started together with --demo on one database take turns, so the
	// demo is loaded once.
	holder := store.Holder()
	for deadline := time.Now().Add(2 * time.Minute); ; {
		ok, err := m.DB.TryLock(ctx, "demo", holder, 2*time.Minute)
		if err != nil {
			return err
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("demo: another server is still loading the demo")
		}
		time.Sleep(200 * time.Millisecond)
	}
	defer m.DB.Unlock(context.Background(), "demo", holder)
	n, err := m.DB.CountUsers(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		log.Info("demo: the database is not empty, nothing loaded")
		// The demo citizen's papers are handed in at every start, where
		// missing: a start that failed before finishing them is completed.
		if err := demo.CitizenPapers(ctx, m.DB, files); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		return nil
	}
	if err := demo.Load(ctx, m.DB, m.Svc); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := demo.CitizenPapers(ctx, m.DB, files); err != nil { // the citizen's wallet
		return fmt.Errorf("demo: %w", err)
	}
	fmt.Fprintf(m.Stdout, "demo: loaded Phường Ba Đình (Hà Nội); users canbo, chuyenvien, lanhdao, quantri, hotich (civil registrar), congdan (password %q)\n", demo.Password())
	return nil
}

func (m *Main) migrate(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	m.commonFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	defer m.Close()
	v, err := m.DB.Version(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "schema version %d on %s\n", v, m.DB.Engine)
	return nil
}
