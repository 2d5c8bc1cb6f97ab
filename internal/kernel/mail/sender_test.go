package mail_test

import (
	"context"
	"strings"
	"testing"

	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/mailtest"
)

func sendOne(t *testing.T, s *mail.Sender, to string) error {
	t.Helper()
	return s.Send(context.Background(), mail.Envelope{FromName: "Mairie", From: "no-reply@guichet.example", To: to},
		&mail.Rendered{Subject: "Essai", Text: "Un lien secret : https://montclair.example/jeton", Lang: "fr"})
}

func newSender(t *testing.T, url string) *mail.Sender {
	t.Helper()
	s, err := mail.NewSender(url)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSMTPPolicyFromTheURL: STARTTLS is required, except for a relay on
// this machine reached without credentials, or through smtp+insecure://.
func TestSMTPPolicyFromTheURL(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ url, want string }{
		{"smtp://mail.example.org", "starttls"},
		{"smtp://user:secret@mail.example.org:2525", "starttls"},
		{"smtp://user:secret@127.0.0.1:2525", "starttls"},
		{"smtp://user:secret@localhost", "starttls"},
		{"smtp://192.0.2.10", "starttls"},
		{"smtp://localhost:25", "opportunistic"},
		{"smtp://127.0.0.1:25", "opportunistic"},
		{"smtp://[::1]:25", "opportunistic"},
		{"smtp+insecure://user:secret@relay.internal:25", "opportunistic"},
		{"smtps://user:secret@mail.example.org", "tls"},
	} {
		if got := newSender(t, c.url).Policy(); got != c.want {
			t.Errorf("%s: policy %q, want %q", c.url, got, c.want)
		}
	}
	for _, bad := range []string{"ftp://mail.example.org", "smtp://", "smtp://mail.example.org:port"} {
		if _, err := mail.NewSender(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

// TestSMTPCredentialsNeverInClear: a server that offers no STARTTLS gets
// neither the password nor the message when the URL has credentials.
func TestSMTPCredentialsNeverInClear(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, mailtest.WithAuth("guichet", "motdepasse"))
	err := sendOne(t, newSender(t, "smtp://guichet:motdepasse@"+srv.Addr), "lea@example.org")
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("send without STARTTLS: err = %v, want a refusal naming STARTTLS", err)
	}
	if l, m := srv.Logins(), srv.Messages(); len(l) != 0 || len(m) != 0 {
		t.Errorf("the server got %d logins and %d messages in clear", len(l), len(m))
	}
}

// TestSMTPUsesSTARTTLS: with a server that offers it, the password and
// the message go encrypted.
func TestSMTPUsesSTARTTLS(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, mailtest.WithSTARTTLS(), mailtest.WithAuth("guichet", "motdepasse"))
	s := newSender(t, "smtp://guichet:motdepasse@"+srv.Addr)
	s.Trust(srv.Certificates())
	if err := sendOne(t, s, "lea@example.org"); err != nil {
		t.Fatal(err)
	}
	if l := srv.Logins(); len(l) != 1 || !l[0].TLS || l[0].User != "guichet" {
		t.Errorf("logins = %+v, want one over TLS", l)
	}
	if m := srv.Messages(); len(m) != 1 || !m[0].TLS {
		t.Errorf("messages = %d, want one over TLS", len(m))
	}
}

// TestSMTPRefusesAnUntrustedCertificate: STARTTLS to a server whose
// certificate nobody vouches for fails rather than sending.
func TestSMTPRefusesAnUntrustedCertificate(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, mailtest.WithSTARTTLS(), mailtest.WithAuth("guichet", "motdepasse"))
	if err := sendOne(t, newSender(t, "smtp://guichet:motdepasse@"+srv.Addr), "lea@example.org"); err == nil {
		t.Error("sent to a server with a self-signed certificate")
	}
	if l, m := srv.Logins(), srv.Messages(); len(l) != 0 || len(m) != 0 {
		t.Errorf("the server got %d logins and %d messages", len(l), len(m))
	}
}

// TestSMTPSSpeaksTLSFromTheStart: smtps:// encrypts from the first byte.
func TestSMTPSSpeaksTLSFromTheStart(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, mailtest.WithImplicitTLS(), mailtest.WithAuth("guichet", "motdepasse"))
	s := newSender(t, "smtps://guichet:motdepasse@"+srv.Addr)
	s.Trust(srv.Certificates())
	if err := sendOne(t, s, "lea@example.org"); err != nil {
		t.Fatal(err)
	}
	if l, m := srv.Logins(), srv.Messages(); len(l) != 1 || !l[0].TLS || len(m) != 1 || !m[0].TLS {
		t.Errorf("logins %+v, %d messages, want one of each over TLS", l, len(m))
	}
}

// TestSMTPLocalRelayInClear: a relay on this machine without credentials,
// or one named by smtp+insecure://, may speak in clear.
func TestSMTPLocalRelayInClear(t *testing.T) {
	t.Parallel()
	plain := mailtest.Start(t)
	if err := sendOne(t, newSender(t, plain.URL), "lea@example.org"); err != nil {
		t.Fatalf("loopback relay without credentials: %v", err)
	}
	relay := mailtest.Start(t, mailtest.WithAuth("guichet", "motdepasse"))
	if err := sendOne(t, newSender(t, "smtp+insecure://guichet:motdepasse@"+relay.Addr), "lea@example.org"); err != nil {
		t.Fatalf("smtp+insecure: %v", err)
	}
	if m := plain.Messages(); len(m) != 1 || m[0].TLS {
		t.Errorf("loopback relay: %d messages", len(m))
	}
	if l := relay.Logins(); len(l) != 1 || l[0].TLS {
		t.Errorf("smtp+insecure logins = %+v, want one in clear", l)
	}
}
