package directory

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/mail"
)

// The states of a proposal.
const (
	Pending   = "pending"
	Approved  = "approved"
	Rejected  = "rejected"
	Withdrawn = "withdrawn" // its author no longer manages the entry
)

// MaxReason bounds a rejection's reason, in characters.
const MaxReason = 2000

// Changes are the fields of an entry its manager may change; the name,
// category, position and publication stay with staff.
type Changes struct {
	Summary       string `json:"summary"`
	Description   string `json:"description"`
	Address       string `json:"address"`
	Postcode      string `json:"postcode"`
	City          string `json:"city"`
	OpeningHours  string `json:"opening_hours"`
	Phone         string `json:"phone"`
	Email         string `json:"email"`
	Website       string `json:"website"`
	SIRET         string `json:"siret"`
	Wheelchair    string `json:"wheelchair"`
	HearingLoop   bool   `json:"hearing_loop"`
	Accessibility string `json:"accessibility"`
}

// ChangesOf returns what a manager may change of e, as it is.
func ChangesOf(e *Entry) Changes {
	return Changes{Summary: e.Summary, Description: e.Description, Address: e.Address, Postcode: e.Postcode, City: e.City,
		OpeningHours: e.OpeningHours, Phone: e.Phone, Email: e.Email, Website: e.Website, SIRET: e.SIRET,
		Wheelchair: e.Wheelchair, HearingLoop: e.HearingLoop, Accessibility: e.Accessibility}
}

// Apply writes c into e.
func (c Changes) Apply(e *Entry) {
	e.Summary, e.Description, e.Address, e.Postcode, e.City = c.Summary, c.Description, c.Address, c.Postcode, c.City
	e.OpeningHours, e.Phone, e.Email, e.Website, e.SIRET = c.OpeningHours, c.Phone, c.Email, c.Website, c.SIRET
	e.Wheelchair, e.HearingLoop, e.Accessibility = c.Wheelchair, c.HearingLoop, c.Accessibility
}

// Field is one changed field: its key and both values as text.
type Field struct {
	Key, Before, After string
}

// Diff lists the fields that differ from before to after, in the form's
// order.
func Diff(before, after Changes) []Field {
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	all := []Field{{"summary", before.Summary, after.Summary}, {"description", before.Description, after.Description},
		{"address", before.Address, after.Address}, {"postcode", before.Postcode, after.Postcode}, {"city", before.City, after.City},
		{"opening_hours", before.OpeningHours, after.OpeningHours}, {"phone", before.Phone, after.Phone},
		{"email", before.Email, after.Email}, {"website", before.Website, after.Website}, {"siret", before.SIRET, after.SIRET},
		{"wheelchair", before.Wheelchair, after.Wheelchair}, {"hearing_loop", yes(before.HearingLoop), yes(after.HearingLoop)},
		{"accessibility", before.Accessibility, after.Accessibility}}
	var out []Field
	for _, f := range all {
		if f.Before != f.After {
			out = append(out, f)
		}
	}
	return out
}

// merge applies onto current only the fields the proposal changed from
// before: what staff changed meanwhile in other fields stays.
func merge(current, before, after Changes) Changes {
	out := current
	for _, f := range Diff(before, after) {
		switch f.Key {
		case "summary":
			out.Summary = after.Summary
		case "description":
			out.Description = after.Description
		case "address":
			out.Address = after.Address
		case "postcode":
			out.Postcode = after.Postcode
		case "city":
			out.City = after.City
		case "opening_hours":
			out.OpeningHours = after.OpeningHours
		case "phone":
			out.Phone = after.Phone
		case "email":
			out.Email = after.Email
		case "website":
			out.Website = after.Website
		case "siret":
			out.SIRET = after.SIRET
		case "wheelchair":
			out.Wheelchair = after.Wheelchair
		case "hearing_loop":
			out.HearingLoop = after.HearingLoop
		case "accessibility":
			out.Accessibility = after.Accessibility
		}
	}
	return out
}

// Proposal is a manager's change to an entry, waiting for staff or
// decided.
type Proposal struct {
	ID, TenantID, EntryID, AccountID string
	// Author is the manager's name when they proposed.
	Author          string
	Changes, Before Changes
	Status          string
	// Reason is why staff rejected it, for its author.
	Reason    string
	DecidedBy string
	CreatedAt time.Time
	DecidedAt *time.Time
	// EntryName and EntrySlug are the entry's, for lists.
	EntryName, EntrySlug string
}

// Fields lists what the proposal changes.
func (p *Proposal) Fields() []Field { return Diff(p.Before, p.Changes) }

// Site is what the moderation's emails need of the collectivité: its
// address, and the address that hears of new proposals ("" for none).
type Site struct {
	URL, Contact string
}

// Person is whom the emails go to.
type Person struct {
	Email, Name, Lang string
}

// ErrNothingChanged is a proposal that changes nothing.
var ErrNothingChanged = guichet.Invalid(map[string]string{"summary": "Vous n'avez rien changé à la fiche."})

const proposalCols = `p.id, p.tenant_id, p.entry_id, p.account_id, p.author, p.changes, p.before_changes, p.status, p.reason,
	p.decided_by, p.created_at, p.decided_at, e.name, e.slug`

func scanProposal(r db.Row) (*Proposal, error) {
	var p Proposal
	var changes, before string
	var decided sql.NullTime
	err := r.Scan(&p.ID, &p.TenantID, &p.EntryID, &p.AccountID, &p.Author, &changes, &before, &p.Status, &p.Reason,
		&p.DecidedBy, &p.CreatedAt, &decided, &p.EntryName, &p.EntrySlug)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if decided.Valid {
		t := decided.Time.UTC()
		p.DecidedAt = &t
	}
	if err := json.Unmarshal([]byte(changes), &p.Changes); err != nil {
		return nil, err
	}
	return &p, json.Unmarshal([]byte(before), &p.Before)
}

func (s *Store) proposals(ctx context.Context, q db.Querier, where string, args ...any) ([]*Proposal, error) {
	var out []*Proposal
	err := db.Each(ctx, q, `SELECT `+proposalCols+` FROM directory_proposals p
		JOIN directory_entries e ON e.id = p.entry_id AND e.tenant_id = p.tenant_id WHERE `+where, func(r db.Row) error {
		p, err := scanProposal(r)
		if err == nil {
			out = append(out, p)
		}
		return err
	}, args...)
	return out, err
}

// Proposal returns one of the collectivité's proposals.
func (s *Store) Proposal(ctx context.Context, tenantID, id string) (*Proposal, error) {
	list, err := s.proposals(ctx, s.db, `p.tenant_id = ? AND p.id = ?`, tenantID, id)
	if err != nil {
		return nil, wrap("proposal", err)
	}
	if len(list) == 0 {
		return nil, ErrNotFound
	}
	return list[0], nil
}

// PendingProposals is the moderation queue, the oldest first.
func (s *Store) PendingProposals(ctx context.Context, tenantID string) ([]*Proposal, error) {
	out, err := s.proposals(ctx, s.db, `p.tenant_id = ? AND p.status = ? ORDER BY p.created_at, p.id`, tenantID, Pending)
	return out, wrap("pending proposals", err)
}

// DecidedProposals lists the latest decisions, the latest first.
func (s *Store) DecidedProposals(ctx context.Context, tenantID string, limit int) ([]*Proposal, error) {
	out, err := s.proposals(ctx, s.db, `p.tenant_id = ? AND p.status IN (?, ?) ORDER BY p.decided_at DESC, p.id LIMIT ?`,
		tenantID, Approved, Rejected, limit)
	return out, wrap("decided proposals", err)
}

// ProposalsBy lists an account's proposals, those waiting first, then
// the latest first.
func (s *Store) ProposalsBy(ctx context.Context, tenantID, accountID string) ([]*Proposal, error) {
	out, err := s.proposals(ctx, s.db, `p.tenant_id = ? AND p.account_id = ?
		ORDER BY CASE WHEN p.status = ? THEN 0 ELSE 1 END, p.created_at DESC, p.id`, tenantID, accountID, Pending)
	return out, wrap("proposals by", err)
}

// Propose records a manager's changes to an entry they manage, checked
// as staff's would be (check reads the opening hours); a proposal of
// theirs still waiting for that entry is replaced. Staff hear of it at
// site.Contact.
func (s *Store) Propose(ctx context.Context, tenantID, entryID, accountID, author string, c Changes,
	check func(string) (string, error), site Site) (*Proposal, error) {
	e, err := s.ManagedEntry(ctx, tenantID, accountID, entryID)
	if err != nil {
		return nil, err
	}
	before := ChangesOf(e)
	c.Apply(e)
	if err := e.Validate(check); err != nil {
		return nil, err
	}
	c = ChangesOf(e) // as normalised
	if len(Diff(before, c)) == 0 {
		return nil, ErrNothingChanged
	}
	after, _ := json.Marshal(c)
	was, _ := json.Marshal(before)
	p := &Proposal{ID: uuid.NewString(), TenantID: tenantID, EntryID: entryID, AccountID: accountID, Author: author,
		Changes: c, Before: before, Status: Pending, CreatedAt: s.now(), EntryName: e.Name, EntrySlug: e.Slug}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM directory_proposals WHERE tenant_id = ? AND entry_id = ? AND account_id = ? AND status = ?`,
			tenantID, entryID, accountID, Pending); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO directory_proposals (id, tenant_id, entry_id, account_id, author, changes, before_changes,
			status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.ID, tenantID, entryID, accountID, author, string(after),
			string(was), Pending, p.CreatedAt)
		return err
	})
	if err != nil {
		return nil, wrap("propose", err)
	}
	if site.Contact != "" {
		s.send(ctx, tenantID, site.Contact, "fr", "proposal_received", map[string]any{"Entry": e.Name, "Author": author,
			"URL": site.URL + "/gestion/annuaire/moderation/" + p.ID})
	}
	return p, nil
}

// ErrDecided is a proposal already approved, rejected or withdrawn.
var ErrDecided = guichet.Errorf(guichet.EConflict, "Cette proposition a déjà été traitée.")

// decide loads a waiting proposal within tx.
func (s *Store) pending(ctx context.Context, tx *db.Tx, tenantID, id string) (*Proposal, error) {
	list, err := s.proposals(ctx, tx, `p.tenant_id = ? AND p.id = ?`, tenantID, id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, ErrNotFound
	}
	if list[0].Status != Pending {
		return nil, ErrDecided
	}
	return list[0], nil
}

// Approve applies a waiting proposal to its entry (only the fields it
// changed) and tells its author.
func (s *Store) Approve(ctx context.Context, tenantID, id, decidedBy string, check func(string) (string, error),
	site Site, who func(accountID string) (Person, error)) (*Proposal, error) {
	var p *Proposal
	var e *Entry
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if p, err = s.pending(ctx, tx, tenantID, id); err != nil {
			return err
		}
		list, err := s.list(ctx, tx, `tenant_id = ? AND id = ?`, tenantID, p.EntryID)
		if err != nil || len(list) == 0 {
			return errors.Join(err, ErrNotFound)
		}
		e = list[0]
		merge(ChangesOf(e), p.Before, p.Changes).Apply(e)
		if err := e.Validate(check); err != nil {
			return err
		}
		lat, lon := position(e)
		now := s.now()
		if _, err := tx.Exec(ctx, `UPDATE directory_entries SET summary = ?, description = ?, address = ?, postcode = ?, city = ?,
			opening_hours = ?, phone = ?, email = ?, website = ?, siret = ?, wheelchair = ?, hearing_loop = ?, accessibility = ?,
			lat = ?, lon = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`, e.Summary, e.Description, e.Address, e.Postcode,
			e.City, e.OpeningHours, e.Phone, e.Email, e.Website, e.SIRET, e.Wheelchair, e.HearingLoop, e.Accessibility,
			lat, lon, now, tenantID, e.ID); err != nil {
			return err
		}
		p.Status, p.DecidedBy, p.DecidedAt = Approved, decidedBy, &now
		_, err = tx.Exec(ctx, `UPDATE directory_proposals SET status = ?, decided_by = ?, decided_at = ? WHERE tenant_id = ? AND id = ?`,
			Approved, decidedBy, now, tenantID, id)
		return err
	})
	if err != nil {
		return nil, wrap("approve", err)
	}
	s.changed(ctx, tenantID)
	s.tell(ctx, p, "proposal_approved", site, who, map[string]any{"Entry": e.Name, "URL": site.URL + e.Path()})
	return p, nil
}

// Reject refuses a waiting proposal with a reason its author reads.
func (s *Store) Reject(ctx context.Context, tenantID, id, reason, decidedBy string, site Site,
	who func(accountID string) (Person, error)) (*Proposal, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return nil, guichet.Invalid(map[string]string{"reason": "Indiquez la raison du refus : l'organisation la lira."})
	case utf8.RuneCountInString(reason) > MaxReason:
		return nil, guichet.Invalid(map[string]string{"reason": "Cette raison est trop longue (2 000 caractères au plus)."})
	}
	var p *Proposal
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if p, err = s.pending(ctx, tx, tenantID, id); err != nil {
			return err
		}
		now := s.now()
		p.Status, p.Reason, p.DecidedBy, p.DecidedAt = Rejected, reason, decidedBy, &now
		_, err = tx.Exec(ctx, `UPDATE directory_proposals SET status = ?, reason = ?, decided_by = ?, decided_at = ?
			WHERE tenant_id = ? AND id = ?`, Rejected, reason, decidedBy, now, tenantID, id)
		return err
	})
	if err != nil {
		return nil, wrap("reject", err)
	}
	s.tell(ctx, p, "proposal_rejected", site, who, map[string]any{"Entry": p.EntryName, "Reason": reason,
		"URL": site.URL + MinePath})
	return p, nil
}

// MinePath is the page where a manager finds their entries and their
// proposals' outcomes.
const MinePath = "/compte/annuaire"

// tell mails a proposal's author the decision.
func (s *Store) tell(ctx context.Context, p *Proposal, template string, site Site, who func(string) (Person, error), data map[string]any) {
	if who == nil {
		return
	}
	to, err := who(p.AccountID)
	if err != nil || to.Email == "" {
		return // an account erased meanwhile hears nothing
	}
	data["Name"] = to.Name
	s.send(ctx, p.TenantID, to.Email, to.Lang, template, data)
}

// TellManager mails an account that it now manages an entry.
func (s *Store) TellManager(ctx context.Context, tenantID string, e *Entry, to Person, site Site) {
	s.send(ctx, tenantID, to.Email, to.Lang, "manager_granted", map[string]any{"Entry": e.Name, "Name": to.Name,
		"URL": site.URL + MinePath})
}

// send queues an email; a failure is logged, the decision stands.
func (s *Store) send(ctx context.Context, tenantID, to, lang, template string, data map[string]any) {
	if s.Mail == nil {
		return
	}
	if err := s.Mail.Enqueue(ctx, mail.Message{TenantID: tenantID, To: to, Lang: lang, Template: "directory/" + template,
		Data: data}); err != nil {
		slog.ErrorContext(ctx, "directory: mail not queued", "template", template, "error", err)
	}
}
