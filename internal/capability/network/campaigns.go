package network

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/mail"
)

// The kinds of campaigns.
const (
	Message    = "message"
	Invitation = "invitation" // to a date, or to an event of the agenda
)

// The targets of a campaign.
const (
	TargetCluster   = "groupe"    // the organisations of a cluster
	TargetCategory  = "categorie" // the organisations of a directory category
	TargetSelection = "selection" // organisations picked one by one
)

// Campaign is a message or an invitation mailed to organisations: to
// their contacts (all of whom consented) and their public address.
type Campaign struct {
	ID, TenantID  string
	Kind          string
	Subject, Body string
	// TargetKind and TargetLabel say whom it was for ("groupe", "Groupe
	// B : École Jules-Ferry, …").
	TargetKind, TargetLabel string
	// An invitation is to an event of the agenda (EventID, its title and
	// page), or to a date and place.
	EventID, EventTitle, EventPath string
	EventAt                        *time.Time
	Place                          string
	// Author is the staff member who sent it.
	Author     string
	Recipients int
	Sent       time.Time
}

// Recipient is one address a campaign went to.
type Recipient struct {
	EntryID, EntryName string
	// ContactID and Name are the contact's; both empty for the
	// organisation's public address.
	ContactID, Name string
	Email           string
}

// CampaignDays is how long a campaign and its list of recipients are
// kept.
const CampaignDays = 365

// Validate checks a campaign before its preview and its sending.
func (c *Campaign) Validate(now time.Time) error {
	errs := map[string]string{}
	c.Subject, c.Body, c.Place = strings.TrimSpace(c.Subject), strings.TrimSpace(c.Body), strings.TrimSpace(c.Place)
	switch {
	case c.Subject == "":
		errs["subject"] = "Indiquez l'objet du message."
	case utf8.RuneCountInString(c.Subject) > 150:
		errs["subject"] = "L'objet dépasse 150 caractères."
	}
	switch {
	case c.Body == "":
		errs["body"] = "Écrivez le message."
	case utf8.RuneCountInString(c.Body) > 5000:
		errs["body"] = "Le message dépasse 5 000 caractères."
	}
	if utf8.RuneCountInString(c.Place) > 200 {
		errs["place"] = "Le lieu dépasse 200 caractères."
	}
	switch c.Kind {
	case Message:
		c.EventID, c.EventTitle, c.EventPath, c.EventAt, c.Place = "", "", "", nil, ""
	case Invitation:
		if c.EventID == "" && c.EventAt == nil {
			errs["event"] = "Choisissez un événement de l'agenda, ou indiquez une date."
		}
		if c.EventID == "" && c.EventAt != nil && c.EventAt.Before(now) {
			errs["event_date"] = "La date de l'invitation est passée."
		}
	default:
		errs["kind"] = "Choisissez un message ou une invitation."
	}
	if len(errs) > 0 {
		return guichet.Invalid(errs)
	}
	return nil
}

// Recipients returns the addresses a campaign to orgs goes to: each
// organisation's contacts who have an email, then its public address, an
// address reached once only.
func (s *Store) Recipients(ctx context.Context, tenantID string, orgs []DirectoryEntry) ([]Recipient, error) {
	ids := make([]string, len(orgs))
	for i, o := range orgs {
		ids[i] = o.ID
	}
	byOrg := map[string][]*Contact{}
	if len(ids) > 0 {
		contacts, err := s.Contacts(ctx, tenantID, ids...)
		if err != nil {
			return nil, err
		}
		for _, c := range contacts {
			byOrg[c.EntryID] = append(byOrg[c.EntryID], c)
		}
	}
	sorted := slices.Clone(orgs)
	SortByName(sorted)
	seen := map[string]bool{}
	var out []Recipient
	add := func(r Recipient) {
		key := strings.ToLower(r.Email)
		if r.Email == "" || seen[key] {
			return
		}
		seen[key] = true
		out = append(out, r)
	}
	for _, o := range sorted {
		for _, c := range byOrg[o.ID] {
			add(Recipient{EntryID: o.ID, EntryName: o.Name, ContactID: c.ID, Name: c.Name, Email: c.Email})
		}
		add(Recipient{EntryID: o.ID, EntryName: o.Name, Email: strings.TrimSpace(o.Email)})
	}
	return out, nil
}

// Site is what a campaign's emails say of the collectivité: its address
// and time zone.
type Site struct {
	URL string
	Loc *time.Location
}

// ErrNoRecipient refuses a campaign that would reach nobody.
var ErrNoRecipient = guichet.Errorf(guichet.EInvalid, "Aucune de ces organisations n'a d'adresse électronique ni de contact ayant donné son accord.")

// Send records the campaign and its recipients and queues its emails, in
// one transaction.
func (s *Store) Send(ctx context.Context, c *Campaign, to []Recipient, site Site) error {
	return s.send(ctx, c, to, site, s.now(), true)
}

// Record records a campaign sent at an earlier time without mailing it
// again: a history brought from elsewhere, or the demo's.
func (s *Store) Record(ctx context.Context, c *Campaign, to []Recipient, at time.Time) error {
	return s.send(ctx, c, to, Site{}, at.UTC(), false)
}

func (s *Store) send(ctx context.Context, c *Campaign, to []Recipient, site Site, now time.Time, mailing bool) error {
	if err := c.Validate(now); err != nil {
		return err
	}
	if len(to) == 0 {
		return ErrNoRecipient
	}
	c.ID, c.Sent, c.Recipients = uuid.NewString(), now, len(to)
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO network_campaigns (id, tenant_id, kind, subject, body, target_kind, target_label,
			event_id, event_title, event_path, event_at, place, author, recipients, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.TenantID, c.Kind, c.Subject, c.Body, c.TargetKind, c.TargetLabel, c.EventID, c.EventTitle, c.EventPath,
			c.EventAt, c.Place, c.Author, c.Recipients, now); err != nil {
			return err
		}
		for _, r := range to {
			if _, err := tx.Exec(ctx, `INSERT INTO network_recipients (campaign_id, tenant_id, entry_id, entry_name, contact_id, name, email)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, c.ID, c.TenantID, r.EntryID, r.EntryName, r.ContactID, r.Name, r.Email); err != nil {
				return err
			}
			if !mailing || s.Mail == nil {
				continue
			}
			if err := s.Mail.EnqueueTx(ctx, tx, mail.Message{TenantID: c.TenantID, To: r.Email, Template: "network/campaign",
				Lang: "fr", Data: c.MailData(r, site)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("network: send campaign: %w", err)
	}
	return nil
}

// MailData is what the campaign's email shows one recipient.
func (c *Campaign) MailData(r Recipient, site Site) map[string]any {
	loc := site.Loc
	if loc == nil {
		loc = time.UTC
	}
	when := ""
	if c.EventAt != nil {
		at := c.EventAt.In(loc)
		when = guichet.LongDate(at, "fr") + " à " + strings.Replace(at.Format("15:04"), ":", " h ", 1)
	}
	event := ""
	if c.EventPath != "" {
		event = strings.TrimSuffix(site.URL, "/") + c.EventPath
	}
	return map[string]any{"Subject": c.Subject, "Body": c.Body, "Invitation": c.Kind == Invitation, "EventTitle": c.EventTitle,
		"EventURL": event, "When": when, "Place": c.Place, "Organisation": r.EntryName, "Name": r.Name, "SiteURL": site.URL}
}

const campaignColumns = `id, tenant_id, kind, subject, body, target_kind, target_label, event_id, event_title, event_path,
	event_at, place, author, recipients, sent_at`

func scanCampaign(r db.Row) (*Campaign, error) {
	c := &Campaign{}
	var at sql.NullTime
	if err := r.Scan(&c.ID, &c.TenantID, &c.Kind, &c.Subject, &c.Body, &c.TargetKind, &c.TargetLabel, &c.EventID, &c.EventTitle,
		&c.EventPath, &at, &c.Place, &c.Author, &c.Recipients, &c.Sent); err != nil {
		return nil, err
	}
	c.EventAt, c.Sent = timeOf(at), c.Sent.UTC()
	return c, nil
}

// Campaigns lists the collectivité's campaigns, newest first.
func (s *Store) Campaigns(ctx context.Context, tenantID string, limit int) ([]*Campaign, error) {
	var out []*Campaign
	err := db.Each(ctx, s.db, `SELECT `+campaignColumns+` FROM network_campaigns WHERE tenant_id = ? ORDER BY sent_at DESC, id LIMIT ?`,
		func(r db.Row) error {
			c, err := scanCampaign(r)
			if err == nil {
				out = append(out, c)
			}
			return err
		}, tenantID, limit)
	if err != nil {
		return nil, fmt.Errorf("network: campaigns: %w", err)
	}
	return out, nil
}

// Campaign returns one campaign with its recipients.
func (s *Store) Campaign(ctx context.Context, tenantID, id string) (*Campaign, []Recipient, error) {
	c, err := scanCampaign(s.db.QueryRow(ctx, `SELECT `+campaignColumns+` FROM network_campaigns WHERE tenant_id = ? AND id = ?`,
		tenantID, id))
	if err == sql.ErrNoRows {
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, fmt.Errorf("network: campaign: %w", err)
	}
	var to []Recipient
	err = db.Each(ctx, s.db, `SELECT entry_id, entry_name, contact_id, name, email FROM network_recipients
		WHERE tenant_id = ? AND campaign_id = ? ORDER BY entry_name, name DESC, email`, func(r db.Row) error {
		var rc Recipient
		err := r.Scan(&rc.EntryID, &rc.EntryName, &rc.ContactID, &rc.Name, &rc.Email)
		to = append(to, rc)
		return err
	}, tenantID, id)
	if err != nil {
		return nil, nil, fmt.Errorf("network: recipients: %w", err)
	}
	return c, to, nil
}
