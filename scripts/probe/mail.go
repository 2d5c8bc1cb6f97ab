package main

import (
	"fmt"
	"net/http"
	"net/url"
)

// floodTries is how many times each form is sent at one victim's address;
// the review saw 12 and 6 in a row all reach the outbox.
const floodTries = 15

// mailForm is a public form that mails the address typed in it.
type mailForm struct {
	name, path string
	form       func(victim string, i int) url.Values
	// most is the most mail one address may receive from it within the
	// probe's few minutes: the limit per recipient.
	most int
}

var mailForms = []mailForm{
	{"question", "/questions/poser", func(v string, i int) url.Values {
		return url.Values{"name": {"Sonde"}, "email": {v}, "question": {fmt.Sprintf("Achetez nos montres %d", i)},
			"details": {"Cliquez sur http://evil.example"}}
	}, 5},
	{"alert subscription", "/alertes/abonnement", func(v string, _ int) url.Values {
		return url.Values{"email": {v}, "topics": {"eau"}}
	}, 3},
	{"anonymous procedure", "/demarches/acte-de-naissance/commencer", func(v string, _ int) url.Values {
		return url.Values{"name": {"Sonde"}, "email": {v}}
	}, 5},
	{"password reset", "/mot-de-passe-oublie", func(v string, _ int) url.Values {
		return url.Values{"email": {v}}
	}, 3},
	{"sign-up", "/inscription", func(v string, i int) url.Values {
		return url.Values{"name": {"Sonde"}, "email": {v}, "password": {"Sonde-Guichet-2026!x"}, "password_confirm": {"Sonde-Guichet-2026!x"}}
	}, 3},
	{"personal-data request", "/donnees-personnelles/demande", func(v string, _ int) url.Values {
		return url.Values{"kind": {"access"}, "name": {"Sonde"}, "email": {v}}
	}, 3},
}

// mailFlood sends each form floodTries times at one victim, first from one
// address, then from as many addresses, and counts what reached the outbox
// for the victim; a flood must also be answered 429 at some point.
func (p *probe) mailFlood() {
	fmt.Println("== mail flood:", len(mailForms), "forms,", floodTries, "tries from one address and from", floodTries, "addresses")
	for i, f := range mailForms {
		for _, spread := range []bool{false, true} {
			victim := fmt.Sprintf("victime-%d-%v@courriel.localhost", i, spread)
			if f.name == "password reset" {
				victim = "habitant@courriel.localhost" // a real account: the reset mails it
			}
			before := p.outboxTo(victim)
			refused := 0
			for n := range floodTries {
				source := "127.0.1.1"
				if spread {
					source = fmt.Sprintf("127.0.2.%d", n+1)
				}
				status, _ := p.postForm(source, f.path, f.form(victim, n))
				if status == http.StatusTooManyRequests {
					refused++
				}
				if status >= 500 || status == 0 {
					p.check(false, "%s: status %d", f.name, status)
				}
			}
			got := p.outboxTo(victim) - before
			p.check(got <= f.most, "%s (spread over addresses %v): %d messages reached %s, limit %d", f.name, spread, got, victim, f.most)
			p.check(refused > 0, "%s (spread over addresses %v): no request refused with 429 in %d", f.name, spread, floodTries)
		}
	}
}

func (p *probe) outboxTo(addr string) int {
	return p.count(`SELECT COUNT(*) FROM outbox WHERE recipient = ?`, addr)
}
