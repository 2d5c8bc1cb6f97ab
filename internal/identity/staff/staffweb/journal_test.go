package staffweb_test

import (
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
)

// The administrator's journal says the chain is intact, then where it
// broke once a row is changed; both exports carry the hashes and are
// themselves audited; an operator gets the platform's log the same way.
func TestJournalVerifiesAndExports(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		admin := e.person(e.town, "admin@montclair.localhost", grant(account.RoleAdmin))
		editor := e.person(e.town, "communication@montclair.localhost", grant(account.RoleEditor))
		b := e.browser(e.town).signIn(e.town, admin, true)
		actx := account.NewContext(ctx, &account.Identity{TenantID: e.town.ID, UserID: admin.ID, Email: admin.Email})
		for _, target := range []string{"dossier-1", "=1+1", "dossier-3"} {
			if err := e.staff.Record(actx, "procedure.case_viewed", target); err != nil {
				t.Fatal(err)
			}
		}
		want(t, b.get("/gestion/journal"), 200, "Journal intact", "Entrées conservées vérifiées : 3.", "Dossier consulté",
			`href="/gestion/journal/export.csv"`, `href="/gestion/journal/export.jsonl"`)

		r := b.get("/gestion/journal/export.csv")
		want(t, r, 200)
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Fatalf("CSV export served as %q", ct)
		}
		rows, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
		if err != nil || len(rows) != 5 || rows[0][len(rows[0])-2] != "hash" || rows[2][7] != "'=1+1" || len(rows[3][11]) != 64 {
			t.Fatalf("CSV export: %v\n%s", err, r.body)
		}
		r = b.get("/gestion/journal/export.jsonl")
		want(t, r, 200, `"action":"procedure.case_viewed"`, `"mac":"`)
		if lines := strings.Count(r.body, "\n"); lines != 5 { // three entries, the CSV download, this download
			t.Fatalf("JSON Lines export has %d lines:\n%s", lines, r.body)
		}
		want(t, b.get("/gestion/journal"), 200, "Journal téléchargé", "Entrées conservées vérifiées : 5.")

		// A change to an entry the last full verification vouched for shows
		// once the whole log is verified again (nightly, or on demand).
		if _, err := e.d.Exec(ctx, `UPDATE audit_log SET target = 'dossier-2' WHERE tenant_id = ? AND seq = 2`, e.town.ID); err != nil {
			t.Fatal(err)
		}
		want(t, b.get("/gestion/journal"), 200, "Journal intact", "Dernière vérification complète")
		want(t, b.post("/gestion/journal/verification", nil), 303)
		want(t, b.get("/gestion/journal"), 200, "Journal altéré", "À l&#39;entrée n° 2 du", "un champ a été modifié")
		if st, _ := e.staff.VerifyChain(ctx, e.town.ID); st.Break == nil || st.Break.Reason != staff.BreakChanged {
			t.Fatalf("verification: %+v", st)
		}

		eb := e.browser(e.town).signIn(e.town, editor, true)
		for _, p := range []string{"/gestion/journal", "/gestion/journal/export.csv", "/gestion/journal/export.jsonl"} {
			want(t, eb.get(p), 403)
		}
		want(t, eb.post("/gestion/journal/verification", nil), 403)

		op := e.person(e.platform, "exploitation@guichet.localhost", grant(account.RoleOperator))
		ob := e.browser(e.platform).signIn(e.platform, op, true)
		want(t, ob.get("/gestion/journal"), 200, "Journal intact")
		want(t, ob.post("/gestion/journal/verification", nil), 303)
		want(t, ob.get("/gestion/journal/export.jsonl"), 200, `"tenant_id":"platform"`)
		want(t, ob.get("/gestion"), 200, `href="/gestion/journal"`)
	})
}
