package tenant_test

import (
	"context"
	"errors"
	"testing"

	"guichet"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/tenant"
)

func sample(slug string) tenant.Tenant {
	return tenant.Tenant{Slug: slug, Name: "Commune de " + slug, Kind: tenant.KindCommune, INSEE: "54084",
		SIRET: "21869900700017", TimeZone: "Europe/Paris"}
}

func TestStoreCreateAndResolve(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, []db.Migrations{tenant.Migrations}, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := tenant.NewStore(d)
		if err := s.EnsurePlatform(ctx); err != nil {
			t.Fatal(err)
		}
		a := sample("alpha")
		a.Hosts = []string{"www.Alpha.example:443"}
		created, err := s.Create(ctx, a)
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		if created.ID == "" || created.Status != tenant.StatusActive {
			t.Fatalf("created = %+v", created)
		}
		if _, err := s.Create(ctx, sample("alpha")); guichet.ErrorCode(err) != guichet.EConflict {
			t.Fatalf("duplicate slug: got %v, want conflict", err)
		}
		r := tenant.NewResolver(s, "localhost")
		cases := []struct {
			host, want string
		}{
			{"alpha.localhost:8080", "alpha"},
			{"ALPHA.localhost", "alpha"},
			{"www.alpha.example", "alpha"},
			{"localhost:8080", tenant.PlatformID},
			{"platform.localhost", ""},
			{"beta.localhost", ""},
			{"x.alpha.localhost", ""},
			{"evil.example", ""},
			{"alpha.localhost:1,evil.example", ""},
			{"alpha.localhost:70000", ""},
		}
		for _, c := range cases {
			got, err := r.Resolve(ctx, c.host)
			if c.want == "" {
				if !errors.Is(err, tenant.ErrNotFound) {
					t.Errorf("%s: got %v, %v; want not found", c.host, got, err)
				}
				continue
			}
			if err != nil || got.Slug != c.want {
				t.Errorf("%s: got %v, %v; want %s", c.host, got, err, c.want)
			}
		}
		for port, want := range map[string]string{"8080": "http://www.alpha.example:8080", "80": "http://www.alpha.example",
			"1,evil.example": "http://www.alpha.example", "0": "http://www.alpha.example", "": "http://www.alpha.example"} {
			if got := r.URL(created, "http", port); got != want {
				t.Errorf("URL with port %q = %q, want %q", port, got, want)
			}
		}
		list, err := s.List(ctx)
		if err != nil || len(list) != 1 || list[0].Hosts[0] != "www.alpha.example" {
			t.Fatalf("list = %+v, %v (platform must not be listed)", list, err)
		}
	})
}

func TestStoreUpdateAndSuspend(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, []db.Migrations{tenant.Migrations}, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := tenant.NewStore(d)
		if err := s.EnsurePlatform(ctx); err != nil {
			t.Fatal(err)
		}
		c, err := s.Create(ctx, sample("gamma"))
		if err != nil {
			t.Fatal(err)
		}
		c.Name = "Ville de Gamma"
		c.Hosts = []string{"gamma.example"}
		if _, err := s.Update(ctx, *c); err != nil {
			t.Fatalf("update: %v", err)
		}
		got, err := s.ByHost(ctx, "gamma.example")
		if err != nil || got.Name != "Ville de Gamma" {
			t.Fatalf("by host after update = %+v, %v", got, err)
		}
		if err := s.SetStatus(ctx, c.ID, tenant.StatusSuspended); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Get(ctx, c.ID)
		if got.Active() {
			t.Fatal("tenant still active after suspension")
		}
		if err := s.SetStatus(ctx, tenant.PlatformID, tenant.StatusSuspended); !errors.Is(err, tenant.ErrNotFound) {
			t.Fatalf("suspending the platform: got %v, want not found", err)
		}
		if err := s.SetStatus(ctx, c.ID, "deleted"); guichet.ErrorCode(err) != guichet.EInvalid {
			t.Fatalf("unknown status: got %v", err)
		}
	})
}

func TestValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		edit  func(*tenant.Tenant)
		field string
	}{
		{"valid", func(*tenant.Tenant) {}, ""},
		{"slug with capitals kept lower", func(t *tenant.Tenant) { t.Slug = "bad slug" }, "slug"},
		{"reserved slug", func(t *tenant.Tenant) { t.Slug = tenant.PlatformID }, "slug"},
		{"empty name", func(t *tenant.Tenant) { t.Name = " " }, "name"},
		{"unknown kind", func(t *tenant.Tenant) { t.Kind = "empire" }, "kind"},
		{"INSEE too short", func(t *tenant.Tenant) { t.INSEE = "5408" }, "insee"},
		{"Corsican INSEE", func(t *tenant.Tenant) { t.INSEE = "2A004" }, ""},
		{"SIRET bad key", func(t *tenant.Tenant) { t.SIRET = "21869900000013" }, "siret"},
		{"SIRET letters", func(t *tenant.Tenant) { t.SIRET = "2186990000001A" }, "siret"},
		{"unknown zone", func(t *tenant.Tenant) { t.TimeZone = "Mars/Olympus" }, "time_zone"},
		{"bad colour", func(t *tenant.Tenant) { t.ColorPrimary = "blue" }, "color_primary"},
		{"bad host", func(t *tenant.Tenant) { t.Hosts = []string{"a b"} }, "hosts"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tn := sample("delta")
			tn.ColorPrimary, tn.ColorAccent = "#1d4f91", "#8a2b0e"
			c.edit(&tn)
			err := tn.Validate()
			var e *guichet.Error
			if c.field == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if !errors.As(err, &e) || e.Fields[c.field] == "" {
				t.Fatalf("want an error on %q, got %v", c.field, err)
			}
		})
	}
}

func TestValidSIRET(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]bool{"21869900700017": true, "21219900400012": true, "21869900000013": false,
		"2186990000001": false, "": false, "218 699 007 000 17": true,
		"21869900000012": false /* a SIRET key right, its SIREN key wrong */, "35600000049837": true, "35600000049838": false} {
		if got := tenant.ValidSIRET(s); got != want {
			t.Errorf("ValidSIRET(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestNormalizeHost(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"A.Localhost:8080": "a.localhost", "b.example.": "b.example",
		"[::1]:80": "[::1]", "c.localhost": "c.localhost", "d.example..": "d.example", "e.example.:443": "e.example", "g.example .": "g.example",
		// Malformed: kept whole, so that they name no collectivité and a
		// second normalisation (the resolver's lookup) changes nothing.
		"f.example:x:": "f.example:x:", "f.example:80:": "f.example:80:", "montclair.localhost:1,evil.example": "montclair.localhost:1,evil.example"} {
		if got := tenant.NormalizeHost(in); got != want {
			t.Errorf("NormalizeHost(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSplitHostPort(t *testing.T) {
	t.Parallel()
	rows := []struct {
		host, name, port string
		ok               bool
	}{
		{"a.localhost", "a.localhost", "", true},
		{"a.localhost:8080", "a.localhost", "8080", true},
		{"a.localhost:08080", "a.localhost", "8080", true},
		{"a.localhost:", "a.localhost", "", true},
		{"[::1]:443", "[::1]", "443", true},
		{"[::1]", "[::1]", "", true},
		{"a.localhost:1,evil.example", "a.localhost", "", false},
		{"a.localhost:0", "a.localhost", "", false},
		{"a.localhost:65536", "a.localhost", "", false},
		{"a.localhost:+80", "a.localhost", "", false},
		{"a.localhost:-1", "a.localhost", "", false},
		{"a.localhost:80:80", "a.localhost:80", "", false},
		{"::1", "", "", false},
	}
	for _, r := range rows {
		name, port, ok := tenant.SplitHostPort(r.host)
		if ok != r.ok || port != r.port || (ok && name != r.name) {
			t.Errorf("SplitHostPort(%q) = %q, %q, %v; want %q, %q, %v", r.host, name, port, ok, r.name, r.port, r.ok)
		}
	}
}
