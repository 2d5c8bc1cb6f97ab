// Package mailtest runs a real SMTP server inside a test process: it
// receives what Guichet sends, parses it, and can refuse deliveries with a
// temporary error to exercise retries.
package mailtest

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

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
}

// Start listens on a free port and stops the server when t ends.
func Start(t testing.TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mailtest: listen: %v", err)
	}
	s := &Server{Addr: ln.Addr().String(), taken: map[*Message]bool{}, rejected: map[string]bool{}, arrived: make(chan struct{})}
	s.URL = "smtp://" + s.Addr
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	s.srv.Domain = "mailtest.localhost"
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	s.srv.MaxMessageBytes = 10 << 20
	s.srv.ErrorLog = discardLogger{}
	go func() { _ = s.srv.Serve(ln) }()
	t.Cleanup(func() { _ = s.srv.Close() })
	return s
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

func (s *Server) deliver(from string, to []string, raw []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failNext > 0 {
		s.failNext--
		s.failures++
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	}
	m, err := Parse(raw)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "Unreadable message: " + err.Error()}
	}
	m.From, m.To = from, to
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
	s    *Server
	from string
	to   []string
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error { ss.from = from; return nil }

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
	return ss.s.deliver(ss.from, ss.to, buf.Bytes())
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}
func (discardLogger) Println(...any)        {}
