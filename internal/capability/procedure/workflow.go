package procedure

import (
	"context"
	"embed"
	"io/fs"
	"log/slog"
	"slices"
	"strings"
	"time"

	"guichet"
	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/mail"
)

//go:embed mail
var mailFiles embed.FS

// MailFiles holds the emails' templates (mail/*.txt), to add to the
// outbox's registry as module "procedure".
func MailFiles() fs.FS { return mailFiles }

// Addresses the emails link to, on the collectivité's site.
const InboxPath = "/gestion/dossiers"

// CasePath is a case's page for its resident.
func CasePath(id string) string { return "/dossiers/" + id }

// AccessPath is the emailed link that opens a case filed without account.
func AccessPath(id, token string) string { return CasePath(id) + "/acces/" + token }

// Links gives a collectivité's address and time zone, for the emails that
// periodic work sends (there is no request to take them from).
type Links func(ctx context.Context, tenantID string) (siteURL string, loc *time.Location, err error)

// Site is the collectivité's address and time zone for the emails sent
// while a resident or an agent acts on it.
type Site struct {
	URL string
	Loc *time.Location
}

// Members lists a collectivité's staff, to find whom a case concerns.
type Members interface {
	List(ctx context.Context, tenantID string) ([]*staff.Member, error)
}

// Service runs the workflows of online procedures (starting and filling
// a draft, filing it, deciding, the periodic silence and retention) with
// the emails they send, for every front end: pages, API and jobs.
type Service struct {
	store *Store
	staff Members
	mail  mail.Enqueuer
	links Links
	log   *slog.Logger
}

// NewService returns the workflows on store; links gives the addresses of
// the emails periodic work sends.
func NewService(store *Store, members Members, mailer mail.Enqueuer, links Links, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: store, staff: members, mail: mailer, links: links, log: log}
}

// Store returns the cases' store.
func (s *Service) Store() *Store { return s.store }

// Applicant is who starts a case: an account (UserID set) or a guest.
type Applicant struct {
	UserID string
	Email  string
	Name   string
	Lang   string
	// Parcel, for an urban-planning application started from a parcel's
	// sheet, fills in the parcel's reference.
	Parcel string
}

// Guest fields a guest got wrong.
const (
	GuestName  = "name"
	GuestEmail = "email"
)

// CheckGuest returns a guest applicant from what they typed, or the
// fields (GuestName, GuestEmail) that are missing or wrong.
func CheckGuest(name, email, lang string) (Applicant, []string) {
	name = strings.TrimSpace(name)
	var bad []string
	if name == "" || len(name) > 120 {
		bad = append(bad, GuestName)
	}
	norm, err := account.NormalizeEmail(strings.TrimSpace(email))
	if err != nil {
		bad = append(bad, GuestEmail)
	}
	return Applicant{Email: norm, Name: name, Lang: lang}, bad
}

// Start opens a draft of p for a; a guest is emailed the link that proves
// their address and opens the draft.
func (s *Service) Start(ctx context.Context, p *Procedure, a Applicant, site Site) (*Case, error) {
	c, token, err := s.store.Start(ctx, p, a.UserID, a.Email, a.Name, a.Lang)
	if err != nil {
		return nil, err
	}
	if parcel := strings.ToUpper(strings.TrimSpace(a.Parcel)); p.Application != "" && parcelPattern.MatchString(parcel) {
		if err := s.store.SaveDraft(ctx, c, Answers{ParcelField: {Value: parcel}}, 0, c.Applicant); err != nil {
			return nil, err
		}
	}
	if a.UserID != "" {
		return c, nil
	}
	return c, s.tell(ctx, c, "verify", map[string]any{"Procedure": p.Title, "Link": site.URL + AccessPath(c.ID, token)})
}

// Create opens a case of p for an account with answers, and files it when
// submit is set (the API's one call; no email, as the client shows it).
func (s *Service) Create(ctx context.Context, p *Procedure, form *Form, a Applicant, answers Answers, submit bool) (*Case, error) {
	if submit {
		if errs := form.Validate(answers); errs != nil {
			return nil, guichet.Invalid(errs)
		}
	}
	c, _, err := s.store.Start(ctx, p, a.UserID, a.Email, a.Name, a.Lang)
	if err != nil {
		return nil, err
	}
	if err := s.store.SaveDraft(ctx, c, answers, 0, ApplicantName(answers, a.Name)); err != nil {
		return nil, err
	}
	if submit {
		if err := s.store.Submit(ctx, c, p, form, Actor{ID: a.UserID, Name: a.Name}); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// ApplicantName guesses the applicant's name from common field keys.
func ApplicantName(answers Answers, fallback string) string {
	var parts []string
	for _, k := range []string{"prenom", "nom"} {
		if v := strings.TrimSpace(answers[k].Value); v != "" {
			parts = append(parts, v)
		}
	}
	if len(parts) > 0 {
		return strings.Join(parts, " ")
	}
	return fallback
}

// SaveStep keeps a page's answers in the draft, and the files checked for
// its fields, without checking the page: the resident may come back.
func (s *Service) SaveStep(ctx context.Context, c *Case, answers Answers, files map[*Field][]Upload) error {
	if err := s.store.SaveDraft(ctx, c, answers, c.Page, ApplicantName(answers, c.Applicant)); err != nil {
		return err
	}
	for fl, ups := range files {
		if len(ups) > 0 {
			if err := s.store.AttachToDraft(ctx, c, fl, ups); err != nil {
				return err
			}
		}
	}
	return nil
}

// CompletePage checks page n (0-based) of the draft; when it is right the
// draft moves past it, otherwise the page's field errors are returned.
func (s *Service) CompletePage(ctx context.Context, c *Case, form *Form, n int) (map[string]string, error) {
	if errs := form.ValidatePage(n, c.Answers); errs != nil {
		return errs, nil
	}
	return nil, s.store.SaveDraft(ctx, c, c.Answers, max(c.Page, n+1), c.Applicant)
}

// repeatField returns the repeatable block key of form.
func repeatField(form *Form, key string) (*Field, error) {
	fl := form.Field(key)
	if fl == nil || fl.Type != Repeat {
		return nil, guichet.Errorf(guichet.EInvalid, "Bloc inconnu.")
	}
	return fl, nil
}

// AddItem adds an empty item to the block key, unless it is full.
func (s *Service) AddItem(ctx context.Context, c *Case, form *Form, key string) error {
	fl, err := repeatField(form, key)
	if err != nil {
		return err
	}
	answers := c.Answers.Clone()
	a := answers[fl.Key]
	if fl.MaxItems == 0 || len(a.Items) < fl.MaxItems {
		a.Items = append(a.Items, Answers{})
	}
	answers[fl.Key] = a
	return s.store.SaveDraft(ctx, c, answers, c.Page, c.Applicant)
}

// RemoveItem removes item i of the block key; an i out of range removes
// nothing.
func (s *Service) RemoveItem(ctx context.Context, c *Case, form *Form, key string, i int) error {
	fl, err := repeatField(form, key)
	if err != nil {
		return err
	}
	answers := c.Answers.Clone()
	a := answers[fl.Key]
	if i >= 0 && i < len(a.Items) {
		a.Items = append(a.Items[:i], a.Items[i+1:]...)
	}
	answers[fl.Key] = a
	return s.store.SaveDraft(ctx, c, answers, c.Page, c.Applicant)
}

// RemoveFile removes a file from a field of the draft.
func (s *Service) RemoveFile(ctx context.Context, c *Case, fieldKey, fileID string) error {
	return s.store.Detach(ctx, c, fieldKey, fileID)
}

// Submit files the draft, emails its receipt to the resident and tells
// the agents. An incomplete draft returns an EInvalid error.
func (s *Service) Submit(ctx context.Context, c *Case, p *Procedure, form *Form, site Site) error {
	if err := s.store.Submit(ctx, c, p, form, Actor{ID: c.UserID, Name: c.Applicant}); err != nil {
		return err
	}
	fs, err := s.store.CaseFiles(ctx, c.TenantID, c.ID)
	if err != nil {
		return err
	}
	var names []string
	for _, f := range fs {
		names = append(names, f.Name)
	}
	deadline := DeadlineText(p, c, site.Loc)
	a, err := s.store.Application(ctx, c)
	if err != nil {
		return err
	}
	if a != nil {
		deadline = ApplicationText(a)
	}
	if err := s.tell(ctx, c, "receipt", map[string]any{"Procedure": p.Title, "Reference": c.Reference,
		"Filed": FrenchDateTime(*c.SubmittedAt, site.Loc), "Deadline": deadline,
		"Documents": names, "Link": site.URL + CasePath(c.ID), "PDF": site.URL + CasePath(c.ID) + "/recepisse.pdf"}); err != nil {
		return err
	}
	if a != nil {
		// The acknowledgement of receipt (R423-5): the registration
		// number and the day a tacit decision arises.
		if err := s.tell(ctx, c, "acknowledgement", map[string]any{"Procedure": p.Title, "Reference": c.Reference,
			"Registration": a.Registration, "Parcel": a.Dates.Parcel, "Filed": guichet.LongDate(a.Filed, c.Lang),
			"CompletenessBy": guichet.LongDate(a.Dates.CompletenessBy, c.Lang), "Ends": guichet.LongDate(a.Dates.Ends, c.Lang),
			"Decision": guichet.LongDate(a.Dates.Decision, c.Lang), "Tacit": a.Dates.Tacit,
			"Link": site.URL + CasePath(c.ID)}); err != nil {
			return err
		}
	}
	s.notifyAgents(ctx, c, p, "new_case", "", site)
	return nil
}

// Reply adds the resident's message to their case and tells its agents.
func (s *Service) Reply(ctx context.Context, c *Case, p *Procedure, body string, ups []Upload, site Site) error {
	if _, err := s.store.Reply(ctx, c, p, Actor{ID: c.UserID, Name: c.Applicant}, body, ups); err != nil {
		return err
	}
	s.notifyAgents(ctx, c, p, "message_to_agent", body, site)
	return nil
}

// TellState emails the resident their case's new state: complements
// asked, a decision, or another step.
func (s *Service) TellState(ctx context.Context, c *Case, p *Procedure, reason string, site Site) error {
	name := "state"
	data := map[string]any{"Procedure": p.Title, "Reference": c.Reference, "State": c.State.Label(), "Reason": reason,
		"Link": site.URL + CasePath(c.ID), "Decision": ""}
	switch {
	case c.State == Waiting:
		name = "complements"
	case c.State.Closed():
		name = "decision"
		if c.State != Dismissed {
			data["Decision"] = site.URL + CasePath(c.ID) + "/decision.pdf"
		}
		data["Deletion"] = FrenchDate(*c.DeleteAfter, site.Loc)
	}
	return s.tell(ctx, c, name, data)
}

// TellMessage emails the resident an agent's message on their case.
func (s *Service) TellMessage(ctx context.Context, c *Case, p *Procedure, body string, site Site) error {
	return s.tell(ctx, c, "message_to_resident", map[string]any{"Procedure": p.Title, "Reference": c.Reference,
		"Body": body, "Link": site.URL + CasePath(c.ID)})
}

// site returns the collectivité's address and time zone for emails sent
// by periodic work; without them, links are relative and dates in UTC.
func (s *Service) site(ctx context.Context, tenantID string) Site {
	url, loc, err := s.links(ctx, tenantID)
	if err != nil {
		return Site{Loc: time.UTC}
	}
	return Site{URL: url, Loc: loc}
}

// RunReminders tells instructors of their applications' coming
// deadlines.
func (s *Service) RunReminders(ctx context.Context) error {
	due, err := s.store.DueReminders(ctx)
	for _, r := range due {
		p, perr := s.store.Procedure(ctx, r.Case.TenantID, r.Case.ProcedureID)
		if perr != nil {
			return perr
		}
		s.notifyAgents(ctx, r.Case, p, "application_deadline", r.Body, s.site(ctx, r.Case.TenantID))
	}
	return err
}

// RunSilence applies "silence vaut accord / rejet" and tells residents.
func (s *Service) RunSilence(ctx context.Context) error {
	decided, err := s.store.ApplySilence(ctx)
	for _, c := range decided {
		p, perr := s.store.Procedure(ctx, c.TenantID, c.ProcedureID)
		if perr != nil {
			return perr
		}
		site := s.site(ctx, c.TenantID)
		if serr := s.tell(ctx, c, "decision", map[string]any{"Procedure": p.Title, "Reference": c.Reference,
			"State": c.State.Label(), "Reason": "Le délai d'instruction est passé sans décision explicite.",
			"Link": site.URL + CasePath(c.ID), "Decision": site.URL + CasePath(c.ID) + "/decision.pdf",
			"Deletion": FrenchDate(*c.DeleteAfter, site.Loc)}); serr != nil {
			return serr
		}
	}
	return err
}

// RunRetention warns residents before their closed cases are deleted,
// then deletes the cases past their date with their files.
func (s *Service) RunRetention(ctx context.Context) error {
	warned, err := s.store.DueForWarning(ctx)
	for _, c := range warned {
		p, perr := s.store.Procedure(ctx, c.TenantID, c.ProcedureID)
		if perr != nil {
			return perr
		}
		site := s.site(ctx, c.TenantID)
		if serr := s.tell(ctx, c, "retention", map[string]any{"Procedure": p.Title, "Reference": c.Reference,
			"Deletion": FrenchDate(*c.DeleteAfter, site.Loc), "Link": site.URL + CasePath(c.ID)}); serr != nil {
			return serr
		}
	}
	if err != nil {
		return err
	}
	_, err = s.store.Purge(ctx)
	return err
}

// tell queues the template "procedure/<name>" to the case's resident, in
// their language; a case without address is told nothing.
func (s *Service) tell(ctx context.Context, c *Case, name string, data map[string]any) error {
	if c.Email == "" {
		return nil
	}
	data["Name"] = c.Applicant
	return s.mail.Enqueue(ctx, mail.Message{TenantID: c.TenantID, To: c.Email, Template: "procedure/" + name,
		Lang: c.Lang, Data: data})
}

// agentsOf returns the addresses to tell about a case: its agent, or
// every agent of the procedure's service when no one has it yet.
func (s *Service) agentsOf(ctx context.Context, c *Case, p *Procedure) ([]string, error) {
	members, err := s.staff.List(ctx, c.TenantID)
	if err != nil {
		return nil, err
	}
	var to []string
	for _, mb := range members {
		if c.AssigneeID != "" {
			if mb.UserID == c.AssigneeID {
				to = append(to, mb.Email)
			}
			continue
		}
		if (mb.Has(account.RoleAgent) || mb.Has(account.RoleAdmin)) && (p.Service == "" || len(mb.Services) == 0 || slices.Contains(mb.Services, p.Service)) {
			to = append(to, mb.Email)
		}
	}
	return to, nil
}

// notifyAgents emails the case's agents; a failure is logged, as the
// resident's action itself succeeded.
func (s *Service) notifyAgents(ctx context.Context, c *Case, p *Procedure, name, body string, site Site) {
	to, err := s.agentsOf(ctx, c, p)
	if err != nil {
		s.log.ErrorContext(ctx, "procedure: agents to notify", "err", err)
		return
	}
	link := site.URL + InboxPath + "/" + c.ID
	for _, addr := range to {
		err := s.mail.Enqueue(ctx, mail.Message{TenantID: c.TenantID, To: addr, Template: "procedure/" + name, Lang: "fr",
			Data: map[string]any{"Reference": c.Reference, "Procedure": p.Title, "Applicant": c.Applicant, "Body": body, "Link": link}})
		if err != nil {
			s.log.ErrorContext(ctx, "procedure: notify agent", "err", err)
		}
	}
}
