package announce

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/apperr"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/notify"
	"github.com/motcua/motcua/internal/outbox"
	"github.com/motcua/motcua/internal/vntext"
)

// Filter selects announcements.
type Filter struct {
	Unit    string    // the commune's
	Group   string    // those that target this group (all groups included)
	ShownAt time.Time // only those on the pages at this time; zero: all
	Limit   int
}

// Store keeps groups, announcements and subscriptions.
type Store interface {
	// Groups lists a commune's groups; closed ones only when all is set.
	Groups(ctx context.Context, commune string, all bool) ([]Group, error)
	// Group returns one group with its leader, or not found.
	Group(ctx context.Context, code string) (*Group, error)
	// CreateAnnouncement stores a new announcement and its targets.
	CreateAnnouncement(ctx context.Context, a *Announcement) error
	Announcements(ctx context.Context, f Filter) ([]Announcement, error)
	// Subscribe stores s (or renews the code of the same address's
	// unconfirmed subscription, which keeps its ref) and enqueues the
	// message confirm builds, in one transaction; an address already
	// confirmed for the group is left as it is, with no message.
	Subscribe(ctx context.Context, s *Subscription, confirm func(*Subscription) (outbox.Message, error)) error
	// Confirm loads the subscription ref in a transaction and marks it
	// confirmed if check accepts it; a wrong code is counted.
	Confirm(ctx context.Context, ref string, check func(*Subscription) error) (*Subscription, error)
	// SubscriptionRef finds a group's subscription by its address, or
	// not found.
	SubscriptionRef(ctx context.Context, group, channel, address string) (string, error)
	// Unsubscribe deletes the subscription ref.
	Unsubscribe(ctx context.Context, ref string) (*Subscription, error)
	// Publish enqueues, for each announcement due at now and not yet sent,
	// the message build makes for each confirmed subscriber of its groups,
	// and marks it sent in the same transaction; it returns how many
	// announcements it sent.
	Publish(ctx context.Context, now time.Time, build func(*Announcement, Group, Subscription) (outbox.Message, error)) (int, error)
}

// Service runs the rules over a Store.
type Service struct {
	Store     Store
	Key       func(ctx context.Context) ([]byte, error) // the installation's key for signed links
	PublicURL func(ctx context.Context) string          // the site's address in messages
	Now       func() time.Time
}

// Purposes of the signed links.
const (
	purposeOff     = "group-off"
	purposeConfirm = "group-confirm"
)

// CanAnnounce tells whether a can write a commune's announcements: its
// leaders and administrators. A commune, ward or special zone has a code
// of five digits; a group's leader (a leader too, of a unit coded
// 00004-01) and a province's officers write none.
func CanAnnounce(a auth.Actor, commune string) bool {
	return (a.Role == auth.RoleLeader || a.Role == auth.RoleAdmin) && a.UnitCode == commune &&
		len(commune) == 5 && strings.Trim(commune, "0123456789") == ""
}

// Create checks and stores an announcement of a's commune; one due now is
// sent at once.
func (s *Service) Create(ctx context.Context, a auth.Actor, an *Announcement) error {
	if an.UnitCode == "" {
		an.UnitCode = a.UnitCode
	}
	if !CanAnnounce(a, an.UnitCode) {
		return apperr.Forbidden("Chỉ lãnh đạo, quản trị của xã, phường được đăng thông báo", "only the commune's leaders and administrators post announcements")
	}
	now := s.Now().UTC().Truncate(time.Microsecond)
	if an.PublishAt.IsZero() {
		an.PublishAt = now
	}
	an.Author, an.AuthorName, an.CreatedAt = a.Username, a.FullName, now
	if err := an.Normalize(); err != nil {
		return err
	}
	if err := s.Store.CreateAnnouncement(ctx, an); err != nil {
		return err
	}
	if !an.PublishAt.After(now) {
		_, err := s.PublishDue(ctx)
		return err
	}
	return nil
}

// PublishDue sends the announcements whose time has come: the periodic
// job's work, and the end of Create for one due at once.
func (s *Service) PublishDue(ctx context.Context) (int, error) {
	key, err := s.Key(ctx)
	if err != nil {
		return 0, err
	}
	base := strings.TrimSuffix(s.PublicURL(ctx), "/")
	return s.Store.Publish(ctx, s.Now(), func(a *Announcement, g Group, sub Subscription) (outbox.Message, error) {
		return announcementMessage(a, g, sub, base, key)
	})
}

// GroupPath is a group's public page.
func GroupPath(code string) string { return "/to-dan-pho/" + url.PathEscape(code) }

// OffPath is the one-step unsubscribe page of a token.
func OffPath(token string) string { return "/to-dan-pho/huy?t=" + url.QueryEscape(token) }

// ConfirmPath is the confirmation page; e-mail links carry their token.
func ConfirmPath(token string) string {
	if token == "" {
		return "/to-dan-pho/xac-nhan"
	}
	return "/to-dan-pho/xac-nhan?t=" + url.QueryEscape(token)
}

// OffToken is a subscription's signed unsubscribe token.
func OffToken(key []byte, ref string) string { return notify.Sign(key, purposeOff, ref) }

// confirmToken signs a subscription's ref with the link's expiry.
func confirmToken(key []byte, ref string, expires time.Time) string {
	return notify.Sign(key, purposeConfirm, ref+"~"+strconv.FormatInt(expires.Unix(), 10))
}

func announcementMessage(a *Announcement, g Group, sub Subscription, base string, key []byte) (outbox.Message, error) {
	link := base + GroupPath(g.Code)
	off := base + OffPath(OffToken(key, sub.Ref))
	p := notify.Payload{Kind: "announcement", Subject: g.FullName + ": " + a.Title,
		Fields: notify.Fields{Code: g.Code, Procedure: g.FullName, Status: a.Title, Due: a.PublishAt.In(calendar.Zone).Format("02/01/2006"), Link: link, Unsubscribe: off}}
	switch sub.Channel {
	case ChannelEmail:
		p.Text = a.Title + "\n\n" + a.Body + "\n\n" + link + "\n\nHủy nhận thông báo / Unsubscribe: " + off
	case ChannelSMS:
		p.Text = g.FullName + ": " + a.Title + ". Xem: " + link + " Huy: " + off
	case ChannelZalo:
		p.Text = a.Title
	}
	body, err := json.Marshal(p)
	return outbox.Message{Channel: sub.Channel, Topic: "group.announcement", UnitCode: a.UnitCode, OrderKey: "group:" + sub.Ref,
		Recipient: sub.Address, Payload: body, IdemKey: "ann_" + strconv.FormatInt(a.ID, 10) + "_" + sub.Ref}, err
}

// SubscribeRequest is a resident's request to follow a group.
type SubscribeRequest struct {
	Channel string `json:"channel"`
	Address string `json:"address"`
}

// Subscribe records an unconfirmed subscription and sends its
// confirmation: a six-digit code by SMS or Zalo, a signed link by e-mail.
// It answers the same whether or not the address already follows the
// group, so that nobody learns who does.
func (s *Service) Subscribe(ctx context.Context, group string, req SubscribeRequest) (*Subscription, error) {
	g, err := s.Store.Group(ctx, group)
	if err != nil {
		return nil, err
	}
	if !g.InForceOn(s.Now().In(calendar.Zone)) {
		return nil, apperr.NotFound("Tổ dân phố, thôn này đã giải thể", "this group no longer exists")
	}
	addr, err := NormalizeAddress(req.Channel, req.Address)
	if err != nil {
		return nil, err
	}
	key, err := s.Key(ctx)
	if err != nil {
		return nil, err
	}
	base := strings.TrimSuffix(s.PublicURL(ctx), "/")
	now := s.Now().UTC().Truncate(time.Microsecond)
	sub := &Subscription{Ref: NewRef(), GroupCode: g.Code, Channel: req.Channel, Address: addr, CreatedAt: now, CodeExpires: now.Add(ConfirmTTL)}
	err = s.Store.Subscribe(ctx, sub, func(sub *Subscription) (outbox.Message, error) {
		return confirmMessage(g, sub, base, key)
	})
	return sub, err
}

// confirmMessage sets the subscription's code (SMS, Zalo) and builds the
// message that carries it, or the signed link (e-mail).
func confirmMessage(g *Group, sub *Subscription, base string, key []byte) (outbox.Message, error) {
	p := notify.Payload{Kind: "group_confirm", Fields: notify.Fields{Code: g.Code, Procedure: g.FullName}}
	if sub.Channel == ChannelEmail {
		sub.CodeHash = ""
		link := base + ConfirmPath(confirmToken(key, sub.Ref, sub.CodeExpires))
		p.Subject = "Xác nhận nhận thông báo của " + g.FullName
		p.Text = "Để nhận thông báo của " + g.FullName + ", mở liên kết sau trong 30 phút:\n\n" + link +
			"\n\nTo receive the announcements of " + g.NameEn + ", open the link above within 30 minutes.\nNếu không phải bạn đăng ký, hãy bỏ qua thư này."
		p.Fields.Link = link
	} else {
		code := NewCode()
		sub.CodeHash = HashCode(sub.Ref, code)
		p.Text = "Ma xac nhan nhan thong bao " + vntext.Unaccent(g.FullName) + ": " + code + " (hieu luc 30 phut)"
		p.Fields.Status = code
	}
	body, err := json.Marshal(p)
	return outbox.Message{Channel: sub.Channel, Topic: "group.confirm", UnitCode: g.ParentCode, OrderKey: "group:" + sub.Ref,
		Recipient: sub.Address, Payload: body, IdemKey: "gcf_" + sub.Ref + "_" + strconv.FormatInt(sub.CodeExpires.UnixMicro(), 10)}, err
}

// ConfirmCode confirms an SMS or Zalo subscription with its code.
func (s *Service) ConfirmCode(ctx context.Context, group, channel, address, code string) (*Subscription, error) {
	addr, err := NormalizeAddress(channel, address)
	if err != nil {
		return nil, err
	}
	ref, err := s.Store.SubscriptionRef(ctx, group, channel, addr)
	if apperr.Code(err) == apperr.ENOTFOUND {
		return nil, ErrCodeRefused // no subscription answers as a wrong code does
	}
	if err != nil {
		return nil, err
	}
	now := s.Now()
	sub, err := s.Store.Confirm(ctx, ref, func(sub *Subscription) error { return sub.CheckCode(code, now) })
	if IsWrongCode(err) {
		err = ErrCodeRefused
	}
	return sub, err
}

// ConfirmLink confirms an e-mail subscription with its signed link.
func (s *Service) ConfirmLink(ctx context.Context, token string) (*Subscription, error) {
	key, err := s.Key(ctx)
	if err != nil {
		return nil, err
	}
	id, ok := notify.Check(key, purposeConfirm, token)
	ref, exp, _ := strings.Cut(id, "~")
	sec, perr := strconv.ParseInt(exp, 10, 64)
	if !ok || perr != nil {
		return nil, apperr.NotFound("Liên kết xác nhận không hợp lệ", "invalid confirmation link")
	}
	if s.Now().After(time.Unix(sec, 0)) {
		return nil, apperr.Invalid("t", "Liên kết xác nhận đã hết hạn, vui lòng đăng ký lại", "the link has expired, please subscribe again")
	}
	return s.Store.Confirm(ctx, ref, func(*Subscription) error { return nil })
}

// Unsubscribe ends a subscription by its signed token, in one step.
func (s *Service) Unsubscribe(ctx context.Context, token string) (*Subscription, error) {
	key, err := s.Key(ctx)
	if err != nil {
		return nil, err
	}
	ref, ok := notify.Check(key, purposeOff, token)
	if !ok {
		return nil, apperr.NotFound("Liên kết hủy không hợp lệ", "invalid unsubscribe link")
	}
	return s.Store.Unsubscribe(ctx, ref)
}
