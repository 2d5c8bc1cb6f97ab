package network_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"guichet/internal/capability/network"
	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/invalidate"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/tenant"
)

var sets = []db.Migrations{tenant.Migrations, network.Migrations}

// env is a town with a small directory the test sets, a store on a clock
// the test moves, and an outbox that records what it was given.
type env struct {
	s    *network.Store
	town *tenant.Tenant
	bus  *invalidate.Bus
	mu   sync.Mutex
	now  time.Time
	orgs []kernel.DirectoryEntry
	sent []mail.Message
}

func newEnv(t *testing.T, d *db.DB) *env {
	t.Helper()
	town, err := tenant.NewStore(d).Create(context.Background(), tenant.Tenant{Slug: "montclair", Name: "Ville de Montclair",
		Kind: tenant.KindCommune, Email: "mairie@montclair.example"})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{town: town, bus: invalidate.New(), now: time.Date(2027, 3, 9, 9, 0, 0, 0, time.UTC)}
	for _, o := range []struct{ id, name, category, email string }{
		{"amicale", "Amicale des Tilleuls", kernel.CategoryAssociation, "amicale@asso.example"},
		{"epicerie", "Épicerie solidaire", kernel.CategoryAssociation, "epicerie@asso.example"},
		{"ecole", "École Jules-Ferry", kernel.CategorySchool, "ecole@ac.example"},
		{"college", "Collège George-Sand", kernel.CategorySchool, ""},
		{"mediatheque", "Médiathèque", kernel.CategoryCulture, "mediatheque@montclair.example"},
		{"temple", "Temple protestant", kernel.CategoryFaith, ""},
		{"jardins", "Jardins partagés", kernel.CategoryAssociation, "jardins@asso.example"},
	} {
		e.orgs = append(e.orgs, kernel.DirectoryEntry{ID: o.id, Slug: o.id, Name: o.name, Category: o.category, Organisation: true,
			Email: o.email, Path: "/annuaire/" + o.id})
	}
	e.orgs = append(e.orgs, kernel.DirectoryEntry{ID: "pont", Slug: "pont", Name: "Pont roman", Category: kernel.CategorySight})
	e.s = network.NewStore(d, e.directory, e.bus)
	e.s.Now = func() time.Time { e.mu.Lock(); defer e.mu.Unlock(); return e.now }
	e.s.Mail = e
	return e
}

func (e *env) directory(_ context.Context, tenantID string) ([]kernel.DirectoryEntry, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if tenantID != e.town.ID {
		return nil, nil
	}
	return append([]kernel.DirectoryEntry(nil), e.orgs...), nil
}

// EnqueueTx implements mail.TxEnqueuer: it records the message.
func (e *env) EnqueueTx(_ context.Context, _ *db.Tx, m mail.Message) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.sent = append(e.sent, m)
	return nil
}

func (e *env) advance(d time.Duration) { e.mu.Lock(); e.now = e.now.Add(d); e.mu.Unlock() }

func (e *env) org(id string) kernel.DirectoryEntry {
	for _, o := range e.orgs {
		if o.ID == id {
			return o
		}
	}
	panic("no organisation " + id)
}

// tie adds an active tie staff entered.
func (e *env) tie(t *testing.T, from, to, kind string) *network.Tie {
	t.Helper()
	tie := &network.Tie{TenantID: e.town.ID, From: from, To: to, Kind: kind}
	if err := e.s.AddTie(context.Background(), tie); err != nil {
		t.Fatalf("tie %s–%s: %v", from, to, err)
	}
	return tie
}

func fmtJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
