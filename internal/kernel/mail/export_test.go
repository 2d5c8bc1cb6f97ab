package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	gomail "github.com/wneessen/go-mail"
)

// DeliverNow runs the delivery job of one message once, as the queue
// would (a first attempt of eight), and returns its error.
func (o *Outbox) DeliverNow(ctx context.Context, tenantID, id string) error {
	w := &deliverWorker{o: o}
	return w.Work(ctx, &river.Job[deliverArgs]{JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: 8},
		Args: deliverArgs{ID: id, TenantID: tenantID}})
}

// Policy is how the sender protects the connection: "starttls" (required),
// "opportunistic" or "tls" (from the first byte).
func (s *Sender) Policy() string { return s.policy }

// Trust makes the sender accept the certificates of pool only, as a test
// server's self-signed one.
func (s *Sender) Trust(pool *x509.CertPool) {
	s.opts = append(s.opts, gomail.WithTLSConfig(&tls.Config{RootCAs: pool, ServerName: s.host, MinVersion: tls.VersionTLS12}))
}
