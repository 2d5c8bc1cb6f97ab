package council

import (
	"context"
	"fmt"
	"strings"
	"time"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/pdf"
)

// DraftMinutes writes the procès-verbal of a held session from what it
// recorded (L2121-15): date, president, members present and represented,
// secretary, quorum, agenda, each deliberation with its vote, and the
// substance of the discussions; the secretary completes it.
func (s *Store) DraftMinutes(ctx context.Context, tenantID, sessionID string, loc *time.Location) (string, error) {
	x, err := s.Session(ctx, tenantID, sessionID)
	if err != nil {
		return "", err
	}
	if !x.Held {
		return "", guichet.Errorf(guichet.EConflict, "Enregistrez les présences de la séance avant d'en rédiger le procès-verbal.")
	}
	members, err := s.MembersOn(ctx, tenantID, x.Day(loc))
	if err != nil {
		return "", err
	}
	acts, _, err := s.Acts(ctx, tenantID, ActFilter{SessionID: sessionID, Kind: Deliberation, Limit: 500})
	if err != nil {
		return "", err
	}
	byID := map[string]*Member{}
	for _, m := range members {
		byID[m.ID] = m
	}
	name := func(id string) string {
		if m := byID[id]; m != nil {
			return m.Name
		}
		return "—"
	}
	var present, represented, excused, absent []string
	for _, m := range members {
		switch a := x.Attendance[m.ID]; a.Status {
		case Present:
			present = append(present, m.Name)
		case Represented:
			represented = append(represented, m.Name+" (pouvoir à "+name(a.ProxyID)+")")
		case Excused:
			excused = append(excused, m.Name)
		default:
			absent = append(absent, m.Name)
		}
	}
	q := QuorumOf(x, len(members))
	var b strings.Builder
	start := x.StartsAt.In(loc)
	fmt.Fprintf(&b, "Séance %s du %s à %s, %s.\n\n", x.Kind, guichet.LongDate(start, "fr"), start.Format("15h04"), x.Place)
	fmt.Fprintf(&b, "**Présidence :** %s. **Secrétaire de séance :** %s.\n\n", name(x.PresidentID), name(x.SecretaryID))
	fmt.Fprintf(&b, "**Membres en exercice :** %d. **Présents :** %d. **Représentés :** %d.\n\n", q.InOffice, q.Present, q.Represented)
	list := func(label string, names []string) {
		if len(names) > 0 {
			fmt.Fprintf(&b, "**%s :** %s.\n\n", label, strings.Join(names, ", "))
		}
	}
	list("Présents", present)
	list("Représentés", represented)
	list("Excusés", excused)
	list("Absents", absent)
	switch {
	case q.SecondCall:
		b.WriteString("Le conseil, convoqué une seconde fois faute de quorum, délibère valablement quel que soit le nombre de présents (article L2121-17 du CGCT).\n\n")
	case q.Reached:
		fmt.Fprintf(&b, "Le quorum (%d) étant atteint, le conseil peut valablement délibérer.\n\n", q.Needed)
	default:
		fmt.Fprintf(&b, "Le quorum (%d) n'étant pas atteint, le conseil ne peut pas délibérer et sera convoqué de nouveau.\n\n", q.Needed)
	}
	b.WriteString("## Ordre du jour\n\n")
	for _, it := range x.Items {
		fmt.Fprintf(&b, "### %d. %s\n\n", it.Position, it.Title)
		if it.Rapporteur != "" {
			fmt.Fprintf(&b, "Rapporteur : %s.\n\n", it.Rapporteur)
		}
		if d := strings.TrimSpace(it.Discussion); d != "" {
			b.WriteString(d + "\n\n")
		}
		for _, a := range acts {
			if a.ItemID != it.ID || a.Vote == nil {
				continue
			}
			outcome := "adoptée"
			if a.Outcome == Rejected {
				outcome = "rejetée"
			}
			fmt.Fprintf(&b, "Délibération n° %s, %s : %d votants, %d pour, %d contre, %d abstentions.\n\n",
				a.Number, outcome, a.Vote.Voters, a.Vote.For, a.Vote.Against, a.Vote.Abstentions)
		}
	}
	return b.String(), nil
}

// SaveMinutes keeps the secretary's text of the minutes as a draft; an
// approved text goes back to draft when changed.
func (s *Store) SaveMinutes(ctx context.Context, tenantID, sessionID, text string) error {
	text = strings.TrimSpace(text)
	if text == "" || len([]rune(text)) > 200000 {
		return guichet.Invalid(map[string]string{"minutes": "Écrivez le procès-verbal (200 000 caractères au plus)."})
	}
	n, err := db.Affected(ctx, s.DB(), `UPDATE council_sessions SET minutes_text = ?, minutes_state = ?, minutes_approved_in = '',
		minutes_approved_on = '', updated_at = ? WHERE tenant_id = ? AND id = ? AND minutes_published_at IS NULL`,
		text, Draft, s.Stamp(), tenantID, sessionID)
	if err == nil && n == 0 {
		return s.whyMinutesFrozen(ctx, tenantID, sessionID)
	}
	return wrap("save minutes", err)
}

func (s *Store) whyMinutesFrozen(ctx context.Context, tenantID, sessionID string) error {
	x, err := s.Session(ctx, tenantID, sessionID)
	if err != nil {
		return err
	}
	if x.Minutes.PublishedAt != nil {
		return ErrMinutesPublished
	}
	return guichet.Errorf(guichet.EConflict, "Le procès-verbal n'est pas dans l'état attendu.")
}

// ApproveMinutes records that the minutes of sessionID were approved at
// the later session approvedIn (L2121-15: at the next session); the
// week to publish them starts that day.
func (s *Store) ApproveMinutes(ctx context.Context, tenantID, sessionID, approvedIn string, loc *time.Location) error {
	x, err := s.Session(ctx, tenantID, sessionID)
	if err != nil {
		return err
	}
	if x.Minutes.State != Draft {
		return guichet.Errorf(guichet.EConflict, "Rédigez le procès-verbal avant de le faire approuver.")
	}
	by, err := s.Session(ctx, tenantID, approvedIn)
	if err != nil || !by.StartsAt.After(x.StartsAt) || !by.Held {
		return guichet.Invalid(map[string]string{"approved_in": "Choisissez une séance tenue après celle-ci."})
	}
	n, err := db.Affected(ctx, s.DB(), `UPDATE council_sessions SET minutes_state = ?, minutes_approved_in = ?, minutes_approved_on = ?,
		updated_at = ? WHERE tenant_id = ? AND id = ? AND minutes_state = ? AND minutes_published_at IS NULL`,
		Approved, by.ID, by.Day(loc), s.Stamp(), tenantID, sessionID, Draft)
	if err == nil && n == 0 {
		return s.whyMinutesFrozen(ctx, tenantID, sessionID)
	}
	s.Changed(ctx, tenantID)
	return wrap("approve minutes", err)
}

// PublishMinutes publishes approved minutes as a PDF, whose SHA-256 the
// session's page shows; they never change after.
func (s *Store) PublishMinutes(ctx context.Context, tenantID, sessionID string, loc *time.Location) error {
	x, err := s.Session(ctx, tenantID, sessionID)
	if err != nil {
		return err
	}
	if x.Minutes.PublishedAt != nil {
		return ErrMinutesPublished
	}
	if x.Minutes.State != Approved {
		return guichet.Errorf(guichet.EConflict, "Le procès-verbal se publie une fois approuvé.")
	}
	title := "Procès-verbal de la séance du " + guichet.Date(x.StartsAt.In(loc), "fr")
	f, err := s.renderedFile(ctx, tenantID, "proces-verbal-"+x.Day(loc)+".pdf", func(d *pdf.Doc) { writeMinutes(d, title, x.Minutes.Text) })
	if err != nil {
		return err
	}
	now := s.Stamp()
	n, err := db.Affected(ctx, s.DB(), `UPDATE council_sessions SET minutes_state = ?, minutes_file_id = ?, minutes_published_at = ?,
		updated_at = ? WHERE tenant_id = ? AND id = ? AND minutes_state = ? AND minutes_published_at IS NULL`,
		Published, f.ID, now, now, tenantID, sessionID, Approved)
	if err == nil && n == 0 {
		return s.whyMinutesFrozen(ctx, tenantID, sessionID)
	}
	s.Changed(ctx, tenantID)
	return wrap("publish minutes", err)
}

// PublishList puts the list of the deliberations a session examined
// online (L2121-25); the session's page shows it from then on.
func (s *Store) PublishList(ctx context.Context, tenantID, sessionID string) error {
	x, err := s.Session(ctx, tenantID, sessionID)
	if err != nil {
		return err
	}
	if !x.Held {
		return guichet.Errorf(guichet.EConflict, "Enregistrez les présences de la séance avant d'en publier la liste des délibérations.")
	}
	if x.ListPublishedAt != nil {
		return nil
	}
	_, err = s.DB().Exec(ctx, `UPDATE council_sessions SET list_published_at = ?, updated_at = ? WHERE tenant_id = ? AND id = ?
		AND list_published_at IS NULL`, s.Stamp(), s.Stamp(), tenantID, sessionID)
	s.Changed(ctx, tenantID)
	return wrap("publish list", err)
}
