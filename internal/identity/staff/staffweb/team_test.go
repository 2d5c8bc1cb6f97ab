package staffweb_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"guichet/internal/identity/account"
	"guichet/internal/identity/staff"
)

func TestInvitationFlow(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		admin := e.person(e.town, "admin@montclair.localhost", grant(account.RoleAdmin))
		b := e.browser(e.town).signIn(e.town, admin, true)

		want(t, b.get("/gestion/equipe/inviter"), 200, `name="roles"`, `name="services"`, `name="title"`)
		want(t, b.post("/gestion/equipe/inviter", url.Values{"email": {"urbanisme@montclair.localhost"},
			"name": {"Service urbanisme"}, "roles": {"agent"}}), 422, `href="#champ-services"`, "Erreur")
		want(t, b.post("/gestion/equipe/inviter", url.Values{"email": {"urbanisme@montclair.localhost"},
			"name": {"Service urbanisme"}, "roles": {"agent"}, "services": {"urbanisme"}}), 303)

		m := e.mail.last(t)
		if m.To != "urbanisme@montclair.localhost" || m.Template != "backoffice/invitation" || m.TenantID != e.town.ID {
			t.Fatalf("mail = %+v", m)
		}
		link, _ := m.Data["Link"].(string)
		_, token, ok := strings.Cut(link, "/invitation/")
		if !ok || !strings.HasPrefix(link, "http://montclair.localhost") {
			t.Fatalf("invitation link %q", link)
		}
		want(t, b.get("/gestion/equipe"), 200, "urbanisme@montclair.localhost", "Invitations en attente")

		// The invitee, signed out, sets a password meeting the rules.
		invitee := e.browser(e.town)
		want(t, invitee.get("/invitation/"+token), 200, `autocomplete="new-password"`, `value="Service urbanisme"`)
		want(t, invitee.post("/invitation/"+token, url.Values{"name": {"Service urbanisme"}, "password": {"court"}}), 422,
			`href="#champ-password"`)
		// Long enough, but built on the name, a common word and a year.
		want(t, invitee.post("/invitation/"+token, url.Values{"name": {"Service urbanisme"}, "password": {"Service-Mairie-2026"}}), 422,
			`href="#champ-password"`, "Choisissez plutôt une phrase de passe plus longue")
		r := invitee.post("/invitation/"+token, url.Values{"name": {"Service urbanisme"}, "password": {password}})
		want(t, r, 303)
		if r.location != account.SecondFactorPath {
			t.Fatalf("after accepting: %q", r.location)
		}
		// Signed in, the new agent must first enrol a second factor.
		want(t, invitee.get("/gestion"), 303)
		want(t, invitee.get(account.SecondFactorPath), 200, "data:image/png;base64,")
		// The link works once.
		want(t, e.browser(e.town).get("/invitation/"+token), 404)
		want(t, e.browser(e.town).post("/invitation/"+token, url.Values{"password": {password}}), 404)

		u, err := e.accounts.ByEmail(ctx, e.town.ID, "urbanisme@montclair.localhost")
		if err != nil || !u.Verified() {
			t.Fatalf("invitee account = %+v, %v", u, err)
		}
		info, _ := e.staff.StaffOf(ctx, e.town.ID, u.ID)
		if info == nil || !slices.Equal(info.Services, []string{"urbanisme"}) {
			t.Fatalf("invitee roles = %+v", info)
		}
		if _, err := e.accounts.Authenticate(ctx, e.town.ID, u.Email, password); err != nil {
			t.Fatalf("invitee cannot sign in with the chosen password: %v", err)
		}
	})
}

func TestRoleChecks(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		people := map[string]*account.User{
			"admin":    e.person(e.town, "admin@montclair.localhost", grant(account.RoleAdmin)),
			"editor":   e.person(e.town, "communication@montclair.localhost", grant(account.RoleEditor)),
			"agent":    e.person(e.town, "etat-civil@montclair.localhost", staff.Grant{Roles: []account.Role{account.RoleAgent}, Services: []string{"etat-civil"}}),
			"resident": e.person(e.town, "habitant@courriel.localhost", staff.Grant{}),
		}
		rows := []struct {
			who, method, path string
			status            int
			contains          string
		}{
			{"", "GET", "/gestion", 303, ""},
			{"resident", "GET", "/gestion", 403, ""},
			{"editor", "GET", "/gestion", 200, "Rédacteur"},
			{"editor", "GET", "/gestion/equipe", 403, ""},
			{"editor", "GET", "/gestion/journal", 403, ""},
			{"editor", "POST", "/gestion/equipe/inviter", 403, ""},
			{"agent", "GET", "/gestion", 200, "État civil"},
			{"agent", "GET", "/gestion/equipe", 403, ""},
			{"admin", "GET", "/gestion", 200, `href="/gestion/equipe"`},
			{"admin", "GET", "/gestion/equipe", 200, "communication@montclair.localhost"},
			{"admin", "GET", "/gestion/journal", 200, "Aucune action enregistrée"},
		}
		for _, row := range rows {
			b := e.browser(e.town)
			if row.who != "" {
				b.signIn(e.town, people[row.who], true)
			}
			r := b.do(row.method, row.path, url.Values{})
			if r.status != row.status || !strings.Contains(r.body, row.contains) {
				t.Errorf("%s %s %s: status %d, want %d (containing %q)", row.who, row.method, row.path, r.status, row.status, row.contains)
			}
		}
		// The agent's identity carries its services.
		info, _ := e.staff.StaffOf(context.Background(), e.town.ID, people["agent"].ID)
		if !slices.Equal(info.Services, []string{"etat-civil"}) {
			t.Fatalf("agent services = %v", info.Services)
		}
		// The editor's page lists no administrator section.
		r := e.browser(e.town).signIn(e.town, people["editor"], true).get("/gestion")
		if strings.Contains(r.body, `href="/gestion/equipe"`) {
			t.Fatal("an editor sees the team section")
		}
	})
}

func TestTeamManagementAndAudit(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		admin := e.person(e.town, "admin@montclair.localhost", grant(account.RoleAdmin))
		editor := e.person(e.town, "elue@montclair.localhost", grant(account.RoleEditor))
		b := e.browser(e.town).signIn(e.town, admin, true)
		eb := e.browser(e.town).signIn(e.town, editor, true)

		want(t, b.get("/gestion/equipe/"+editor.ID), 200, `value="editor" checked`)
		want(t, b.post("/gestion/equipe/"+editor.ID, url.Values{"roles": {"editor", "moderator"},
			"title": {"Adjointe à la communication"}}), 303)
		info, _ := e.staff.StaffOf(ctx, e.town.ID, editor.ID)
		if info.Title != "Adjointe à la communication" || !slices.Contains(info.Roles, account.RoleModerator) {
			t.Fatalf("after update: %+v", info)
		}
		// The last administrator cannot lose the role.
		want(t, b.post("/gestion/equipe/"+admin.ID, url.Values{"roles": {"editor"}}), 409, "administrateur")
		want(t, b.post("/gestion/equipe/"+admin.ID+"/retirer", nil), 409)
		// Resetting the second factor signs the member out.
		want(t, b.post("/gestion/equipe/"+editor.ID+"/deuxieme-facteur", nil), 303)
		want(t, eb.get("/gestion"), 303)
		if ok, _ := e.staff.Enrolled(ctx, e.town.ID, editor.ID); ok {
			t.Fatal("second factor not reset")
		}
		want(t, b.post("/gestion/equipe/reglages", url.Values{"second_factor_optional": {"1"}}), 303)
		want(t, b.post("/gestion/equipe/"+editor.ID+"/retirer", nil), 303)
		if info, _ := e.staff.StaffOf(ctx, e.town.ID, editor.ID); info != nil {
			t.Fatal("removed member still staff")
		}

		r := b.get("/gestion/journal")
		want(t, r, 200, "Rôles modifiés", "Double authentification réinitialisée", "Retrait de l&#39;équipe",
			"Règles de sécurité modifiées", "admin@montclair.localhost", "127.0.0.1", "elue@montclair.localhost")

		// Keyset pages: 60 entries make two pages, the second reached by ?avant=.
		actx := account.NewContext(ctx, &account.Identity{TenantID: e.town.ID, UserID: admin.ID, Email: admin.Email})
		for range 60 {
			if err := e.staff.Record(actx, "test.bulk", "x"); err != nil {
				t.Fatal(err)
			}
		}
		r = b.get("/gestion/journal")
		i := strings.Index(r.body, "/gestion/journal?avant=")
		if i < 0 {
			t.Fatal("no link to older entries")
		}
		next := r.body[i : i+strings.IndexByte(r.body[i:], '"')]
		want(t, b.get(next), 200, "Rôles modifiés", "Revenir aux plus récentes")
	})
}

func TestBackofficeIsolation(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		townAdmin := e.person(e.town, "admin@montclair.localhost", grant(account.RoleAdmin))
		townEditor := e.person(e.town, "communication@montclair.localhost", grant(account.RoleEditor))
		villageAdmin := e.person(e.village, "mairie@sauvigny.localhost", grant(account.RoleAdmin))
		// The same address on the village is a different account, with no role there.
		sameEmail := e.person(e.village, "admin@montclair.localhost", staff.Grant{})

		tb := e.browser(e.town).signIn(e.town, townAdmin, true)
		want(t, tb.post("/gestion/equipe/"+townEditor.ID, url.Values{"roles": {"editor"}, "title": {"Maire"}}), 303)
		_, token, err := e.staff.Invite(ctx, e.town.ID, "nouveau@montclair.localhost", "Nouvel Agent",
			staff.Grant{Roles: []account.Role{account.RoleEditor}}, townAdmin.ID)
		if err != nil {
			t.Fatal(err)
		}

		// The town's session cookie means nothing on the village's host.
		stolen := &browser{e: e, host: "sauvigny.localhost", cookie: tb.cookie}
		want(t, stolen.get("/gestion"), 303)
		want(t, stolen.get("/gestion/equipe"), 303)
		if info, _ := e.staff.StaffOf(ctx, e.village.ID, townAdmin.ID); info != nil {
			t.Fatal("town admin has roles on the village")
		}
		if info, _ := e.staff.StaffOf(ctx, e.village.ID, sameEmail.ID); info != nil {
			t.Fatal("an account with the same address on the village got roles")
		}

		vb := e.browser(e.village).signIn(e.village, villageAdmin, true)
		r := vb.get("/gestion/equipe")
		want(t, r, 200, "mairie@sauvigny.localhost")
		if strings.Contains(r.body, "communication@montclair.localhost") {
			t.Fatal("village admin sees the town's staff")
		}
		want(t, vb.get("/gestion/equipe/"+townEditor.ID), 404)
		want(t, vb.post("/gestion/equipe/"+townEditor.ID, url.Values{"roles": {"admin"}}), 404)
		want(t, vb.post("/gestion/equipe/"+townEditor.ID+"/retirer", nil), 404)
		want(t, vb.post("/gestion/equipe/"+townEditor.ID+"/deuxieme-facteur", nil), 404)
		pending, _ := e.staff.Pending(ctx, e.town.ID)
		want(t, vb.post("/gestion/equipe/invitations/"+pending[0].ID+"/annuler", nil), 404)
		want(t, vb.get("/invitation/"+token), 404)
		r = vb.get("/gestion/journal")
		want(t, r, 200)
		if strings.Contains(r.body, "montclair.localhost") {
			t.Fatal("village admin reads the town's audit log")
		}
		if info, _ := e.staff.StaffOf(ctx, e.town.ID, townEditor.ID); info == nil || info.Title != "Maire" || len(info.Roles) != 1 {
			t.Fatalf("town editor changed from the village: %+v", info)
		}
		if p, _ := e.staff.Pending(ctx, e.town.ID); len(p) != 1 {
			t.Fatal("town invitation cancelled from the village")
		}
	})
}
