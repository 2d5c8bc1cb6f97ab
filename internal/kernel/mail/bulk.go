package mail

import (
	"context"
	"encoding/json"
	"fmt"

	gomail "github.com/wneessen/go-mail"

	"guichet/internal/kernel/tenant"
)

// Bulk is how a campaign sends many messages of its own rendering: over
// SMTP connections kept open from one message to the next, with no outbox
// row or job each (a newsletter to 100,000 addresses would otherwise open
// 100,000 connections). The caller records each delivery itself.
type Bulk struct{ o *Outbox }

// Bulk returns the outbox's bulk sender.
func (o *Outbox) Bulk() *Bulk { return &Bulk{o: o} }

// Holding reports whether no SMTP server is configured: then a campaign
// puts its messages in the outbox (EnqueueRendered), held for the
// operator console.
func (b *Bulk) Holding() bool { return b.o.sender == nil }

// Envelope returns who a collectivité's messages are from.
func (b *Bulk) Envelope(t *tenant.Tenant, to string) Envelope {
	return Envelope{FromName: t.Name, From: b.o.from, To: to, ReplyTo: t.Email}
}

// Conn is one open SMTP connection; it is not safe for concurrent use.
type Conn struct {
	c *gomail.Client
}

// Open dials the SMTP server.
func (b *Bulk) Open(ctx context.Context) (*Conn, error) {
	if b.o.sender == nil {
		return nil, fmt.Errorf("mail: no SMTP server configured")
	}
	c, err := gomail.NewClient(b.o.sender.host, b.o.sender.opts...)
	if err != nil {
		return nil, fmt.Errorf("mail: SMTP client: %w", err)
	}
	if err := c.DialWithContext(ctx); err != nil {
		return nil, fmt.Errorf("mail: SMTP connection: %w", err)
	}
	return &Conn{c: c}, nil
}

// Send delivers one message on the connection. A *PermanentError is a
// refusal for good (the address bounces); any other error may have left
// the connection unusable: close it and open another.
func (c *Conn) Send(env Envelope, r *Rendered) error {
	m, err := message(env, r)
	if err != nil {
		return err
	}
	return sendError(c.c.Send(m))
}

// Close ends the SMTP conversation.
func (c *Conn) Close() error { return c.c.Close() }

// renderedTemplate names the messages stored already rendered.
const renderedTemplate = "mail/rendered"

// EnqueueRendered puts a message its caller rendered in the outbox (a
// campaign's test send, or its messages when no SMTP server is
// configured): stored sealed like any other, shown in the operator
// console, delivered by the outbox's job.
func (o *Outbox) EnqueueRendered(ctx context.Context, tenantID, to string, r *Rendered) error {
	raw, err := json.Marshal(r)
	if err != nil {
		return err
	}
	var data map[string]any
	if err := json.Unmarshal(raw, &data); err != nil {
		return err
	}
	return o.Enqueue(ctx, Message{TenantID: tenantID, To: to, Template: renderedTemplate, Lang: r.Lang, Data: data})
}

// renderedMessage reads back a message stored rendered.
func renderedMessage(data []byte) (*Rendered, error) {
	var r Rendered
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("mail: rendered message: %w", err)
	}
	if r.Subject == "" || r.Text == "" {
		return nil, fmt.Errorf("mail: rendered message without subject or text")
	}
	r.Lang = NormalizeLang(r.Lang)
	return &r, nil
}
