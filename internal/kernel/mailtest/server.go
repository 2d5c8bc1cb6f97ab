// Package mailtest runs a real SMTP server inside a test process: it
// receives what Guichet sends, parses it, and can refuse deliveries with a
// temporary error to exercise retries.
package mailtest

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Server is an SMTP server on 127.0.0.1 that keeps every message.
type Server struct {
	// Addr is host:port; URL is the smtp:// address to configure Guichet with.
	Addr, URL string

	srv      *smtp.Server
	mu       sync.Mutex
	msgs     []*Message
	taken    map[*Message]bool
	failNext int
	rejected map[string]bool
	failures int
	arrived  chan struct{} // closed and replaced on each new message
	gate     chan struct{} // while set, deliveries wait for it to close
	stalled  int           // deliveries waiting at the gate

	countOnly bool
	counts    map[string]int // per recipient, with WithCountOnly
	received  int

	tls            tlsMode
	certs          *x509.CertPool
	user, password string
	logins         []Login
}

// Login is one successful AUTH of a client.
type Login struct {
	User string
	TLS  bool // the connection was encrypted when the password went
}

type tlsMode int

const (
	clearText tlsMode = iota
	startTLS
	implicitTLS
)

// Option changes the server Start runs.
type Option func(*Server)

// WithSTARTTLS offers STARTTLS, with a certificate for 127.0.0.1 that
// Certificates trusts.
func WithSTARTTLS() Option { return func(s *Server) { s.tls = startTLS } }

// WithImplicitTLS speaks TLS from the first byte (smtps://).
func WithImplicitTLS() Option { return func(s *Server) { s.tls = implicitTLS } }

// WithAuth requires AUTH PLAIN with user and password, and offers it on a
// connection in clear too, as a careless server does.
func WithAuth(user, password string) Option {
	return func(s *Server) { s.user, s.password = user, password }
}

// WithCountOnly counts the messages per recipient instead of parsing
// and keeping them (Counts): for a campaign to 100,000 addresses.
func WithCountOnly() Option {
	return func(s *Server) { s.countOnly, s.counts = true, map[string]int{} }
}

// Counts returns, with WithCountOnly, how many messages each address
// received, and how many messages arrived in all.
func (s *Server) Counts() (perRecipient map[string]int, total int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.counts))
	for k, v := range s.counts {
		out[k] = v
	}
	return out, s.received
}

// Start listens on a free port and stops the server when t ends.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mailtest: listen: %v", err)
	}
	s := &Server{Addr: ln.Addr().String(), taken: map[*Message]bool{}, rejected: map[string]bool{}, arrived: make(chan struct{})}
	for _, opt := range opts {
		opt(s)
	}
	s.URL = "smtp://" + s.Addr
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{s: s, conn: c}, nil }))
	s.srv.Domain = "mailtest.localhost"
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	s.srv.MaxMessageBytes = 10 << 20
	s.srv.ErrorLog = discardLogger{}
	s.srv.AllowInsecureAuth = s.user != ""
	if s.tls != clearText {
		cfg, pool, err := selfSigned()
		if err != nil {
			t.Fatalf("mailtest: certificate: %v", err)
		}
		s.srv.TLSConfig, s.certs = cfg, pool
	}
	if s.tls == implicitTLS {
		ln = tls.NewListener(ln, s.srv.TLSConfig)
		s.URL = "smtps://" + s.Addr
	}
	go func() { _ = s.srv.Serve(ln) }()
	t.Cleanup(func() { _ = s.srv.Close() })
	return s
}

// Certificates trusts the server's certificate (nil without TLS).
func (s *Server) Certificates() *x509.CertPool { return s.certs }

// Logins returns the successful AUTH commands so far.
func (s *Server) Logins() []Login {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Login(nil), s.logins...)
}

// FailNext makes the next n deliveries fail with "451 try again later".
func (s *Server) FailNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext = n
}

// Reject makes the server refuse addr for good (550 at RCPT).
func (s *Server) Reject(addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejected[strings.ToLower(addr)] = true
}

// Stall makes deliveries wait after the message's data arrived, before
// the server accepts it, until release is called: a test can then act
// while a delivery is in flight.
func (s *Server) Stall() (release func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	gate := make(chan struct{})
	s.gate = gate
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			s.gate = nil
			s.mu.Unlock()
			close(gate)
		})
	}
}

// Stalled returns how many deliveries are waiting for Stall's release.
func (s *Server) Stalled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stalled
}

// Failures returns how many deliveries were refused so far.
func (s *Server) Failures() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failures
}

// Messages returns every message received so far.
func (s *Server) Messages() []*Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*Message(nil), s.msgs...)
}

// WaitFor returns the oldest message to "to" not returned by an earlier
// WaitFor, waiting up to timeout for it; the test fails if none arrives.
func (s *Server) WaitFor(t testing.TB, to string, timeout time.Duration) *Message {
	t.Helper()
	deadline := time.After(timeout)
	for {
		s.mu.Lock()
		for _, m := range s.msgs {
			if !s.taken[m] && m.IsTo(to) {
				s.taken[m] = true
				s.mu.Unlock()
				return m
			}
		}
		arrived := s.arrived
		s.mu.Unlock()
		select {
		case <-arrived:
		case <-deadline:
			t.Fatalf("mailtest: no message to %s within %s (received %d in all)", to, timeout, len(s.Messages()))
			return nil
		}
	}
}

func (s *Server) deliver(from string, to []string, raw []byte, encrypted bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failNext > 0 {
		s.failNext--
		s.failures++
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	}
	if s.countOnly {
		for _, r := range to {
			s.counts[strings.ToLower(r)]++
		}
		s.received++
		return nil
	}
	m, err := Parse(raw)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "Unreadable message: " + err.Error()}
	}
	m.From, m.To, m.TLS = from, to, encrypted
	s.msgs = append(s.msgs, m)
	close(s.arrived)
	s.arrived = make(chan struct{})
	return nil
}

// wait holds a delivery while the server is stalled.
func (s *Server) wait() {
	s.mu.Lock()
	gate := s.gate
	if gate != nil {
		s.stalled++
	}
	s.mu.Unlock()
	if gate == nil {
		return
	}
	<-gate
	s.mu.Lock()
	s.stalled--
	s.mu.Unlock()
}

// session collects one SMTP transaction.
type session struct {
	s        *Server
	conn     *smtp.Conn
	from     string
	to       []string
	loggedIn bool
}

func (ss *session) encrypted() bool {
	_, ok := ss.conn.TLSConnectionState()
	return ok
}

// AuthMechanisms offers PLAIN and CRAM-MD5 (which clients use in clear)
// when the server asks for a password.
func (ss *session) AuthMechanisms() []string {
	if ss.s.user == "" {
		return nil
	}
	return []string{sasl.Plain, cramMD5}
}

// Auth checks the user and password, and records the login.
func (ss *session) Auth(mech string) (sasl.Server, error) {
	if mech == cramMD5 {
		return &cramMD5Server{check: ss.login, password: ss.s.password}, nil
	}
	return sasl.NewPlainServer(func(_, user, password string) error {
		return ss.login(user, password == ss.s.password)
	}), nil
}

func (ss *session) login(user string, passwordOK bool) error {
	if user != ss.s.user || !passwordOK {
		return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication failed"}
	}
	ss.loggedIn = true
	ss.s.mu.Lock()
	ss.s.logins = append(ss.s.logins, Login{User: user, TLS: ss.encrypted()})
	ss.s.mu.Unlock()
	return nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.user != "" && !ss.loggedIn {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.s.mu.Lock()
	rejected := ss.s.rejected[strings.ToLower(to)]
	ss.s.mu.Unlock()
	if rejected || !strings.Contains(to, "@") {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such mailbox"}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, r); err != nil {
		return err
	}
	if len(ss.to) == 0 {
		return errors.New("no recipient")
	}
	ss.s.wait()
	return ss.s.deliver(ss.from, ss.to, buf.Bytes(), ss.encrypted())
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}
func (discardLogger) Println(...any)        {}
