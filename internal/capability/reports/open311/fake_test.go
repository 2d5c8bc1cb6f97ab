package open311_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"guichet"
	"guichet/internal/capability/reports/open311"
)

// fake is an in-memory backend with a fixed clock.
type fake struct {
	mu       sync.Mutex
	now      time.Time
	services []open311.Service
	defs     map[string]*open311.Definition
	requests []open311.Request
	tokens   map[string]string // token → request id
	next     int
	posted   []open311.NewRequest
}

const validKey = "cle-valide"

func ptr(v float64) *float64 { return &v }

func newFake(now time.Time) *fake {
	day := 24 * time.Hour
	f := &fake{now: now, tokens: map[string]string{}, next: 100}
	f.services = []open311.Service{
		{Code: "voirie-nid-de-poule", Name: "Nid-de-poule", Description: "Trou dans la chaussée ou le trottoir.",
			Metadata: true, Type: open311.Realtime, Keywords: []string{"trou", "chaussée"}, Group: "Voirie"},
		{Code: "eclairage-panne", Name: "Lampadaire éteint", Description: "Un éclairage public ne s'allume plus.",
			Type: open311.Realtime, Group: "Éclairage public"},
		{Code: "proprete-depot", Name: "Dépôt sauvage", Description: "Déchets abandonnés sur la voie publique.",
			Metadata: true, Type: open311.Batch, Keywords: []string{"déchets", "encombrants"}, Group: "Propreté"},
	}
	f.defs = map[string]*open311.Definition{
		"voirie-nid-de-poule": {ServiceCode: "voirie-nid-de-poule", Attributes: []open311.Attribute{
			{Code: "conseil", Datatype: open311.Text, Order: 1, Description: "Ne vous mettez pas en danger pour photographier le trou."},
			{Variable: true, Code: "profondeur", Datatype: open311.SingleValueList, Required: true, Order: 2,
				Description: "Profondeur du trou", Values: []open311.Value{{Key: "faible", Name: "Moins de 5 cm"}, {Key: "forte", Name: "5 cm ou plus"}}},
			{Variable: true, Code: "largeur", Datatype: open311.Number, Order: 3, DatatypeDescription: "En centimètres", Description: "Largeur approximative"},
			{Variable: true, Code: "constate", Datatype: open311.Datetime, Order: 4, Description: "Constaté le"},
			{Variable: true, Code: "voies", Datatype: open311.MultiValueList, Order: 5, Description: "Où se trouve-t-il\u00a0?",
				Values: []open311.Value{{Key: "chaussee", Name: "Chaussée"}, {Key: "trottoir", Name: "Trottoir"}, {Key: "piste", Name: "Piste cyclable"}}},
		}},
		"proprete-depot": {ServiceCode: "proprete-depot", Attributes: []open311.Attribute{
			{Variable: true, Code: "nature", Datatype: open311.String, Order: 1, Description: "Nature des déchets"},
		}},
	}
	f.requests = []open311.Request{
		{ID: "SIG-2026-000001", Status: open311.Open, ServiceCode: "voirie-nid-de-poule", ServiceName: "Nid-de-poule",
			Description: "Trou profond devant l'école.", Requested: now.Add(-2 * day), Address: "12 rue de la Paix, Paris",
			Zipcode: "75002", Lat: ptr(48.8686), Long: ptr(2.3314), MediaURL: "https://ville.example/photos/1.jpg"},
		{ID: "SIG-2026-000002", Status: open311.Closed, StatusNotes: "Rebouché le 10 mars.", ServiceCode: "voirie-nid-de-poule",
			ServiceName: "Nid-de-poule", Description: "Nid-de-poule rue Haute.", Requested: now.Add(-20 * day),
			Updated: now.Add(-5 * day), Address: "3 rue Haute", Lat: ptr(48.87), Long: ptr(2.33)},
		{ID: "SIG-2026-000003", Status: open311.Open, ServiceCode: "eclairage-panne", ServiceName: "Lampadaire éteint",
			AgencyResponsible: "Éclairage public", Requested: now.Add(-40*day - 90*time.Minute), Expected: now.Add(3 * day),
			Lat: ptr(48.86), Long: ptr(2.34)},
		{ID: "SIG-2026-000004", Status: open311.Closed, ServiceCode: "eclairage-panne", ServiceName: "Lampadaire éteint",
			Requested: now.Add(-60 * day), Address: "Route du méridien", Lat: ptr(49.32), Long: ptr(0.0000005)},
		{ID: "SIG-2026-000005", Status: open311.Open, ServiceCode: "proprete-depot", ServiceName: "Dépôt sauvage",
			ServiceNotice: "Enlèvement sous huit jours.", Requested: now.Add(-85 * day), Address: "Place du Marché"},
		{ID: "SIG-2025-000099", Status: open311.Closed, ServiceCode: "voirie-nid-de-poule", ServiceName: "Nid-de-poule",
			Requested: now.Add(-120 * day), Address: "Vieux chemin", Lat: ptr(48.8), Long: ptr(2.3)},
	}
	return f
}

func (f *fake) service(code string) (open311.Service, error) {
	for _, s := range f.services {
		if s.Code == code {
			return s, nil
		}
	}
	return open311.Service{}, guichet.Errorf(guichet.ENotFound, "Service inconnu.")
}

func (f *fake) Services(context.Context) ([]open311.Service, error) { return f.services, nil }

func (f *fake) Definition(_ context.Context, code string) (*open311.Definition, error) {
	if _, err := f.service(code); err != nil {
		return nil, err
	}
	if d := f.defs[code]; d != nil {
		return d, nil
	}
	return &open311.Definition{ServiceCode: code}, nil
}

func (f *fake) Requests(_ context.Context, q open311.Query) ([]open311.Request, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []open311.Request
	for _, r := range f.requests {
		if q.Matches(r) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b open311.Request) int { return b.Requested.Compare(a.Requested) })
	return out[:min(len(out), q.Limit)], nil
}

func (f *fake) Request(_ context.Context, id string) (*open311.Request, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.requests {
		if r.ID == id {
			return &r, nil
		}
	}
	return nil, guichet.Errorf(guichet.ENotFound, "Signalement inconnu.")
}

func (f *fake) Post(_ context.Context, key string, nr open311.NewRequest) (*open311.Posted, error) {
	if key != validKey {
		return nil, guichet.Errorf(guichet.EForbidden, "Cette clé d'API n'ouvre pas le dépôt de signalements.")
	}
	svc, err := f.service(nr.ServiceCode)
	if err != nil {
		return nil, err
	}
	if d := f.defs[svc.Code]; d != nil {
		if bad := d.Check(nr.Attributes); bad != nil {
			return nil, guichet.Invalid(bad)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.next++
	f.posted = append(f.posted, nr)
	r := open311.Request{ID: fmt.Sprintf("SIG-2026-%06d", f.next), Status: open311.Open, ServiceCode: svc.Code,
		ServiceName: svc.Name, Description: nr.Description, Requested: f.now, Address: nr.AddressString,
		AddressID: nr.AddressID, Lat: nr.Lat, Long: nr.Long}
	if len(nr.MediaURLs) > 0 {
		r.MediaURL = nr.MediaURLs[0]
	}
	f.requests = append(f.requests, r)
	if svc.Type == open311.Batch {
		token := fmt.Sprintf("jeton-%d", f.next)
		f.tokens[token] = r.ID
		return &open311.Posted{Token: token}, nil
	}
	return &open311.Posted{ID: r.ID, ServiceNotice: "Un agent passera sous 48 heures.", AccountID: nr.AccountID}, nil
}

func (f *fake) Token(_ context.Context, token string) ([]open311.TokenAnswer, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if id, ok := f.tokens[token]; ok {
		return []open311.TokenAnswer{{Token: token, ID: id}}, nil
	}
	return nil, guichet.Errorf(guichet.ENotFound, "Jeton inconnu.")
}
