package app_test

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"testing"

	"guichet/internal/apptest"
	"guichet/internal/capability/procedure"
	"guichet/internal/kernel/files"
	"guichet/internal/kernel/tenant"
)

// Rows of the procedures domain: cases, their files and letters, the
// agents' actions, procedures and their builder.
func init() {
	isolationRows = append(isolationRows,
		isolationRow{name: "agent page of a town case", as: "village-admin", method: "GET",
			target: townCase("/gestion/dossiers/", ""), want: http.StatusNotFound},
		isolationRow{name: "decide a town case", as: "village-admin", method: "POST",
			form: url.Values{"state": {"refuse"}, "reason": {"intrusion"}}, target: townCase("/gestion/dossiers/", "/etat"),
			want: http.StatusNotFound, unchanged: townCasesIntact},
		isolationRow{name: "write on a town case", as: "village-admin", method: "POST",
			form: url.Values{"body": {"intrusion"}}, target: townCase("/gestion/dossiers/", "/messages"),
			want: http.StatusNotFound, unchanged: townCasesIntact},
		isolationRow{name: "label a town case in bulk", as: "village-admin", method: "POST",
			form: url.Values{"bulk": {"label"}, "label": {"intrusion"}}, target: townCaseBulk,
			want: http.StatusUnprocessableEntity, unchanged: townCasesIntact},
		isolationRow{name: "decide a town case by the API", as: "village-admin", method: "POST",
			target: townCase("/api/v1/gestion/dossiers/", "/etat"), want: http.StatusNotFound, unchanged: townCasesIntact},
		isolationRow{name: "village inbox", as: "village-admin", method: "GET",
			target: townCase("/gestion/dossiers?q=", "-"), want: http.StatusOK},
		isolationRow{name: "town session on a town case's page", as: "town-session", method: "GET",
			target: townCase("/dossiers/", ""), want: http.StatusNotFound},
		isolationRow{name: "town session on a town case's receipt", as: "town-session", method: "GET",
			target: townCase("/dossiers/", "/recepisse.pdf"), want: http.StatusNotFound},
		isolationRow{name: "town session on a town case's file", as: "town-session", method: "GET",
			target: townCaseFile, want: http.StatusNotFound},
		isolationRow{name: "town session on the case API", as: "town-session", method: "GET",
			target: townCase("/api/v1/dossiers/", ""), want: http.StatusUnauthorized},
		isolationRow{name: "open a town case's access link", as: "anonymous", method: "GET",
			target: townCaseLink, want: http.StatusUnprocessableEntity, unchanged: townCaseLinkUnproven},
		isolationRow{name: "prove a town case's address", as: "anonymous", method: "POST",
			target: townCaseLink, want: http.StatusUnprocessableEntity, unchanged: townCaseLinkUnproven},
		isolationRow{name: "anonymous filing of a town draft", as: "anonymous", method: "POST",
			target: townCase("/dossiers/", "/deposer"), want: http.StatusNotFound, unchanged: townCasesIntact},
		isolationRow{name: "town procedure on the village's site", as: "anonymous", method: "GET",
			target: path("/demarches/inscription-scolaire", "Inscription scolaire"), want: http.StatusNotFound},
		isolationRow{name: "town procedure in the village's builder", as: "village-admin", method: "GET",
			target: townProcedure(""), want: http.StatusNotFound},
		isolationRow{name: "publish a town procedure", as: "village-admin", method: "POST",
			target: townProcedure("/publier"), want: http.StatusNotFound},
		isolationRow{name: "export a town procedure's cases", as: "village-admin", method: "GET",
			target: townExport, want: http.StatusNotFound},
		isolationRow{name: "a town field's edit page", as: "village-admin", method: "GET",
			target: townProcedure("/champs/nom"), want: http.StatusNotFound},
		isolationRow{name: "edit a town field", as: "village-admin", method: "POST",
			form: url.Values{"label": {"intrusion"}}, target: townProcedure("/champs/nom"),
			want: http.StatusNotFound, unchanged: townDraftIntact},
		isolationRow{name: "move a town field", as: "village-admin", method: "POST",
			form: url.Values{"key": {"prenom"}, "direction": {"haut"}}, target: townProcedure("/champs/deplacer"),
			want: http.StatusNotFound, unchanged: townDraftIntact},
	)
}

func procedureStore(t *testing.T, e *apptest.Env) *procedure.Store {
	storage, err := files.NewLocal(filepath.Join(e.App.Config.DataDir, "fichiers"))
	if err != nil {
		t.Fatal(err)
	}
	s := procedure.NewStore(e.App.DB, storage)
	s.Now = e.App.Now
	return s
}

// townCases returns the demo resident's filed cases in the town.
func townCases(t *testing.T, e *apptest.Env, town *tenant.Tenant) []*procedure.Case {
	ctx := context.Background()
	u, err := e.App.Accounts.ByEmail(ctx, town.ID, townResident)
	if err != nil {
		t.Fatal(err)
	}
	cases, err := procedureStore(t, e).MyCases(ctx, town.ID, u.ID)
	if err != nil || len(cases) == 0 {
		t.Fatalf("no demo case in the town: %v", err)
	}
	return cases
}

func townCase(prefix, suffix string) func(*testing.T, *apptest.Env, *tenant.Tenant) (string, []string) {
	return func(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
		c := townCases(t, e, town)[0]
		if suffix == "-" { // a search for the town's reference
			return prefix + c.Reference, []string{c.Reference + "</a>"}
		}
		return prefix + c.ID + suffix, []string{c.Reference, c.Email}
	}
}

func townCaseBulk(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
	c := townCases(t, e, town)[0]
	return "/gestion/dossiers/lot?ids=" + c.ID, []string{c.Reference}
}

func townCaseFile(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
	c := townCases(t, e, town)[0]
	fs, err := procedureStore(t, e).CaseFiles(context.Background(), town.ID, c.ID)
	if err != nil || len(fs) == 0 {
		t.Fatalf("no file on the demo case: %v", err)
	}
	return "/dossiers/" + c.ID + "/fichiers/" + fs[0].ID, []string{"PDF-1.4"}
}

func townProcedure(suffix string) func(*testing.T, *apptest.Env, *tenant.Tenant) (string, []string) {
	return func(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
		p, err := procedureStore(t, e).ProcedureBySlug(context.Background(), town.ID, "inscription-scolaire")
		if err != nil {
			t.Fatal(err)
		}
		return "/gestion/demarches/" + p.ID + suffix, []string{p.Title}
	}
}

func townExport(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
	path, leak := townProcedure("")(t, e, town)
	return "/gestion/dossiers/export?demarche=" + path[len("/gestion/demarches/"):], leak
}

// townCasesIntact checks that no town case changed state, got a message
// or a label from the village.
func townCasesIntact(t *testing.T, e *apptest.Env, town *tenant.Tenant) {
	ctx := context.Background()
	s := procedureStore(t, e)
	for _, c := range townCases(t, e, town) {
		if c.State == procedure.Refused || len(c.Labels) > 0 {
			t.Errorf("town case %s changed: %s %v", c.Reference, c.State, c.Labels)
		}
		msgs, err := s.Messages(ctx, town.ID, c.ID)
		if err != nil || len(msgs) > 0 {
			t.Errorf("town case %s got messages: %v", c.Reference, err)
		}
	}
}

// townDraftIntact checks that the village neither edited nor moved a
// field of the town's school registration.
func townDraftIntact(t *testing.T, e *apptest.Env, town *tenant.Tenant) {
	p, err := procedureStore(t, e).ProcedureBySlug(context.Background(), town.ID, "inscription-scolaire")
	if err != nil {
		t.Fatal(err)
	}
	if first := p.Draft.Pages[0].Sections[0].Fields[0]; first.Key != "nom" || first.Label != "Nom" {
		t.Errorf("the town's draft changed: first field %s « %s »", first.Key, first.Label)
	}
}

var townLinkCase string

// townCaseLink starts a town case without account and returns its access
// link, which only the town's host honours.
func townCaseLink(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
	ctx := context.Background()
	s := procedureStore(t, e)
	p, err := s.ProcedureBySlug(ctx, town.ID, "acte-de-naissance")
	if err != nil {
		t.Fatal(err)
	}
	c, token, err := s.Start(ctx, p, "", "lien-de-montclair@courriel.localhost", "Sans compte", "fr")
	if err != nil {
		t.Fatal(err)
	}
	townLinkCase = c.ID
	return "/dossiers/" + c.ID + "/acces/" + token, []string{"lien-de-montclair@courriel.localhost", "Acte de naissance"}
}

func townCaseLinkUnproven(t *testing.T, e *apptest.Env, town *tenant.Tenant) {
	c, err := procedureStore(t, e).Case(context.Background(), town.ID, townLinkCase)
	if err != nil || c.EmailVerified {
		t.Errorf("the town case's address was proven from the village: %+v, %v", c, err)
	}
}
