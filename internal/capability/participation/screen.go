package participation

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"guichet"
	"regexp"
	"strings"
	"time"
	"unicode"

	"guichet/internal/kernel/db"
)

// HoldAt is the spam score from which a message waits for a moderator
// instead of showing at once.
const HoldAt = 3

// Burst is how many messages an author may write within BurstWindow
// before each further one scores as a flood.
const (
	Burst       = 5
	BurstWindow = 10 * time.Minute
)

// linkPattern finds web addresses and bare domains as spammers write them.
var linkPattern = regexp.MustCompile(`(?i)\b(?:https?://|www\.)\S+|\b[a-z0-9-]+\.(?:com|net|org|info|biz|ru|xyz|top|fr|io)(?:/\S*)?\b`)

// Links counts the web addresses in body.
func Links(body string) int { return len(linkPattern.FindAllStringIndex(body, -1)) }

// Verdict is the screen's judgement of a message before it is written.
type Verdict struct {
	Score int
	// State is Visible or Pending.
	State string
	// Why names what scored, for the moderators' queue.
	Why []string
}

// Signals are what the screen reads of a message and its author.
type Signals struct {
	Body string
	// Repeats is how many messages of the author's last day have the
	// same text; Recent how many they wrote within BurstWindow.
	Repeats, Recent int
	NewAccount      bool
	Premoderated    bool
}

// Judge scores a message: its text written again, its links (worth more
// from a new account), a new account, a flood of messages, and a text in
// capitals. A space that
// premoderates new accounts holds theirs whatever the score.
func Judge(sig Signals) Verdict {
	var v Verdict
	add := func(points int, why string) {
		v.Score += points
		v.Why = append(v.Why, why)
	}
	if sig.Repeats > 0 {
		add(3, "répétition")
	}
	switch n := Links(sig.Body); {
	case n > 2:
		add(3, "liens")
	case n > 0 && sig.NewAccount:
		add(2, "lien d'un compte récent") // the spammer's usual first message
	case n > 0:
		add(1, "lien")
	}
	if sig.NewAccount {
		add(1, "compte récent")
	}
	if sig.Recent >= Burst {
		add(2, "rafale")
	}
	if shouting(sig.Body) {
		add(1, "majuscules")
	}
	v.State = Visible
	if v.Score >= HoldAt || (sig.Premoderated && sig.NewAccount) {
		v.State = Pending
	}
	return v
}

// shouting reports whether a text of some length is mostly capitals.
func shouting(body string) bool {
	var upper, letters int
	for _, r := range body {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	return letters >= 20 && upper*10 >= letters*8
}

// bodyHash is the fingerprint of a text for the repetition count: case,
// spaces and punctuation do not change it.
func bodyHash(body string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(body) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:16])
}

// screen judges what a writes in sp, inside tx: a blocked author is
// refused, a link where the space allows none is a field error, staff
// pass as they are.
func (s *Store) screen(ctx context.Context, tx *db.Tx, tenantID string, sp *Space, a Author, body, hash string) (Verdict, error) {
	if a.Staff {
		return Verdict{State: Visible}, nil
	}
	now := s.now()
	var blocked int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM participation_blocks WHERE tenant_id = ? AND user_id = ? AND until > ?`,
		tenantID, a.ID, now).Scan(&blocked); err != nil {
		return Verdict{}, fmt.Errorf("participation: screen: %w", err)
	}
	if blocked > 0 {
		return Verdict{}, ErrBlocked
	}
	if !sp.Rules.LinksAllowed && Links(body) > 0 {
		return Verdict{}, guichet.Invalid(map[string]string{"body": "Les adresses de sites ne sont pas permises dans cet espace : retirez-les de votre message."})
	}
	sig := Signals{Body: body, NewAccount: now.Sub(a.Since) < NewAccount, Premoderated: sp.Rules.PremoderateNew}
	err := tx.QueryRow(ctx, `SELECT
		COALESCE(SUM(CASE WHEN body_hash = ? AND created_at > ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN created_at > ? THEN 1 ELSE 0 END), 0)
		FROM participation_messages WHERE tenant_id = ? AND author_id = ? AND created_at > ?`,
		hash, now.Add(-24*time.Hour), now.Add(-BurstWindow), tenantID, a.ID, now.Add(-24*time.Hour)).Scan(&sig.Repeats, &sig.Recent)
	if err != nil {
		return Verdict{}, fmt.Errorf("participation: screen: %w", err)
	}
	return Judge(sig), nil
}
