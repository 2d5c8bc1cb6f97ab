package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Sender delivers rendered messages to one SMTP server.
type Sender struct {
	opts   []gomail.Option
	host   string
	policy string // "starttls", "opportunistic" or "tls", for tests and errors
}

// NewSender parses an SMTP URL:
//   - smtp://user:password@host:port: STARTTLS, port 587 by default. It is
//     required, so that neither the password nor the messages travel in
//     clear, unless the URL has no credentials and the host is loopback
//     (a relay on the same machine);
//   - smtp+insecure://…: STARTTLS when the server offers it, clear text
//     otherwise, for a relay on a private network without TLS;
//   - smtps://…: TLS from the first byte, port 465 by default.
func NewSender(rawURL string) (*Sender, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("mail: SMTP URL: %w", err)
	}
	s := &Sender{host: u.Hostname()}
	if s.host == "" {
		return nil, fmt.Errorf("mail: SMTP URL %q has no host", u.Redacted())
	}
	port := 587
	switch u.Scheme {
	case "smtp":
		s.policy = "starttls"
		if u.User == nil && loopback(s.host) {
			s.policy = "opportunistic"
		}
	case "smtp+insecure":
		s.policy = "opportunistic"
	case "smtps":
		port, s.policy = 465, "tls"
	default:
		return nil, fmt.Errorf("mail: SMTP URL scheme must be smtp, smtps or smtp+insecure, not %q", u.Scheme)
	}
	s.opts = append(s.opts, tlsOption(s.policy))
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("mail: SMTP port %q: %w", p, err)
		}
	}
	s.opts = append(s.opts, gomail.WithPort(port), gomail.WithTimeout(30*time.Second))
	if user := u.User.Username(); user != "" {
		pass, _ := u.User.Password()
		s.opts = append(s.opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(user), gomail.WithPassword(pass))
	}
	return s, nil
}

func tlsOption(policy string) gomail.Option {
	switch policy {
	case "tls":
		return gomail.WithSSL()
	case "opportunistic":
		return gomail.WithTLSPolicy(gomail.TLSOpportunistic)
	}
	return gomail.WithTLSPolicy(gomail.TLSMandatory)
}

// loopback reports whether host names this machine.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Envelope is who a message is from and to.
type Envelope struct {
	FromName, From, To, ReplyTo string
}

// Send delivers r over a connection of its own. A *PermanentError means
// retrying is pointless.
func (s *Sender) Send(ctx context.Context, env Envelope, r *Rendered) error {
	m, err := message(env, r)
	if err != nil {
		return err
	}
	c, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return fmt.Errorf("mail: SMTP client: %w", err)
	}
	return sendError(c.DialAndSendWithContext(ctx, m))
}

// message builds the MIME message of r.
func message(env Envelope, r *Rendered) (*gomail.Msg, error) {
	m := gomail.NewMsg()
	if err := m.FromFormat(env.FromName, env.From); err != nil {
		return nil, &PermanentError{fmt.Errorf("sender: %w", err)}
	}
	if err := m.To(env.To); err != nil {
		return nil, &PermanentError{fmt.Errorf("recipient: %w", err)}
	}
	if env.ReplyTo != "" {
		_ = m.ReplyTo(env.ReplyTo) // a malformed contact address only loses Reply-To
	}
	m.Subject(r.Subject)
	m.SetMessageID()
	m.SetDate()
	m.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	m.SetGenHeader(gomail.Header("Content-Language"), r.Lang)
	if r.Unsubscribe != "" {
		m.SetGenHeader(gomail.Header("List-Unsubscribe"), "<"+r.Unsubscribe+">")
		m.SetGenHeader(gomail.Header("List-Unsubscribe-Post"), "List-Unsubscribe=One-Click")
	}
	if r.ListID != "" {
		m.SetGenHeader(gomail.Header("List-Id"), r.ListID)
		m.SetGenHeader(gomail.Header("Precedence"), "bulk")
	}
	m.SetBodyString(gomail.TypeTextPlain, r.Text)
	if r.HTML != "" {
		m.AddAlternativeString(gomail.TypeTextHTML, r.HTML)
	}
	for _, a := range r.Attachments {
		if err := m.AttachReader(a.Name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(a.ContentType))); err != nil {
			return nil, &PermanentError{fmt.Errorf("attachment %s: %w", a.Name, err)}
		}
	}
	return m, nil
}

// sendError marks the server's 5xx refusals as permanent.
func sendError(err error) error {
	var se *gomail.SendError
	if errors.As(err, &se) && !se.IsTemp() && se.ErrorCode() >= 500 {
		return &PermanentError{err}
	}
	return err
}

// PermanentError is a delivery the server refused for good (5xx).
type PermanentError struct{ Err error }

// Error implements error.
func (e *PermanentError) Error() string { return "permanent failure: " + e.Err.Error() }

// Unwrap returns the SMTP error.
func (e *PermanentError) Unwrap() error { return e.Err }
