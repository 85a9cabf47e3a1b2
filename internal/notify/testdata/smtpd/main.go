// Command smtpd is the SMTP server the notify tests send to, run as its own
// process: STARTTLS with the certificate the test made, AUTH PLAIN with one
// user, and every accepted message written to a folder as N.eml, preceded
// by the envelope and whether TLS and authentication were in force.
// A recipient starting with "bad" is refused for good (550).
package main

import (
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

var (
	user, pass, dir string
	count           atomic.Int64
)

type session struct {
	conn     *smtp.Conn
	authed   string
	from, to string
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, u, p string) error {
		if u != user || p != pass {
			return errors.New("bad credentials")
		}
		s.authed = u
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.authed == "" {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "authentication required"}
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if strings.HasPrefix(to, "bad") {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox"}
	}
	s.to = to
	return nil
}

func (s *session) Data(r io.Reader) error {
	body, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, tlsOn := s.conn.TLSConnectionState()
	head := fmt.Sprintf("X-Envelope-From: %s\r\nX-Envelope-To: %s\r\nX-Test-TLS: %v\r\nX-Test-Auth: %s\r\n", s.from, s.to, tlsOn, s.authed)
	name := filepath.Join(dir, fmt.Sprintf("%d.eml", count.Add(1)))
	if err := os.WriteFile(name+".tmp", append([]byte(head), body...), 0o600); err != nil {
		return err
	}
	return os.Rename(name+".tmp", name)
}

func (s *session) Reset()        { s.from, s.to = "", "" }
func (s *session) Logout() error { return nil }

func main() {
	cert := flag.String("cert", "", "certificate file (PEM)")
	key := flag.String("key", "", "key file (PEM)")
	flag.StringVar(&user, "user", "", "the one user")
	flag.StringVar(&pass, "pass", "", "its password")
	flag.StringVar(&dir, "dir", "", "folder for received messages")
	flag.Parse()
	kp, err := tls.LoadX509KeyPair(*cert, *key)
	if err != nil {
		log.Fatal(err)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{conn: c}, nil }))
	srv.Domain = "localhost"
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{kp}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ln.Addr().String()) // the test reads the address from the first line
	log.Fatal(srv.Serve(ln))
}
