package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"guichet/internal/apptest"
	"guichet/internal/identity/account"
	"guichet/internal/identity/oidc"
	"guichet/internal/identity/staff"
	"guichet/internal/kernel/tenant"
)

// Rows of the foundation: staff, accounts, OpenID Connect, the site search.
func init() {
	isolationRows = append(isolationRows,
		isolationRow{name: "read a town member's roles", as: "village-admin", method: "GET",
			target: townMember(""), want: http.StatusNotFound},
		isolationRow{name: "change a town member's roles", as: "village-admin", method: "POST",
			form: url.Values{"roles": {"admin"}}, target: townMember(""), want: http.StatusNotFound,
			unchanged: townAgentIntact},
		isolationRow{name: "remove a town member", as: "village-admin", method: "POST",
			target: townMember("/retirer"), want: http.StatusNotFound, unchanged: townAgentIntact},
		isolationRow{name: "reset a town member's second factor", as: "village-admin", method: "POST",
			target: townMember("/deuxieme-facteur"), want: http.StatusNotFound, unchanged: townAgentIntact},
		isolationRow{name: "open a town invitation", as: "anonymous", method: "GET",
			target: townInvitation, want: http.StatusNotFound},
		isolationRow{name: "accept a town invitation", as: "anonymous", method: "POST",
			form:   url.Values{"name": {"Intrus"}, "password": {"Un-mot-de-passe-solide-2026"}},
			target: townInvitation, want: http.StatusNotFound},
		isolationRow{name: "search the village", as: "anonymous", method: "GET",
			target: path("/recherche?q=piscine", "Piscine municipale"), want: http.StatusOK},
		isolationRow{name: "suggestions of the village", as: "anonymous", method: "GET",
			target: path("/recherche/suggestions?q=pisc", "Piscine municipale"), want: http.StatusOK},
		isolationRow{name: "search the village for the town's services", as: "anonymous", method: "GET",
			target: path("/recherche?q=passeport", "Passeport ou carte"), want: http.StatusOK},
		isolationRow{name: "list the village's team", as: "village-admin", method: "GET",
			target: path("/gestion/equipe", "etat-civil@montclair.localhost"), want: http.StatusOK},
		isolationRow{name: "read the village's audit log", as: "village-admin", method: "GET",
			target: townAuditEntry, want: http.StatusOK},
		isolationRow{name: "town session on the village's profile page", as: "town-session", method: "GET",
			target: path("/compte"), want: http.StatusSeeOther},
		isolationRow{name: "town session on the village's API", as: "town-session", method: "GET",
			target: path("/api/v1/me", townResident), want: http.StatusUnauthorized},
		isolationRow{name: "town session downloading data on the village", as: "town-session", method: "GET",
			target: path("/api/v1/me/data", townResident), want: http.StatusUnauthorized},
		isolationRow{name: "town session deleting an account on the village", as: "town-session", method: "POST",
			form: url.Values{"password": {"Guichet-Demo-2026!"}}, target: path("/compte/supprimer"),
			want: http.StatusUnauthorized, unchanged: townResidentIntact},
		isolationRow{name: "sign in with the town's provider", as: "anonymous", method: "GET",
			target: townProvider("/connexion/franceconnect"), want: http.StatusNotFound},
		isolationRow{name: "read the village's provider settings", as: "village-admin", method: "GET",
			target: townProvider("/gestion/franceconnect"), want: http.StatusOK},
		isolationRow{name: "read the town's quotas", as: "village-admin", method: "GET",
			target: townQuotas, want: http.StatusNotFound},
		isolationRow{name: "set the town's quotas", as: "village-admin", method: "POST",
			form: url.Values{"storage_mb": {"1"}, "mail_per_day": {"1"}}, target: townQuotas, want: http.StatusNotFound,
			unchanged: townQuotasIntact},
	)
}

// townQuotas is the operator's page of the town's quotas, which no
// collectivité's host serves.
func townQuotas(_ *testing.T, _ *apptest.Env, town *tenant.Tenant) (string, []string) {
	return "/console/collectivites/" + town.ID + "/quotas", []string{"Quotas"}
}

func townQuotasIntact(t *testing.T, e *apptest.Env, town *tenant.Tenant) {
	if q, err := e.App.Tenants.Quotas(context.Background(), town.ID); err != nil || q != tenant.DefaultQuotas {
		t.Errorf("the town's quotas changed: %+v, %v", q, err)
	}
}

const townAgent = "etat-civil@montclair.localhost"

func townMember(suffix string) func(*testing.T, *apptest.Env, *tenant.Tenant) (string, []string) {
	return func(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
		u, err := e.App.Accounts.ByEmail(context.Background(), town.ID, townAgent)
		if err != nil {
			t.Fatal(err)
		}
		return "/gestion/equipe/" + u.ID + suffix, []string{townAgent}
	}
}

func townAgentIntact(t *testing.T, e *apptest.Env, town *tenant.Tenant) {
	ctx := context.Background()
	u, err := e.App.Accounts.ByEmail(ctx, town.ID, townAgent)
	if err != nil {
		t.Fatalf("the town's agent is gone: %v", err)
	}
	m, err := e.App.Staff.Get(ctx, town.ID, u.ID)
	if err != nil || len(m.Roles) != 1 || m.Roles[0] != account.RoleAgent {
		t.Errorf("the town's agent changed: %+v, %v", m, err)
	}
}

func townResidentIntact(t *testing.T, e *apptest.Env, town *tenant.Tenant) {
	if _, err := e.App.Accounts.ByEmail(context.Background(), town.ID, townResident); err != nil {
		t.Errorf("the town's resident was deleted: %v", err)
	}
}

func townInvitation(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
	ctx := context.Background()
	inviter, err := e.App.Accounts.ByEmail(ctx, town.ID, townAgent)
	if err != nil {
		t.Fatal(err)
	}
	_, token, err := e.App.Staff.Invite(ctx, town.ID, fmt.Sprintf("recrue-%d@courriel.localhost", time.Now().UnixNano()),
		"Nouvelle recrue", staff.Grant{Roles: []account.Role{account.RoleEditor}}, inviter.ID)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := e.App.Staff.Invitation(context.Background(), town.ID, token); err != nil {
			t.Errorf("the town's invitation was consumed: %v", err)
		}
	})
	return "/invitation/" + token, []string{"Nouvelle recrue"}
}

func townAuditEntry(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
	marker := "marqueur-de-la-ville-" + town.ID[:8]
	err := e.App.Staff.RecordEntry(context.Background(), staff.Entry{TenantID: town.ID, Actor: "cli",
		Action: "test.marker", Target: marker})
	if err != nil {
		t.Fatal(err)
	}
	return "/gestion/journal", []string{marker}
}

func townProvider(p string) func(*testing.T, *apptest.Env, *tenant.Tenant) (string, []string) {
	return func(t *testing.T, e *apptest.Env, town *tenant.Tenant) (string, []string) {
		err := e.App.OIDC.SaveProvider(context.Background(), &oidc.Provider{TenantID: town.ID, Name: "franceconnect",
			Issuer: "https://fc.example/api/v2", ClientID: "client-de-la-ville", ClientSecret: "s3cret",
			Scopes: "openid email", ACR: "eidas1", Enabled: true})
		if err != nil {
			t.Fatal(err)
		}
		return p, []string{"client-de-la-ville", "fc.example"}
	}
}
