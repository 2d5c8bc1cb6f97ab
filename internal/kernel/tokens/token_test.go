package tokens

import (
	"encoding/base64"
	"encoding/hex"
	"testing"
)

// The hashes already stored by every domain must keep matching their links.
func TestHashIsSHA256InHex(t *testing.T) {
	t.Parallel()
	const want = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" // SHA-256 of "abc"
	if got := Hash("abc"); got != want {
		t.Errorf("Hash(abc) = %s, want %s", got, want)
	}
}

func TestNewIsURLSafeRandomOfItsSize(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 100 {
		tok := New(24)
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || len(raw) != 24 {
			t.Fatalf("New(24) = %q: %d bytes, %v", tok, len(raw), err)
		}
		if seen[tok] {
			t.Fatalf("New(24) gave %q twice", tok)
		}
		seen[tok] = true
	}
}

// Keys sealed data already depends on must stay the same.
func TestKeyOfAPurpose(t *testing.T) {
	t.Parallel()
	const want = "bd31e48ebf7f9f15cc4b81512656045128a26621eb535d354354b8bcc119cbe3" // SHA-256 of "guichet/mail/outbox\x00une clé"
	if k := Key("mail/outbox", "une clé"); hex.EncodeToString(k[:]) != want {
		t.Errorf("Key(mail/outbox) = %x, want %s", k, want)
	}
	if Key("mail/outbox", "une clé") == Key("staff/totp", "une clé") {
		t.Error("two purposes share a key")
	}
}
