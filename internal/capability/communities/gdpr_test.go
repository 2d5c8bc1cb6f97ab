package communities_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"guichet/internal/capability/communities"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

// TestExportEraseAndRetention: a resident's export holds their
// memberships, choices, digests, animations and announcements; erasing
// them leaves none of it but the announcements, no longer theirs; a
// digest's record goes after DigestLogDays, not a day before.
func TestExportEraseAndRetention(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		c := e.community("Jardins partagés de la Gare", communities.Association, "")
		u := e.resident("jardiniere@courriel.localhost")
		other := e.resident("voisin@courriel.localhost")
		e.join(c, u)
		e.join(c, other)
		if _, err := e.s.NameAnimator(e.ctx, e.town.ID, c.ID, u.Email); err != nil {
			t.Fatal(err)
		}
		e.advance(time.Minute)
		p := &communities.Post{TenantID: e.town.ID, CommunityID: c.ID, Title: "Bourse aux graines", Body: "Apportez vos graines.", AuthorID: u.ID}
		if err := e.s.AddPost(e.ctx, p); err != nil {
			t.Fatal(err)
		}
		e.advance(7 * 24 * time.Hour)
		if got := e.digests(); len(got) != 2 {
			t.Fatalf("%d digests", len(got))
		}
		person := account.Person{TenantID: e.town.ID, UserID: u.ID, Email: u.Email}
		out, err := e.s.Export(e.ctx, person)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(out)
		for _, want := range []string{`"community":"Jardins partagés de la Gare"`, `"notifications":"digest"`, `"frequency":"weekly"`,
			`"digests_sent":[{"period":"2026-W12"`, `"animates":[{"community"`, `"title":"Bourse aux graines"`} {
			if !strings.Contains(string(raw), want) {
				t.Errorf("export lacks %s: %s", want, raw)
			}
		}
		if err := e.s.Erase(e.ctx, person); err != nil {
			t.Fatal(err)
		}
		for _, table := range []string{"communities_members", "communities_animators", "communities_settings", "communities_digests"} {
			var n int
			if err := d.QueryRow(e.ctx, `SELECT COUNT(*) FROM `+table+` WHERE user_id = ?`, u.ID).Scan(&n); err != nil || n != 0 {
				t.Errorf("%s keeps %d rows of the erased resident (%v)", table, n, err)
			}
		}
		var author *string
		if err := d.QueryRow(e.ctx, `SELECT author_id FROM communities_posts WHERE id = ?`, p.ID).Scan(&author); err != nil || author != nil {
			t.Errorf("the announcement still names its author: %v, %v", author, err)
		}
		if got, _ := e.s.BySlug(e.ctx, e.town.ID, c.Slug); got.Members != 1 {
			t.Errorf("%d members after the erasure", got.Members)
		}
		// The other resident's digest record lives DigestLogDays.
		e.advance(communities.DigestLogDays*24*time.Hour - time.Minute)
		if n, err := e.s.PurgeDigestLog(e.ctx); err != nil || n != 0 {
			t.Errorf("purged %d records a minute early (%v)", n, err)
		}
		e.advance(2 * time.Minute)
		if n, err := e.s.PurgeDigestLog(e.ctx); err != nil || n != 1 {
			t.Errorf("purged %d records at the end of their period (%v)", n, err)
		}
	})
}
