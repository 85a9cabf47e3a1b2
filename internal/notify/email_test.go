package notify

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	// The SMTP server of these tests (testdata/smtpd) is built from this
	// module; importing it here keeps it in go.mod.
	_ "github.com/emersion/go-smtp"

	"github.com/motcua/motcua/internal/outbox"
)

// smtpd is a running test SMTP server: its address, the folder it writes
// messages to, and the roots that trust its certificate.
type smtpd struct {
	addr  string
	dir   string
	roots *x509.CertPool
}

// smtpdBin is the test server's program, built once for the package's
// tests into a folder TestMain removes.
var smtpdBin struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if smtpdBin.dir != "" {
		os.RemoveAll(smtpdBin.dir)
	}
	os.Exit(code)
}

// startSMTPD runs testdata/smtpd as its own process with a self-signed
// certificate for 127.0.0.1 made here.
func startSMTPD(t *testing.T) smtpd {
	t.Helper()
	smtpdBin.once.Do(func() {
		if smtpdBin.dir, smtpdBin.err = os.MkdirTemp("", "smtpd"); smtpdBin.err != nil {
			return
		}
		smtpdBin.path = filepath.Join(smtpdBin.dir, "smtpd")
		if out, err := exec.Command("go", "build", "-o", smtpdBin.path, "./testdata/smtpd").CombinedOutput(); err != nil {
			smtpdBin.err = fmt.Errorf("build smtpd: %v\n%s", err, out)
		}
	})
	if smtpdBin.err != nil {
		t.Fatal(smtpdBin.err)
	}
	tmp := t.TempDir()
	bin := smtpdBin.path
	certFile, keyFile, roots := selfSigned(t, tmp)
	dir := filepath.Join(tmp, "mail")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-cert", certFile, "-key", keyFile, "-user", "thongbao", "-pass", "mật-khẩu", "-dir", dir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("smtpd did not start: %v", err)
	}
	return smtpd{addr: strings.TrimSpace(line), dir: dir, roots: roots}
}

func selfSigned(t *testing.T, dir string) (certFile, keyFile string, roots *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	_ = os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	_ = os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	roots = x509.NewCertPool()
	roots.AddCert(cert)
	return certFile, keyFile, roots
}

func emailMessage(to string) outbox.Message {
	p := Payload{Kind: KindReceived, Subject: "Hồ sơ H01-260101-0001 đã được tiếp nhận",
		Text:   "Hồ sơ H01-260101-0001 (Đăng ký khai sinh) đã được tiếp nhận.\nHẹn trả kết quả: 05/01/2026 16:30",
		Fields: Fields{Unsubscribe: "https://motcua.example/thong-bao/tat?t=x"}}
	b, _ := json.Marshal(p)
	return outbox.Message{Channel: ChannelEmail, Recipient: to, Payload: b, IdemKey: "ntf_H01-260101-0001_2"}
}

func TestEmailArrivesOverSTARTTLSWithAuth(t *testing.T) {
	srv := startSMTPD(t)
	e := &Email{Addr: srv.addr, User: "thongbao", Password: "mật-khẩu", From: "UBND xã <thongbao@xa.gov.vn>",
		TLSConfig: &tls.Config{RootCAs: srv.roots}}
	if err := e.Send(context.Background(), emailMessage("dan@example.vn")); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(srv.dir, "1.eml"))
	if err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	h := msg.Header
	if h.Get("X-Test-TLS") != "true" || h.Get("X-Test-Auth") != "thongbao" {
		t.Errorf("TLS %q, auth %q: want the message sent after STARTTLS and AUTH", h.Get("X-Test-TLS"), h.Get("X-Test-Auth"))
	}
	if h.Get("X-Envelope-To") != "dan@example.vn" || h.Get("X-Envelope-From") != "thongbao@xa.gov.vn" {
		t.Errorf("envelope %q → %q", h.Get("X-Envelope-From"), h.Get("X-Envelope-To"))
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	if err != nil || subject != "Hồ sơ H01-260101-0001 đã được tiếp nhận" {
		t.Errorf("subject %q (%v)", subject, err)
	}
	if h.Get("Message-ID") != "<ntf_H01-260101-0001_2@xa.gov.vn>" {
		t.Errorf("Message-ID %q: want the idempotency key", h.Get("Message-ID"))
	}
	if h.Get("List-Unsubscribe") != "<https://motcua.example/thong-bao/tat?t=x>" {
		t.Errorf("List-Unsubscribe %q", h.Get("List-Unsubscribe"))
	}
	body, _ := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if !strings.Contains(string(body), "(Đăng ký khai sinh) đã được tiếp nhận.\r\nHẹn trả kết quả: 05/01/2026 16:30") {
		t.Errorf("body:\n%s", body)
	}
}

func TestEmailWrongPasswordRetriedAndBadMailboxPermanent(t *testing.T) {
	srv := startSMTPD(t)
	e := &Email{Addr: srv.addr, User: "thongbao", Password: "sai", From: "thongbao@xa.gov.vn", TLSConfig: &tls.Config{RootCAs: srv.roots}}
	err := e.Send(context.Background(), emailMessage("dan@example.vn"))
	if err == nil || outbox.IsPermanent(err) {
		t.Errorf("wrong password: %v; want an error that is retried once the operator fixes it", err)
	}
	e.Password = "mật-khẩu"
	if err := e.Send(context.Background(), emailMessage("bad@example.vn")); !outbox.IsPermanent(err) {
		t.Errorf("unknown mailbox: %v; want a permanent error", err)
	}
	e.User = "" // no AUTH: the relay refuses the sender
	if err := e.Send(context.Background(), emailMessage("dan@example.vn")); err == nil {
		t.Error("a relay that requires AUTH took a message without it")
	}
	if files, _ := filepath.Glob(filepath.Join(srv.dir, "*.eml")); len(files) != 0 {
		t.Errorf("%d messages arrived; want none", len(files))
	}
}

func TestEmailRefusesUntrustedCertificate(t *testing.T) {
	srv := startSMTPD(t)
	e := &Email{Addr: srv.addr, User: "thongbao", Password: "mật-khẩu", From: "thongbao@xa.gov.vn"}
	if err := e.Send(context.Background(), emailMessage("dan@example.vn")); err == nil {
		t.Fatal("sent the password to a relay whose certificate no root vouches for")
	}
}
