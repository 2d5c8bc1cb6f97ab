package mailtest_test

import (
	"errors"
	"net/smtp"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"guichet/internal/kernel/mailtest"
)

const raw = "From: Mairie <no-reply@example.org>\r\n" +
	"To: lea@example.org\r\n" +
	"Subject: =?UTF-8?q?R=C3=A9servation_confirm=C3=A9e?=\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/alternative; boundary=b1\r\n" +
	"\r\n" +
	"--b1\r\n" +
	"Content-Type: text/plain; charset=UTF-8\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"Votre lien : https://montclair.example/r?a=3D1&b=3D2 =C3=A0 bient=C3=B4t\r\n" +
	"--b1\r\n" +
	"Content-Type: text/html; charset=UTF-8\r\n" +
	"Content-Transfer-Encoding: base64\r\n" +
	"\r\n" +
	"PHA+PGEgaHJlZj0iaHR0cHM6Ly9tb250Y2xhaXIuZXhhbXBsZS9yP2E9MSZhbXA7Yj0yIj5s\r\n" +
	"aWVuPC9hPjwvcD4=\r\n" +
	"--b1--\r\n"

func TestReceivesParsesAndFailsOnDemand(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t)
	srv.FailNext(1)
	send := func() error {
		return smtp.SendMail(srv.Addr, nil, "no-reply@example.org", []string{"lea@example.org"}, []byte(raw))
	}
	var tp *textproto.Error
	if err := send(); !errors.As(err, &tp) || tp.Code != 451 {
		t.Fatalf("first delivery: err = %v, want a 451", err)
	}
	if err := send(); err != nil {
		t.Fatalf("second delivery: %v", err)
	}
	m := srv.WaitFor(t, "LEA@example.org", time.Second)
	if srv.Failures() != 1 || m.From != "no-reply@example.org" || m.Subject != "Réservation confirmée" {
		t.Fatalf("failures %d, from %q, subject %q", srv.Failures(), m.From, m.Subject)
	}
	if !strings.Contains(m.Text, "à bientôt") || m.Link("montclair") != "https://montclair.example/r?a=1&b=2" {
		t.Errorf("text = %q, links %q", m.Text, m.Links())
	}
	if l := m.HTMLLinks(); len(l) != 1 || l[0] != "https://montclair.example/r?a=1&b=2" {
		t.Errorf("HTML links = %q from %q", l, m.HTML)
	}
	srv.Reject("gone@example.org")
	if err := smtp.SendMail(srv.Addr, nil, "no-reply@example.org", []string{"gone@example.org"}, []byte(raw)); !errors.As(err, &tp) || tp.Code != 550 {
		t.Errorf("rejected recipient: err = %v, want a 550", err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d messages kept, want 1", n)
	}
}
