package network_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/network"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
)

func TestTiesFromProposalToEnd(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d)
		town := e.town.ID
		partner := e.tie(t, "epicerie", "amicale", network.KindPartnership)
		if partner.From != "amicale" || partner.To != "epicerie" || partner.State != network.Active {
			t.Errorf("an undirected tie is stored in order and active at once: %+v", partner)
		}
		// The same pair and kind twice, in either order, is refused; a funding keeps its direction.
		err := e.s.AddTie(ctx, &network.Tie{TenantID: town, From: "amicale", To: "epicerie", Kind: network.KindPartnership})
		if !errors.Is(err, network.ErrTieExists) {
			t.Errorf("a second partnership: %v", err)
		}
		funding := e.tie(t, "mediatheque", "amicale", network.KindFunding)
		if funding.From != "mediatheque" || funding.To != "amicale" {
			t.Errorf("a funding lost its direction: %+v", funding)
		}
		for _, bad := range []struct {
			tie   network.Tie
			field string
		}{
			{network.Tie{From: "amicale", To: "amicale", Kind: network.KindMembers}, "to"},
			{network.Tie{From: "amicale", To: "ecole", Kind: "amitie"}, "kind"},
			{network.Tie{From: "amicale", To: "pont", Kind: network.KindMembers}, "to"},
			{network.Tie{From: "inconnue", To: "ecole", Kind: network.KindMembers}, "from"},
			{network.Tie{From: "amicale", To: "ecole", Kind: network.KindMembers, SinceYear: 2031}, "since"},
			{network.Tie{From: "amicale", To: "ecole", Kind: network.KindMembers, Note: strings.Repeat("é", 501)}, "note"},
		} {
			bad.tie.TenantID = town
			if fields := guichet.FieldErrors(e.s.AddTie(ctx, &bad.tie)); fields[bad.field] == "" {
				t.Errorf("%+v: want an error on %s, got %v", bad.tie, bad.field, fields)
			}
		}

		// A manager proposes a tie from their organisation: it waits.
		proposal := &network.Tie{TenantID: town, From: "amicale", To: "ecole", Kind: network.KindMembers, ProposedBy: "compte-1",
			ProposedFor: "amicale", SinceYear: 2019, Note: "Des parents au bureau de l'amicale."}
		if err := e.s.AddTie(ctx, proposal); err != nil || proposal.State != network.Proposed {
			t.Fatalf("proposal: %v, %+v", err, proposal)
		}
		other := &network.Tie{TenantID: town, From: "ecole", To: "college", Kind: network.KindMembers, ProposedBy: "compte-1",
			ProposedFor: "amicale"}
		if fields := guichet.FieldErrors(e.s.AddTie(ctx, other)); fields["to"] == "" {
			t.Errorf("a proposal between two other organisations: %v", fields)
		}
		v, err := e.s.View(ctx, town)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Ties) != 2 {
			t.Errorf("the network holds %d ties before the confirmation, want the 2 active", len(v.Ties))
		}
		if err := e.s.Confirm(ctx, town, proposal.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.s.Confirm(ctx, town, proposal.ID); !errors.Is(err, network.ErrNotProposed) {
			t.Errorf("confirming twice: %v", err)
		}
		// The measures heard the change at once.
		v, err = e.s.View(ctx, town)
		if err != nil || len(v.Ties) != 3 {
			t.Fatalf("after the confirmation the network holds %d ties (%v), want 3", len(v.Ties), err)
		}
		i, _ := v.Index("amicale")
		if m := v.Measures.Nodes[i]; m.Degree != 3 || m.Rank != 1 || v.Measures.Brokers[0] != i {
			t.Errorf("the amicale ties three organisations to each other: %+v, brokers %v", m, v.Measures.Brokers)
		}
		if _, ok := v.Index("pont"); ok {
			t.Error("a place is in the network of organisations")
		}

		declined := &network.Tie{TenantID: town, From: "temple", To: "amicale", Kind: network.KindPremises, ProposedBy: "compte-2",
			ProposedFor: "temple"}
		if err := e.s.AddTie(ctx, declined); err != nil {
			t.Fatal(err)
		}
		if err := e.s.Decline(ctx, town, declined.ID, "Les locaux ne sont pas partagés."); err != nil {
			t.Fatal(err)
		}
		got, err := e.s.Tie(ctx, town, declined.ID)
		if err != nil || got.State != network.Declined || got.Decision != "Les locaux ne sont pas partagés." || got.Decided == nil {
			t.Errorf("declined: %+v, %v", got, err)
		}
		if err := e.s.End(ctx, town, partner.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.s.End(ctx, town, partner.ID); !errors.Is(err, network.ErrNotActive) {
			t.Errorf("ending twice: %v", err)
		}
		// Ended, the pair may be tied again.
		e.tie(t, "amicale", "epicerie", network.KindPartnership)
		active, err := e.s.Ties(ctx, town, network.Active)
		if err != nil || len(active) != 3 {
			t.Errorf("%d active ties (%v), want 3", len(active), err)
		}
		of, err := e.s.TiesOf(ctx, town, "temple")
		if err != nil || len(of) != 1 || of[0].Other("temple") != "amicale" {
			t.Errorf("the temple's ties: %+v, %v", of, err)
		}
		// Another collectivité reads and changes none of it.
		if _, err := e.s.Tie(ctx, "ailleurs", proposal.ID); !errors.Is(err, network.ErrNotFound) {
			t.Errorf("another collectivité read a tie: %v", err)
		}
		if err := e.s.End(ctx, "ailleurs", proposal.ID); !errors.Is(err, network.ErrNotFound) {
			t.Errorf("another collectivité ended a tie: %v", err)
		}
	})
}

func TestContactsNeedConsentAndGoWithIt(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d)
		town := e.town.ID
		consent := e.now.AddDate(0, -2, 0)
		c := &network.Contact{TenantID: town, EntryID: "amicale", Name: "Martine Roux", Role: "présidente",
			Email: "martine.roux@courriel.example", Phone: "05 49 00 11 22", Leader: true, ConsentAt: consent,
			ConsentSource: network.ConsentForm}
		if err := e.s.AddContact(ctx, c); err != nil {
			t.Fatal(err)
		}
		for _, bad := range []struct {
			c     network.Contact
			field string
		}{
			{network.Contact{EntryID: "amicale", Email: "a@b.example", ConsentAt: consent, ConsentSource: network.ConsentEmail}, "name"},
			{network.Contact{EntryID: "amicale", Name: "Sans moyen", ConsentAt: consent, ConsentSource: network.ConsentEmail}, "email"},
			{network.Contact{EntryID: "amicale", Name: "X", Email: "pas-une-adresse", ConsentAt: consent, ConsentSource: network.ConsentEmail}, "email"},
			{network.Contact{EntryID: "amicale", Name: "X", Phone: "05", ConsentSource: network.ConsentEmail}, "consent_date"},
			{network.Contact{EntryID: "amicale", Name: "X", Phone: "05", ConsentAt: e.now.AddDate(0, 0, 1), ConsentSource: network.ConsentEmail}, "consent_date"},
			{network.Contact{EntryID: "amicale", Name: "X", Phone: "05", ConsentAt: e.now.AddDate(-4, 0, 0), ConsentSource: network.ConsentEmail}, "consent_date"},
			{network.Contact{EntryID: "amicale", Name: "X", Phone: "05", ConsentAt: consent, ConsentSource: "oral"}, "consent_source"},
		} {
			bad.c.TenantID = town
			if fields := guichet.FieldErrors(e.s.AddContact(ctx, &bad.c)); fields[bad.field] == "" {
				t.Errorf("%+v: want an error on %s, got %v", bad.c, bad.field, fields)
			}
		}
		err := e.s.AddContact(ctx, &network.Contact{TenantID: town, EntryID: "pont", Name: "X", Phone: "05", ConsentAt: consent,
			ConsentSource: network.ConsentEmail})
		if guichet.ErrorCode(err) != guichet.ENotFound {
			t.Errorf("a contact of a place: %v", err)
		}
		second := &network.Contact{TenantID: town, EntryID: "amicale", Name: "Paul Bernard", Role: "trésorier",
			Phone: "06 12 34 56 78", ConsentAt: consent, ConsentSource: network.ConsentDeclaration, EnteredBy: "compte-1"}
		if err := e.s.AddContact(ctx, second); err != nil {
			t.Fatal(err)
		}
		list, err := e.s.Contacts(ctx, town, "amicale")
		if err != nil || len(list) != 2 || list[0].Name != "Martine Roux" {
			t.Fatalf("contacts, leaders first: %+v, %v", list, err)
		}
		counts, err := e.s.ContactCounts(ctx, town)
		if err != nil || counts["amicale"] != 2 || len(counts) != 1 {
			t.Errorf("counts %v, %v", counts, err)
		}
		// Three years after the last confirmation the contact goes; a
		// confirmation on the way keeps it three years more.
		e.advance(2 * 365 * 24 * time.Hour)
		if err := e.s.ConfirmConsent(ctx, town, c.ID); err != nil {
			t.Fatal(err)
		}
		e.advance(366 * 24 * time.Hour)
		if n, err := e.s.PurgeContacts(ctx); err != nil || n != 1 {
			t.Fatalf("purged %d contacts (%v), want the unconfirmed one", n, err)
		}
		if _, err := e.s.Contact(ctx, town, second.ID); !errors.Is(err, network.ErrNotFound) {
			t.Errorf("the unconfirmed contact stayed: %v", err)
		}
		// Withdrawn, the contact is erased at once.
		if err := e.s.Withdraw(ctx, "ailleurs", c.ID); !errors.Is(err, network.ErrNotFound) {
			t.Errorf("another collectivité withdrew a contact: %v", err)
		}
		if err := e.s.Withdraw(ctx, town, c.ID); err != nil {
			t.Fatal(err)
		}
		if list, _ := e.s.Contacts(ctx, town); len(list) != 0 {
			t.Errorf("contacts left: %+v", list)
		}
	})
}

func TestCampaignReachesConsentingContactsAndPublicAddresses(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d)
		town := e.town.ID
		consent := e.now.AddDate(0, -1, 0)
		for _, c := range []*network.Contact{
			{EntryID: "amicale", Name: "Martine Roux", Email: "martine.roux@courriel.example", Leader: true},
			{EntryID: "amicale", Name: "Paul Bernard", Phone: "06 12 34 56 78"},
			// The same address as the organisation's public one: mailed once.
			{EntryID: "ecole", Name: "Direction", Email: "ECOLE@ac.example"},
		} {
			c.TenantID, c.ConsentAt, c.ConsentSource = town, consent, network.ConsentEmail
			if err := e.s.AddContact(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		to, err := e.s.Recipients(ctx, town, []network.DirectoryEntry{e.org("ecole"), e.org("amicale"), e.org("college")})
		if err != nil {
			t.Fatal(err)
		}
		var emails []string
		for _, r := range to {
			emails = append(emails, r.Email)
		}
		want := []string{"martine.roux@courriel.example", "amicale@asso.example", "ECOLE@ac.example"} // the Collège has no address
		if !slices.Equal(emails, want) {
			t.Errorf("recipients %v, want %v", emails, want)
		}
		at := e.now.AddDate(0, 0, 10)
		inv := &network.Campaign{TenantID: town, Kind: network.Invitation, Subject: "Forum des associations",
			Body: "Nous vous invitons au forum.", TargetKind: network.TargetSelection, TargetLabel: "3 organisations",
			EventAt: &at, Place: "Salle des fêtes", Author: "Vie locale"}
		if err := e.s.Send(ctx, inv, to, network.Site{URL: "http://montclair.localhost", Loc: e.town.Location()}); err != nil {
			t.Fatal(err)
		}
		if len(e.sent) != 3 || e.sent[0].Template != "network/campaign" || e.sent[0].Data["Name"] != "Martine Roux" ||
			e.sent[0].Data["Organisation"] != "Amicale des Tilleuls" || !strings.Contains(e.sent[0].Data["When"].(string), "19 mars 2027 à 10 h 00") {
			t.Errorf("queued %+v", e.sent)
		}
		got, rec, err := e.s.Campaign(ctx, town, inv.ID)
		if err != nil || got.Recipients != 3 || len(rec) != 3 || got.Place != "Salle des fêtes" || got.EventAt == nil {
			t.Fatalf("campaign %+v, recipients %+v, %v", got, rec, err)
		}
		past := e.now.AddDate(0, 0, -1)
		for _, bad := range []struct {
			c     network.Campaign
			field string
		}{
			{network.Campaign{Kind: network.Message, Body: "Texte"}, "subject"},
			{network.Campaign{Kind: network.Message, Subject: "Objet"}, "body"},
			{network.Campaign{Kind: "tract", Subject: "Objet", Body: "Texte"}, "kind"},
			{network.Campaign{Kind: network.Invitation, Subject: "Objet", Body: "Texte"}, "event"},
			{network.Campaign{Kind: network.Invitation, Subject: "Objet", Body: "Texte", EventAt: &past}, "event_date"},
		} {
			bad.c.TenantID = town
			if fields := guichet.FieldErrors(e.s.Send(ctx, &bad.c, to, network.Site{})); fields[bad.field] == "" {
				t.Errorf("%+v: want an error on %s, got %v", bad.c, bad.field, fields)
			}
		}
		msg := &network.Campaign{TenantID: town, Kind: network.Message, Subject: "Objet", Body: "Texte"}
		if err := e.s.Send(ctx, msg, nil, network.Site{}); !errors.Is(err, network.ErrNoRecipient) {
			t.Errorf("a campaign to nobody: %v", err)
		}
		list, err := e.s.Campaigns(ctx, town, 10)
		if err != nil || len(list) != 1 {
			t.Errorf("campaigns %+v, %v", list, err)
		}
		e.advance(366 * 24 * time.Hour)
		if n, err := e.s.PurgeCampaigns(ctx); err != nil || n != 1 {
			t.Errorf("purged %d campaigns (%v)", n, err)
		}
		var left int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM network_recipients`).Scan(&left); err != nil || left != 0 {
			t.Errorf("%d recipients left (%v)", left, err)
		}
	})
}

func TestExportAndEraseAPerson(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, sets, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		e := newEnv(t, d)
		town := e.town.ID
		c := &network.Contact{TenantID: town, EntryID: "amicale", Name: "Martine Roux", Email: "Martine.Roux@courriel.example",
			ConsentAt: e.now.AddDate(0, -1, 0), ConsentSource: network.ConsentEmail, EnteredBy: "compte-martine"}
		if err := e.s.AddContact(ctx, c); err != nil {
			t.Fatal(err)
		}
		to, _ := e.s.Recipients(ctx, town, []network.DirectoryEntry{e.org("amicale")})
		if err := e.s.Send(ctx, &network.Campaign{TenantID: town, Kind: network.Message, Subject: "Réunion", Body: "Texte",
			Author: "Vie locale"}, to, network.Site{}); err != nil {
			t.Fatal(err)
		}
		proposal := &network.Tie{TenantID: town, From: "amicale", To: "ecole", Kind: network.KindMembers,
			ProposedBy: "compte-martine", ProposedFor: "amicale"}
		if err := e.s.AddTie(ctx, proposal); err != nil {
			t.Fatal(err)
		}
		p := account.Person{TenantID: town, UserID: "compte-martine", Email: "martine.roux@courriel.example"}
		got, err := e.s.Export(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ToLower(fmtJSON(t, got))
		for _, want := range []string{"martine roux", "réunion", `"ties_proposed":[{"from":"amicale"`} {
			if !strings.Contains(text, strings.ToLower(want)) {
				t.Errorf("export lacks %q: %s", want, text)
			}
		}
		if err := e.s.Erase(ctx, p); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{`SELECT COUNT(*) FROM network_contacts WHERE LOWER(email) = 'martine.roux@courriel.example'`,
			`SELECT COUNT(*) FROM network_recipients WHERE LOWER(email) = 'martine.roux@courriel.example'`,
			`SELECT COUNT(*) FROM network_ties WHERE proposed_by = 'compte-martine'`} {
			var n int
			if err := d.QueryRow(ctx, q).Scan(&n); err != nil || n != 0 {
				t.Errorf("%s: %d (%v)", q, n, err)
			}
		}
		if tie, err := e.s.Tie(ctx, town, proposal.ID); err != nil || tie.ProposedFor != "amicale" {
			t.Errorf("the proposal, about organisations, stays without its author: %+v, %v", tie, err)
		}
	})
}
