package participation_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"guichet/internal/capability/participation"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/mail"
	"guichet/internal/kernel/tenant"
)

// sets are the tables the participation's store tests need.
var sets = []db.Migrations{tenant.Migrations, account.Migrations, participation.Migrations}

// env is a town with a store on a clock the test moves, and residents
// whose accounts are as old as each test needs.
type env struct {
	t     testing.TB
	ctx   context.Context
	d     *db.DB
	s     *participation.Store
	town  *tenant.Tenant
	users *account.Store
	mu    sync.Mutex
	now   time.Time
	n     int
}

func newEnv(t testing.TB, d *db.DB) *env {
	t.Helper()
	ctx := context.Background()
	town, err := tenant.NewStore(d).Create(ctx, tenant.Tenant{Slug: "montclair", Name: "Ville de Montclair-sur-Vienne",
		Kind: tenant.KindCommune, Email: "mairie@montclair.example", TimeZone: "Europe/Paris"})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, ctx: ctx, d: d, town: town, users: account.NewStore(d), now: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}
	e.s = participation.NewStore(d)
	e.s.Now = e.clock
	e.users.Now = e.clock
	return e
}

func (e *env) clock() time.Time { e.mu.Lock(); defer e.mu.Unlock(); return e.now }

func (e *env) advance(dur time.Duration) { e.mu.Lock(); e.now = e.now.Add(dur); e.mu.Unlock() }

// author creates a resident whose account is age old, as the screen
// judges them.
func (e *env) author(name string, age time.Duration) participation.Author {
	e.t.Helper()
	e.n++
	email := fmt.Sprintf("habitant%d@courriel.example", e.n)
	u, err := e.users.CreateVerified(e.ctx, e.town.ID, email, name)
	if err != nil {
		e.t.Fatal(err)
	}
	since := e.clock().Add(-age).UTC()
	if _, err := e.d.Exec(e.ctx, `UPDATE users SET created_at = ? WHERE id = ?`, since, u.ID); err != nil {
		e.t.Fatal(err)
	}
	return participation.Author{ID: u.ID, Name: name, Since: since}
}

// space creates a space with rules.
func (e *env) space(slug string, rules participation.Rules) *participation.Space {
	e.t.Helper()
	sp := &participation.Space{TenantID: e.town.ID, Slug: slug, Name: "Espace " + slug, Rules: rules}
	if err := e.s.CreateSpace(e.ctx, sp); err != nil {
		e.t.Fatal(err)
	}
	return sp
}

// start opens a discussion in sp and fails the test on an error.
func (e *env) start(sp *participation.Space, a participation.Author, title, body string) (*participation.Thread, *participation.Message) {
	e.t.Helper()
	th := &participation.Thread{Kind: participation.Discussion, Title: title}
	m, err := e.s.StartThread(e.ctx, sp, th, a, body)
	if err != nil {
		e.t.Fatal(err)
	}
	return th, m
}

// reply answers t and fails the test on an error.
func (e *env) reply(sp *participation.Space, th *participation.Thread, a participation.Author, body string) *participation.Message {
	e.t.Helper()
	m, err := e.s.Reply(e.ctx, sp, th, a, "", body)
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

// renderMail renders m from its data as the outbox stores it (JSON), in
// both languages, as a test outbox checks it: a template naming a missing
// key, or lacking a language, is an error. It returns the rendering in
// m's language.
func renderMail(tpl *mail.Templates, m mail.Message) (*mail.Rendered, error) {
	raw, err := json.Marshal(m.Data)
	if err != nil {
		return nil, err
	}
	var view map[string]any
	if err := json.Unmarshal(raw, &view); err != nil {
		return nil, err
	}
	view["TenantName"], view["To"], view["Lang"] = "Ville de Montclair-sur-Vienne", m.To, m.Lang
	var mine *mail.Rendered
	for _, lang := range mail.Langs {
		r, err := tpl.Render(m.Template, lang, view)
		if err != nil {
			return nil, err
		}
		if r.Lang != lang {
			return nil, fmt.Errorf("%s has no %s template", m.Template, lang)
		}
		if lang == mail.NormalizeLang(m.Lang) {
			mine = r
		}
	}
	return mine, nil
}
