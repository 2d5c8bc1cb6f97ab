package account_test

import (
	"strings"
	"testing"

	"guichet"
	"guichet/internal/account"
)

func TestValidatePassword(t *testing.T) {
	cases := []struct {
		name, password, email string
		ok                    bool
	}{
		{"empty", "", "a@b.fr", false},
		{"12 chars, 4 classes", "Tr4in!Bleu#9", "a@b.fr", true},
		{"11 chars, 4 classes", "Tr4in!Bleu#", "a@b.fr", false},
		{"14 chars, upper lower digit", "Bateau7Rouge3x", "a@b.fr", true},
		{"13 chars, upper lower digit", "Bateau7Rouge3", "a@b.fr", false},
		{"17 lower case letters", "abcdefghijklmnopq", "a@b.fr", true},
		{"16 lower case letters", "abcdefghijklmnop", "a@b.fr", false},
		{"24 digits", "123456789012345678901234", "a@b.fr", true},
		{"accented letters count as letters", "Éléphant7Rosé3x", "a@b.fr", true},
		{"contains the email's local part", "Xx-camille.durand-42", "Camille.Durand@exemple.fr", false},
		{"contains it in another case", "XX-CAMILLE.DURAND-42", "camille.durand@exemple.fr", false},
		{"short local part is not checked", "Tr4in!Bleu#9ab", "ab@exemple.fr", true},
		{"too long", strings.Repeat("Ab1!", 65), "a@b.fr", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := account.ValidatePassword(c.password, c.email)
			if c.ok && err != nil {
				t.Fatalf("refused: %v (entropy %d)", err, account.PasswordEntropy(c.password))
			}
			if !c.ok {
				if err == nil {
					t.Fatalf("accepted (entropy %d)", account.PasswordEntropy(c.password))
				}
				var e *guichet.Error
				if guichet.ErrorCode(err) != guichet.EInvalid || !asError(err, &e) || e.Fields["password"] == "" {
					t.Fatalf("want EInvalid on field password, got %#v", err)
				}
			}
		})
	}
}

func TestPasswordEntropy(t *testing.T) {
	cases := []struct {
		password string
		bits     int
	}{
		{"", 0},
		{"aaaa", 19},           // 4 × log2(26) = 18.8
		{"Aa1!Aa1!Aa1!", 80},   // 12 × log2(99) = 79.55, rounded as the CNIL does
		{"Aa1Aa1Aa1Aa1Aa", 83}, // 14 × log2(62) = 83.4
	}
	for _, c := range cases {
		if got := account.PasswordEntropy(c.password); got != c.bits {
			t.Errorf("PasswordEntropy(%q) = %d, want %d", c.password, got, c.bits)
		}
	}
}

func TestHashPassword(t *testing.T) {
	h, err := account.HashPassword("Tr4in!Bleu#9")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q does not carry the OWASP parameters", h)
	}
	h2, _ := account.HashPassword("Tr4in!Bleu#9")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	for _, c := range []struct {
		hash, password string
		want           bool
		wantErr        bool
	}{
		{h, "Tr4in!Bleu#9", true, false},
		{h, "Tr4in!Bleu#8", false, false},
		{h2, "Tr4in!Bleu#9", true, false},
		{"$argon2id$v=19$m=19456,t=2,p=1$bad", "x", false, true},
		{"$2a$10$notargon", "x", false, true},
	} {
		got, err := account.CheckPassword(c.hash, c.password)
		if got != c.want || (err != nil) != c.wantErr {
			t.Errorf("CheckPassword(%q, %q) = %v, %v", c.hash, c.password, got, err)
		}
	}
}
