package procedureweb

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"guichet/internal/capability/procedure"
	"guichet/internal/kernel"
	"guichet/internal/kernel/demo"
	"guichet/internal/kernel/tenant"
)

var _ kernel.Isolated = (*Capability)(nil)

// IsolationRows implements kernel.Isolated: cases, their files and
// letters, the agents' actions, procedures and their builder.
func (c *Capability) IsolationRows() []kernel.IsolationRow {
	admin, session, anon := kernel.AsVillageAdmin, kernel.AsTownSession, kernel.AsAnonymous
	// linked is the case the last access link was made for, for its check.
	var linked string
	link := func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		id, path, err := c.townCaseLink(ctx, town)
		if err != nil {
			return "", nil, err
		}
		linked = id
		return path, []string{"lien-de-montclair@courriel.localhost", "Acte de naissance"}, nil
	}
	unproven := func(ctx context.Context, town *tenant.Tenant) error {
		cs, err := c.Store.Case(ctx, town.ID, linked)
		if err != nil || cs.EmailVerified {
			return fmt.Errorf("the town case's address was proven from the village: %+v, %v", cs, err)
		}
		return nil
	}
	return []kernel.IsolationRow{
		{Name: "agent page of a town case", As: admin, Method: "GET",
			Target: c.townCase("/gestion/dossiers/", ""), Want: http.StatusNotFound},
		{Name: "decide a town case", As: admin, Method: "POST",
			Form: url.Values{"state": {"refuse"}, "reason": {"intrusion"}}, Target: c.townCase("/gestion/dossiers/", "/etat"),
			Want: http.StatusNotFound, Unchanged: c.townCasesIntact},
		{Name: "write on a town case", As: admin, Method: "POST",
			Form: url.Values{"body": {"intrusion"}}, Target: c.townCase("/gestion/dossiers/", "/messages"),
			Want: http.StatusNotFound, Unchanged: c.townCasesIntact},
		{Name: "label a town case in bulk", As: admin, Method: "POST",
			Form: url.Values{"bulk": {"label"}, "label": {"intrusion"}}, Target: c.townCaseBulk,
			Want: http.StatusUnprocessableEntity, Unchanged: c.townCasesIntact},
		{Name: "decide a town case by the API", As: admin, Method: "POST",
			Target: c.townCase("/api/v1/gestion/dossiers/", "/etat"), Want: http.StatusNotFound, Unchanged: c.townCasesIntact},
		{Name: "village inbox", As: admin, Method: "GET",
			Target: c.townCase("/gestion/dossiers?q=", "-"), Want: http.StatusOK},
		{Name: "town session on a town case's page", As: session, Method: "GET",
			Target: c.townCase("/dossiers/", ""), Want: http.StatusNotFound},
		{Name: "town session on a town case's receipt", As: session, Method: "GET",
			Target: c.townCase("/dossiers/", "/recepisse.pdf"), Want: http.StatusNotFound},
		{Name: "town session on a town case's live notices", As: session, Method: "GET",
			Target: c.townCase("/dossiers/", "/direct"), Want: http.StatusNotFound},
		{Name: "town session on a town case's file", As: session, Method: "GET",
			Target: c.townCaseFile, Want: http.StatusNotFound},
		{Name: "town session on the case API", As: session, Method: "GET",
			Target: c.townCase("/api/v1/dossiers/", ""), Want: http.StatusUnauthorized},
		{Name: "open a town case's access link", As: anon, Method: "GET",
			Target: link, Want: http.StatusUnprocessableEntity, Unchanged: unproven},
		{Name: "prove a town case's address", As: anon, Method: "POST",
			Target: link, Want: http.StatusUnprocessableEntity, Unchanged: unproven},
		{Name: "anonymous filing of a town draft", As: anon, Method: "POST",
			Target: c.townCase("/dossiers/", "/deposer"), Want: http.StatusNotFound, Unchanged: c.townCasesIntact},
		{Name: "town procedure on the village's site", As: anon, Method: "GET",
			Target: kernel.Path("/demarches/inscription-scolaire", "Inscription scolaire"), Want: http.StatusNotFound},
		{Name: "town procedure in the village's builder", As: admin, Method: "GET",
			Target: c.townProcedure(""), Want: http.StatusNotFound},
		{Name: "publish a town procedure", As: admin, Method: "POST",
			Target: c.townProcedure("/publier"), Want: http.StatusNotFound},
		{Name: "export a town procedure's cases", As: admin, Method: "GET",
			Target: c.townExport, Want: http.StatusNotFound},
		{Name: "a town field's edit page", As: admin, Method: "GET",
			Target: c.townProcedure("/champs/nom"), Want: http.StatusNotFound},
		{Name: "edit a town field", As: admin, Method: "POST",
			Form: url.Values{"label": {"intrusion"}}, Target: c.townProcedure("/champs/nom"),
			Want: http.StatusNotFound, Unchanged: c.townDraftIntact},
		{Name: "move a town field", As: admin, Method: "POST",
			Form: url.Values{"key": {"prenom"}, "direction": {"haut"}}, Target: c.townProcedure("/champs/deplacer"),
			Want: http.StatusNotFound, Unchanged: c.townDraftIntact},
	}
}

// townCases returns the demo resident's filed cases in the town.
func (c *Capability) townCases(ctx context.Context, town *tenant.Tenant) ([]*procedure.Case, error) {
	u, err := c.k.Accounts.ByEmail(ctx, town.ID, demo.Resident)
	if err != nil {
		return nil, err
	}
	cases, err := c.Store.MyCases(ctx, town.ID, u.ID)
	if err != nil || len(cases) == 0 {
		return nil, fmt.Errorf("no demo case in the town: %v", err)
	}
	return cases, nil
}

func (c *Capability) townCase(prefix, suffix string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		cases, err := c.townCases(ctx, town)
		if err != nil {
			return "", nil, err
		}
		cs := cases[0]
		if suffix == "-" { // a search for the town's reference
			return prefix + cs.Reference, []string{cs.Reference + "</a>"}, nil
		}
		return prefix + cs.ID + suffix, []string{cs.Reference, cs.Email}, nil
	}
}

func (c *Capability) townCaseBulk(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
	cases, err := c.townCases(ctx, town)
	if err != nil {
		return "", nil, err
	}
	return "/gestion/dossiers/lot?ids=" + cases[0].ID, []string{cases[0].Reference}, nil
}

func (c *Capability) townCaseFile(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
	cases, err := c.townCases(ctx, town)
	if err != nil {
		return "", nil, err
	}
	fs, err := c.Store.CaseFiles(ctx, town.ID, cases[0].ID)
	if err != nil || len(fs) == 0 {
		return "", nil, fmt.Errorf("no file on the demo case: %v", err)
	}
	return "/dossiers/" + cases[0].ID + "/fichiers/" + fs[0].ID, []string{"PDF-1.4"}, nil
}

func (c *Capability) townProcedure(suffix string) kernel.IsolationTarget {
	return func(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
		p, err := c.Store.ProcedureBySlug(ctx, town.ID, "inscription-scolaire")
		if err != nil {
			return "", nil, err
		}
		return "/gestion/demarches/" + p.ID + suffix, []string{p.Title}, nil
	}
}

func (c *Capability) townExport(ctx context.Context, town *tenant.Tenant) (string, []string, error) {
	p, err := c.Store.ProcedureBySlug(ctx, town.ID, "inscription-scolaire")
	if err != nil {
		return "", nil, err
	}
	return "/gestion/dossiers/export?demarche=" + p.ID, []string{p.Title}, nil
}

// townCasesIntact checks that no town case changed state, got a message
// or a label from the village.
func (c *Capability) townCasesIntact(ctx context.Context, town *tenant.Tenant) error {
	cases, err := c.townCases(ctx, town)
	if err != nil {
		return err
	}
	var changed []error
	for _, cs := range cases {
		if cs.State == procedure.Refused || len(cs.Labels) > 0 {
			changed = append(changed, fmt.Errorf("town case %s changed: %s %v", cs.Reference, cs.State, cs.Labels))
		}
		msgs, err := c.Store.Messages(ctx, town.ID, cs.ID)
		if err != nil || len(msgs) > 0 {
			changed = append(changed, fmt.Errorf("town case %s got messages: %v", cs.Reference, err))
		}
	}
	return errors.Join(changed...)
}

// townDraftIntact checks that the village neither edited nor moved a
// field of the town's school registration.
func (c *Capability) townDraftIntact(ctx context.Context, town *tenant.Tenant) error {
	p, err := c.Store.ProcedureBySlug(ctx, town.ID, "inscription-scolaire")
	if err != nil {
		return err
	}
	if first := p.Draft.Pages[0].Sections[0].Fields[0]; first.Key != "nom" || first.Label != "Nom" {
		return fmt.Errorf("the town's draft changed: first field %s « %s »", first.Key, first.Label)
	}
	return nil
}

// townCaseLink starts a town case without account and returns its id and
// access link, which only the town's host honours.
func (c *Capability) townCaseLink(ctx context.Context, town *tenant.Tenant) (id, path string, err error) {
	p, err := c.Store.ProcedureBySlug(ctx, town.ID, "acte-de-naissance")
	if err != nil {
		return "", "", err
	}
	cs, token, err := c.Store.Start(ctx, p, "", "lien-de-montclair@courriel.localhost", "Sans compte", "fr")
	if err != nil {
		return "", "", err
	}
	return cs.ID, "/dossiers/" + cs.ID + "/acces/" + token, nil
}
