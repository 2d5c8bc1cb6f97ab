package account_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/mail"
)

// The accounts' emails render in every language, link to the site they
// were asked from with a token that works once, and name the person only
// at a proven address.
func TestAccountMails(t *testing.T) {
	t.Parallel()
	tpl := mail.NewTemplates()
	if err := tpl.Add("accounts", account.MailFiles()); err != nil {
		t.Fatal(err)
	}
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		box := &outbox{}
		mails := account.NewMails(f.store, box)
		u := f.register(t, f.a, "camille@exemple.fr")
		const site = "https://alpha.test:8443"
		token := func(link, path string) string {
			t.Helper()
			rest, ok := strings.CutPrefix(link, site+path+"?jeton=")
			if !ok {
				t.Fatalf("link %q, want %s%s?jeton=…", link, site, path)
			}
			tok, err := url.QueryUnescape(rest)
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
		if err := mails.SendVerification(ctx, u, site); err != nil {
			t.Fatal(err)
		}
		if err := mails.SendAlreadyRegistered(ctx, u, site); err != nil {
			t.Fatal(err)
		}
		if err := f.store.MarkEmailVerified(ctx, f.a.ID, u.ID); err != nil {
			t.Fatal(err)
		}
		u, _ = f.store.Get(ctx, f.a.ID, u.ID)
		if err := mails.SendReset(ctx, u, site); err != nil {
			t.Fatal(err)
		}
		if len(box.msgs) != 3 {
			t.Fatalf("sent %d emails", len(box.msgs))
		}
		verify, already, reset := box.msgs[0], box.msgs[1], box.msgs[2]
		if verify.Template != "accounts/verify" || verify.To != u.Email || verify.Data["Name"] != "" {
			t.Fatalf("verification %+v: an unproven address gets no name", verify)
		}
		if id, err := f.store.CheckToken(ctx, f.a.ID, account.PurposeVerify, token(verify.Data["Link"].(string), "/compte/verification")); err != nil || id != u.ID {
			t.Fatalf("the verification link: %q %v", id, err)
		}
		if already.Template != "accounts/already_registered" || already.Data["SignInLink"] != site+"/connexion" ||
			already.Data["ResetLink"] != site+"/mot-de-passe-oublie" {
			t.Fatalf("already registered %+v", already)
		}
		if reset.Template != "accounts/reset" || reset.Data["Name"] != "Camille Martin" {
			t.Fatalf("reset %+v: a proven address is named", reset)
		}
		if id, err := f.store.CheckToken(ctx, f.a.ID, account.PurposeReset, token(reset.Data["Link"].(string), "/mot-de-passe/nouveau")); err != nil || id != u.ID {
			t.Fatalf("the reset link: %q %v", id, err)
		}
		for _, m := range box.msgs {
			for _, lang := range []string{"fr", "en"} {
				data := map[string]any{"TenantName": f.a.Name}
				for k, v := range m.Data {
					data[k] = v
				}
				if _, err := tpl.Render(m.Template, lang, data); err != nil {
					t.Errorf("%s in %s: %v", m.Template, lang, err)
				}
			}
		}
	})
}
