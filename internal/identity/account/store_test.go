package account_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"guichet"
	"guichet/internal/identity/account"
)

func TestRegisterValidation(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		cases := []struct {
			name, email, person, password string
			fields                        []string
		}{
			{"everything missing", "", "", "", []string{"email", "name", "password"}},
			{"bad email", "camille@", "Camille", goodPassword, []string{"email"}},
			{"display-name email", "Camille <c@exemple.fr>", "Camille", goodPassword, []string{"email"}},
			{"no domain dot", "c@exemple", "Camille", goodPassword, []string{"email"}},
			{"weak password", "c@exemple.fr", "Camille", "motdepasse", []string{"password"}},
			{"blank name", "c@exemple.fr", "   ", goodPassword, []string{"name"}},
		}
		for _, c := range cases {
			_, err := f.store.Register(ctx, f.a.ID, c.email, c.person, c.password)
			var e *guichet.Error
			if !errors.As(err, &e) || e.Code != guichet.EInvalid {
				t.Errorf("%s: got %v, want EInvalid", c.name, err)
				continue
			}
			for _, field := range c.fields {
				if e.Fields[field] == "" {
					t.Errorf("%s: no message for %s in %v", c.name, field, e.Fields)
				}
			}
			if len(e.Fields) != len(c.fields) {
				t.Errorf("%s: fields %v, want %v", c.name, e.Fields, c.fields)
			}
		}
	})
}

func TestRegisterAndAuthenticate(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		u := f.register(t, f.a, "Camille.Martin@Exemple.fr")
		if u.Verified() || !u.HasPassword || u.Lang != "fr" {
			t.Fatalf("new user = %+v", u)
		}
		if _, err := f.store.Register(ctx, f.a.ID, "camille.martin@exemple.fr", "Autre", goodPassword); !errors.Is(err, account.ErrEmailTaken) {
			t.Fatalf("same email, other case: got %v, want ErrEmailTaken", err)
		}
		// The same address may have a separate account on another collectivité.
		other := f.register(t, f.b, "camille.martin@exemple.fr")
		oidcOnly, err := f.store.CreateVerified(ctx, f.a.ID, "sans.mdp@exemple.fr", "Sans Mot")
		if err != nil || !oidcOnly.Verified() || oidcOnly.HasPassword {
			t.Fatalf("CreateVerified = %+v, %v", oidcOnly, err)
		}
		cases := []struct {
			name, tenantID, email, password, wantID string
		}{
			{"right password", f.a.ID, "camille.martin@exemple.fr", goodPassword, u.ID},
			{"email in another case", f.a.ID, "CAMILLE.MARTIN@EXEMPLE.FR", goodPassword, u.ID},
			{"other tenant gets its own user", f.b.ID, "camille.martin@exemple.fr", goodPassword, other.ID},
			{"wrong password", f.a.ID, "camille.martin@exemple.fr", "Tr4in!Bleu#8", ""},
			{"unknown email", f.a.ID, "personne@exemple.fr", goodPassword, ""},
			{"account without password", f.a.ID, "sans.mdp@exemple.fr", "", ""},
			{"account without password, a guess", f.a.ID, "sans.mdp@exemple.fr", goodPassword, ""},
		}
		for _, c := range cases {
			got, err := f.store.Authenticate(ctx, c.tenantID, c.email, c.password)
			if c.wantID == "" {
				if !errors.Is(err, account.ErrBadCredentials) {
					t.Errorf("%s: got %v, %v; want ErrBadCredentials", c.name, got, err)
				}
				continue
			}
			if err != nil || got.ID != c.wantID {
				t.Errorf("%s: got %v, %v; want user %s", c.name, got, err, c.wantID)
			}
		}
	})
}

func TestTokens(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		u := f.register(t, f.a, "camille@exemple.fr")
		live, err := f.store.NewToken(ctx, f.a.ID, u.ID, account.PurposeReset, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		expired, _ := f.store.NewToken(ctx, f.a.ID, u.ID, account.PurposeReset, -time.Second)
		verify, _ := f.store.NewToken(ctx, f.a.ID, u.ID, account.PurposeVerify, time.Hour)
		if got, err := f.store.CheckToken(ctx, f.a.ID, account.PurposeReset, live); err != nil || got != u.ID {
			t.Fatalf("check live token: %q, %v", got, err)
		}
		cases := []struct {
			name, tenantID, purpose, token string
			ok                             bool
		}{
			{"other tenant", f.b.ID, account.PurposeReset, live, false},
			{"other purpose", f.a.ID, account.PurposeVerify, live, false},
			{"live", f.a.ID, account.PurposeReset, live, true},
			{"second use", f.a.ID, account.PurposeReset, live, false},
			{"expired", f.a.ID, account.PurposeReset, expired, false},
			{"unknown", f.a.ID, account.PurposeReset, "AAAA", false},
			{"empty", f.a.ID, account.PurposeReset, "", false},
			{"verify", f.a.ID, account.PurposeVerify, verify, true},
		}
		for _, c := range cases {
			got, err := f.store.UseToken(ctx, c.tenantID, c.purpose, c.token)
			if c.ok && (err != nil || got != u.ID) {
				t.Errorf("%s: got %q, %v; want %s", c.name, got, err, u.ID)
			}
			if !c.ok && !errors.Is(err, account.ErrBadToken) {
				t.Errorf("%s: got %q, %v; want ErrBadToken", c.name, got, err)
			}
		}
	})
}

func TestSetPasswordEndsResetLinks(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		u := f.register(t, f.a, "camille@exemple.fr")
		tok, _ := f.store.NewToken(ctx, f.a.ID, u.ID, account.PurposeReset, time.Hour)
		if err := f.store.SetPassword(ctx, f.a.ID, u.ID, "court"); guichet.ErrorCode(err) != guichet.EInvalid {
			t.Fatalf("weak password: %v", err)
		}
		if err := f.store.SetPassword(ctx, f.b.ID, u.ID, "Nouveau-Mot2Passe"); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("other tenant: %v", err)
		}
		if err := f.store.SetPassword(ctx, f.a.ID, u.ID, "Nouveau-Mot2Passe"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.store.Authenticate(ctx, f.a.ID, u.Email, goodPassword); !errors.Is(err, account.ErrBadCredentials) {
			t.Fatalf("old password still works: %v", err)
		}
		if _, err := f.store.Authenticate(ctx, f.a.ID, u.Email, "Nouveau-Mot2Passe"); err != nil {
			t.Fatalf("new password refused: %v", err)
		}
		if _, err := f.store.UseToken(ctx, f.a.ID, account.PurposeReset, tok); !errors.Is(err, account.ErrBadToken) {
			t.Fatalf("reset link survived a password change: %v", err)
		}
	})
}

func TestProfileVerifyExportDelete(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		u := f.register(t, f.a, "camille@exemple.fr")
		if err := f.store.MarkEmailVerified(ctx, f.b.ID, u.ID); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("verify from other tenant: %v", err)
		}
		if err := f.store.MarkEmailVerified(ctx, f.a.ID, u.ID); err != nil {
			t.Fatal(err)
		}
		prefs := account.Preferences{TextSize: "larger", LineSpacing: "wide", HighContrast: true}
		if err := f.store.UpdateProfile(ctx, f.a.ID, u.ID, "Camille M.", "de", account.Preferences{TextSize: "huge"}); guichet.ErrorCode(err) != guichet.EInvalid {
			t.Fatalf("bad profile accepted: %v", err)
		}
		if err := f.store.UpdateProfile(ctx, f.b.ID, u.ID, "Camille M.", "en", prefs); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("profile from other tenant: %v", err)
		}
		if err := f.store.UpdateProfile(ctx, f.a.ID, u.ID, "Camille M.", "en", prefs); err != nil {
			t.Fatal(err)
		}
		got, err := f.store.Get(ctx, f.a.ID, u.ID)
		if err != nil || !got.Verified() || got.Name != "Camille M." || got.Lang != "en" || got.Prefs != prefs {
			t.Fatalf("after update: %+v, %v", got, err)
		}
		if _, err := f.store.Get(ctx, f.b.ID, u.ID); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("read from other tenant: %v", err)
		}
		f.store.RegisterExporter("demarches", func(_ context.Context, p account.Person) (any, error) {
			return []string{"dossier de " + p.UserID + " sur " + p.TenantID}, nil
		})
		data, err := f.store.Export(ctx, f.a.ID, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := json.Marshal(data)
		var decoded struct {
			Account struct {
				Email       string
				Name        string
				Preferences struct {
					TextSize string `json:"text_size"`
				}
			}
			Demarches []string
		}
		if err := json.Unmarshal(body, &decoded); err != nil {
			t.Fatal(err)
		}
		if decoded.Account.Email != "camille@exemple.fr" || decoded.Account.Preferences.TextSize != "larger" ||
			len(decoded.Demarches) != 1 || decoded.Demarches[0] != "dossier de "+u.ID+" sur "+f.a.ID {
			t.Fatalf("export = %s", body)
		}
		if err := f.store.Delete(ctx, f.b.ID, u.ID); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("delete from other tenant: %v", err)
		}
		if err := f.store.Delete(ctx, f.a.ID, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.store.Get(ctx, f.a.ID, u.ID); !errors.Is(err, account.ErrNotFound) {
			t.Fatalf("deleted user still there: %v", err)
		}
	})
}

func TestPurgeExpired(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		u := f.register(t, f.a, "camille@exemple.fr")
		live, _ := f.store.NewToken(ctx, f.a.ID, u.ID, account.PurposeVerify, time.Hour)
		_, _ = f.store.NewToken(ctx, f.a.ID, u.ID, account.PurposeVerify, -time.Minute)
		_, _ = f.store.NewToken(ctx, f.b.ID, f.register(t, f.b, "x@exemple.fr").ID, account.PurposeReset, -time.Minute)
		n, err := f.store.PurgeExpired(ctx, f.store.Now())
		if err != nil || n != 2 {
			t.Fatalf("purged %d, %v; want 2", n, err)
		}
		if _, err := f.store.CheckToken(ctx, f.a.ID, account.PurposeVerify, live); err != nil {
			t.Fatalf("live token purged: %v", err)
		}
	})
}
