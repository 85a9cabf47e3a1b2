package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/notify"
	"github.com/motcua/motcua/internal/outbox"
	"github.com/motcua/motcua/internal/portal"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/internal/webhook"
)

// outboxWorker is the server's deliverer of the outbox's messages, with a
// sender for each channel it can reach. A notification channel without its
// settings has no sender: its messages wait in the outbox until one has.
// A server started with the portal's address turns the portal's channel on
// for the installation, so that every server and command produces its
// updates from then on (`motcua outbox disable portal` turns it off).
func (m *Main) outboxWorker(ctx context.Context, log *slog.Logger, o outboxFlags) (*outbox.Worker, error) {
	if o.portalURL != "" {
		if err := m.DB.EnableChannel(ctx, portal.Channel, "serve --portal-url"); err != nil {
			return nil, err
		}
	}
	w := &outbox.Worker{Queue: store.Outbox{DB: m.DB}, Holder: store.Holder(), Log: log, BaseWait: o.firstWait, Lease: o.lease,
		Metrics: outbox.NewMetrics(store.Outbox{DB: m.DB}.Waiting),
		Senders: map[string]outbox.Sender{
			store.ChannelWebhook: &webhook.Sender{Subscribers: m.DB, Client: webhook.NewClient(o.webhookPrivate)},
		}}
	if o.email.Addr != "" && o.email.From != "" {
		w.Senders[notify.ChannelEmail] = &o.email
	}
	if o.sms.URL != "" {
		w.Senders[notify.ChannelSMS] = &o.sms
	}
	if o.zalo.URL != "" && o.zalo.Token != "" {
		w.Senders[notify.ChannelZalo] = &o.zalo
	}
	if o.portalURL != "" {
		w.Senders[portal.Channel] = &portal.Sender{URL: o.portalURL, Token: os.Getenv("MOTCUA_PORTAL_TOKEN"), Synced: m.DB}
	}
	return w, nil
}

// notifying tells whether any notification channel is configured: only
// then are the citizens' notifications produced.
func (o outboxFlags) notifying() bool {
	return (o.email.Addr != "" && o.email.From != "") || o.sms.URL != "" || (o.zalo.URL != "" && o.zalo.Token != "")
}

// startNotify makes the dossiers' changes produce the citizens'
// notifications, signed with the installation's key.
func (m *Main) startNotify(ctx context.Context, log *slog.Logger, o outboxFlags, publicURL string) error {
	if !o.notifying() {
		return nil
	}
	key, err := m.DB.NotifyKey(ctx)
	if err != nil {
		return err
	}
	if publicURL == "" {
		log.Warn("notifications are on but --public-url is not set: their links will not open from a phone")
	}
	m.DB.AddProducer(store.NotifyProducer(notify.Links{PublicURL: publicURL, Key: key}))
	return nil
}

// outboxFlags are serve's settings of the outbox's channels. Passwords,
// keys and tokens come from the environment only, never from flags, which
// other users of the machine can read in the process list.
type outboxFlags struct {
	webhookPrivate bool
	portalURL      string // the national portal's synchronisation service; empty: not synchronised
	firstWait      time.Duration
	lease          time.Duration
	email          notify.Email
	sms            notify.SMS
	zalo           notify.Zalo
}

func addOutboxFlags(fs *flag.FlagSet) *outboxFlags {
	var o outboxFlags
	fs.BoolVar(&o.webhookPrivate, "webhook-private", os.Getenv("MOTCUA_WEBHOOK_PRIVATE") == "1",
		"let webhooks call loopback and private addresses (a receiver on the same network); off by default")
	fs.DurationVar(&o.firstWait, "outbox-first-wait", 10*time.Second,
		"wait after a message's first failed attempt; it doubles with each failure up to an hour")
	fs.DurationVar(&o.lease, "outbox-lease", 2*time.Minute,
		"how long a server holds the messages it is sending: after a crash they wait this long before another server sends them")
	fs.StringVar(&o.portalURL, "portal-url", os.Getenv("MOTCUA_PORTAL_URL"),
		"the national portal's dossier-synchronisation address (token from $MOTCUA_PORTAL_TOKEN); empty: no synchronisation")
	fs.StringVar(&o.email.Addr, "smtp-addr", os.Getenv("MOTCUA_SMTP_ADDR"), "SMTP relay host:port for e-mail notifications (STARTTLS required); password from MOTCUA_SMTP_PASSWORD")
	fs.StringVar(&o.email.User, "smtp-user", os.Getenv("MOTCUA_SMTP_USER"), "SMTP user (AUTH PLAIN); empty: no authentication")
	fs.StringVar(&o.email.From, "smtp-from", os.Getenv("MOTCUA_SMTP_FROM"), "sender of e-mail notifications, e.g. \"UBND xã <thongbao@xa.gov.vn>\"")
	o.email.Password = os.Getenv("MOTCUA_SMTP_PASSWORD")
	fs.StringVar(&o.sms.URL, "sms-url", os.Getenv("MOTCUA_SMS_URL"), "brand-name SMS gateway's send address; keys from MOTCUA_SMS_KEY and MOTCUA_SMS_SECRET")
	fs.StringVar(&o.sms.Brandname, "sms-brandname", os.Getenv("MOTCUA_SMS_BRANDNAME"), "the registered brand name SMS are sent under")
	o.sms.APIKey, o.sms.SecretKey = os.Getenv("MOTCUA_SMS_KEY"), os.Getenv("MOTCUA_SMS_SECRET")
	fs.StringVar(&o.zalo.URL, "zalo-url", os.Getenv("MOTCUA_ZALO_URL"), "Zalo ZNS template message address (https://business.openapi.zalo.me/message/template); token from MOTCUA_ZALO_TOKEN")
	fs.StringVar(&o.zalo.TemplateID, "zalo-template", os.Getenv("MOTCUA_ZALO_TEMPLATE"), "the ZNS template id registered for dossier updates")
	o.zalo.Token = os.Getenv("MOTCUA_ZALO_TOKEN")
	return &o
}

// outboxDisable turns a channel off: no new messages for it.
func (m *Main) outboxDisable(ctx context.Context, args []string) error {
	pos, err := m.withDB(ctx, "outbox disable", args, nil)
	if err != nil {
		return err
	}
	defer m.Close()
	if len(pos) != 1 || pos[0] != portal.Channel {
		return fmt.Errorf("usage: motcua outbox disable portal")
	}
	if err := m.DB.DisableChannel(ctx, pos[0]); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "outbox: %s turned off (đã tắt); start a server with its settings to turn it on again\n", pos[0])
	return nil
}

// outboxList prints the messages, newest first.
func (m *Main) outboxList(ctx context.Context, args []string) error {
	var f store.OutboxFilter
	_, err := m.withDB(ctx, "outbox list", args, func(fs *flag.FlagSet) {
		fs.StringVar(&f.Status, "status", "", "pending, done or dead (default: all)")
		fs.StringVar(&f.Channel, "channel", "", "only this channel (webhook, email, sms, zalo, portal)")
		fs.StringVar(&f.UnitCode, "unit", "", "only this unit's messages")
		fs.IntVar(&f.Limit, "limit", 50, "how many (at most 500)")
	})
	if err != nil {
		return err
	}
	defer m.Close()
	if f.Status != "" && f.Status != outbox.Pending && f.Status != outbox.Done && f.Status != outbox.Dead {
		return fmt.Errorf("outbox list: --status must be pending, done or dead")
	}
	msgs, err := store.Outbox{DB: m.DB}.List(ctx, f)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCHANNEL\tTOPIC\tUNIT\tSTATUS\tATTEMPTS\tCREATED\tLAST ERROR")
	for _, x := range msgs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", x.ID, x.Channel, x.Topic, x.UnitCode, x.Status, x.Attempts,
			x.CreatedAt.Local().Format("2006-01-02 15:04:05"), x.LastError)
	}
	return tw.Flush()
}

// outboxRetry sends dead messages again: one by id, or all with --all.
func (m *Main) outboxRetry(ctx context.Context, args []string) error {
	var all bool
	var unitCode string
	pos, err := m.withDB(ctx, "outbox retry", args, func(fs *flag.FlagSet) {
		fs.BoolVar(&all, "all", false, "every dead message")
		fs.StringVar(&unitCode, "unit", "", "with --all: only this unit's")
	})
	if err != nil {
		return err
	}
	defer m.Close()
	var id int64
	switch {
	case all && len(pos) == 0:
	case !all && len(pos) == 1:
		if id, err = strconv.ParseInt(pos[0], 10, 64); err != nil || id <= 0 {
			return fmt.Errorf("outbox retry: %q is not a message id", pos[0])
		}
	default:
		return fmt.Errorf("usage: motcua outbox retry ID | --all [--unit CODE]")
	}
	n, err := store.Outbox{DB: m.DB}.Retry(ctx, id, unitCode)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "outbox: %d message(s) queued again (đã đưa lại vào hàng đợi)\n", n)
	return nil
}

// outboxPurge deletes delivered messages older than --older-than.
func (m *Main) outboxPurge(ctx context.Context, args []string) error {
	var older time.Duration
	_, err := m.withDB(ctx, "outbox purge", args, func(fs *flag.FlagSet) {
		fs.DurationVar(&older, "older-than", 30*24*time.Hour, "delete messages delivered longer ago than this (e.g. 720h)")
	})
	if err != nil {
		return err
	}
	defer m.Close()
	if older < time.Hour {
		return fmt.Errorf("outbox purge: --older-than must be at least 1h")
	}
	n, err := store.Outbox{DB: m.DB}.Purge(ctx, m.DB.Now().Add(-older))
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "outbox: %d delivered message(s) deleted (đã xoá)\n", n)
	return nil
}

// webhookAdd subscribes an address to a unit's events and prints the
// secret once.
func (m *Main) webhookAdd(ctx context.Context, args []string) error {
	var w store.NewWebhook
	_, err := m.withDB(ctx, "webhook add", args, func(fs *flag.FlagSet) {
		fs.StringVar(&w.UnitCode, "unit", "", "the unit whose dossiers' events are sent")
		fs.StringVar(&w.URL, "url", "", "the receiver's address, http(s)://...")
		fs.StringVar(&w.Events, "events", "*", "comma-separated topics (dossier.receive, dossier.finish, ...) or *")
	})
	if err != nil {
		return err
	}
	defer m.Close()
	s, err := m.DB.AddWebhook(ctx, w, auth.Actor{Username: "operator", Role: "system"})
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "webhook %d: %s (%s)\nsecret (shown once, give it to the receiver): %s\n", s.ID, s.URL, s.Events, s.Secret)
	return nil
}

// webhookList prints the subscriptions, without their secrets.
func (m *Main) webhookList(ctx context.Context, args []string) error {
	var unitCode string
	if _, err := m.withDB(ctx, "webhook list", args, func(fs *flag.FlagSet) {
		fs.StringVar(&unitCode, "unit", "", "only this unit's")
	}); err != nil {
		return err
	}
	defer m.Close()
	subs, err := m.DB.Webhooks(ctx, unitCode)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUNIT\tURL\tEVENTS\tACTIVE")
	for _, s := range subs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%v\n", s.ID, s.UnitCode, s.URL, s.Events, s.Active)
	}
	return tw.Flush()
}

// webhookSwitch turns a subscription off or back on.
func (m *Main) webhookSwitch(on bool) func(context.Context, []string) error {
	return func(ctx context.Context, args []string) error {
		name := "webhook " + map[bool]string{true: "on", false: "off"}[on]
		pos, err := m.withDB(ctx, name, args, nil)
		if err != nil {
			return err
		}
		defer m.Close()
		if len(pos) != 1 {
			return fmt.Errorf("usage: motcua %s ID", name)
		}
		id, err := strconv.ParseInt(strings.TrimSpace(pos[0]), 10, 64)
		if err != nil {
			return fmt.Errorf("%s: %q is not a subscription id", name, pos[0])
		}
		return m.DB.SetWebhookActive(ctx, id, "", on)
	}
}
