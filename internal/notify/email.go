package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/outbox"
)

// Email sends the e-mail channel's messages through an SMTP relay
// (submission port, usually 587): STARTTLS is required before the
// password is sent, then AUTH PLAIN.
type Email struct {
	Addr      string      // host:port of the relay
	User      string      // empty: no authentication (a relay that trusts the server's address)
	Password  string      // from the environment, never a flag
	From      string      // the sender's address, e.g. "UBND xã <thongbao@xa.gov.vn>"
	TLSConfig *tls.Config // default: verify the relay's certificate against the system's roots
	Now       func() time.Time
}

// Send implements outbox.Sender. A 5xx answer (an unknown mailbox, a
// refused sender) is permanent; anything else is tried again.
func (e *Email) Send(ctx context.Context, m outbox.Message) error {
	var p Payload
	if err := json.Unmarshal(m.Payload, &p); err != nil {
		return outbox.Permanent(fmt.Errorf("email: bad payload: %w", err))
	}
	to, err := mail.ParseAddress(m.Recipient)
	if err != nil {
		return outbox.Permanent(fmt.Errorf("email: bad recipient: %w", err))
	}
	from, err := mail.ParseAddress(e.From)
	if err != nil {
		return outbox.Permanent(fmt.Errorf("email: bad --smtp-from: %w", err))
	}
	msg := e.compose(from, to, m.IdemKey, p)
	return classifySMTP(e.deliver(ctx, from.Address, to.Address, msg))
}

// compose writes the message: UTF-8 subject in RFC 2047 words, a
// quoted-printable UTF-8 body, and a Message-ID made of the idempotency
// key, so that a message sent twice after a crash is one to the receiver.
func (e *Email) compose(from, to *mail.Address, idem string, p Payload) []byte {
	now := time.Now
	if e.Now != nil {
		now = e.Now
	}
	domain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", from.String())
	h("To", to.String())
	h("Subject", mime.QEncoding.Encode("utf-8", p.Subject))
	h("Date", now().Format(time.RFC1123Z))
	h("Message-ID", "<"+idem+"@"+domain+">")
	h("Auto-Submitted", "auto-generated")
	if p.Fields.Unsubscribe != "" {
		h("List-Unsubscribe", "<"+p.Fields.Unsubscribe+">")
	}
	h("MIME-Version", "1.0")
	h("Content-Type", `text/plain; charset="utf-8"`)
	h("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	_, _ = qp.Write([]byte(strings.ReplaceAll(p.Text, "\n", "\r\n")))
	_ = qp.Close()
	return b.Bytes()
}

// deliver runs one SMTP conversation.
func (e *Email) deliver(ctx context.Context, from, to string, msg []byte) error {
	host, _, err := net.SplitHostPort(e.Addr)
	if err != nil {
		return outbox.Permanent(fmt.Errorf("email: bad --smtp-addr: %w", err))
	}
	conn, err := (&net.Dialer{Timeout: 15 * time.Second}).DialContext(ctx, "tcp", e.Addr)
	if err != nil {
		return err
	}
	deadline := time.Now().Add(time.Minute)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	_ = conn.SetDeadline(deadline)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); !ok {
		return errors.New("email: the relay does not offer STARTTLS; refusing to send in clear")
	}
	cfg := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	if e.TLSConfig != nil {
		cfg = e.TLSConfig.Clone()
		if cfg.ServerName == "" {
			cfg.ServerName = host
		}
	}
	if err := c.StartTLS(cfg); err != nil {
		return err
	}
	if e.User != "" {
		if err := c.Auth(smtp.PlainAuth("", e.User, e.Password, host)); err != nil {
			return err
		}
	}
	if err := c.Mail(from); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// classifySMTP marks the relay's 5xx answers permanent, but for 530/535
// (the relay wants other credentials: the operator's fix, then a retry).
func classifySMTP(err error) error {
	var te *textproto.Error
	if errors.As(err, &te) && te.Code/100 == 5 && te.Code != 530 && te.Code != 535 && !outbox.IsPermanent(err) {
		return outbox.Permanent(fmt.Errorf("email: %w", err))
	}
	return err
}
