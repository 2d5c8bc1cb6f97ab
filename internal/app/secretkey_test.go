package app_test

import (
	"strings"
	"testing"

	"guichet/internal/app"
)

func TestWeakSecretKeysRefused(t *testing.T) {
	t.Parallel()
	weak := []string{
		strings.Repeat(" ", 32), strings.Repeat("a", 32), strings.Repeat("k", 40), strings.Repeat("e2e-secret-", 4),
		strings.Repeat("Mairie2026!", 3), "abcdefghijklmnopqrstuvwxyz0123456", "zyxwvutsrqponmlkjihgfedcbaZYXWVUTS",
		"aabbaabbaabbaabbabababbbaaabbbabababab", "Xq7!vR2#pL9@", // too short
	}
	for _, key := range weak {
		cfg := &app.Config{SecretKey: key}
		err := cfg.Finish()
		if err == nil {
			t.Errorf("key %q accepted", key)
			continue
		}
		if !strings.Contains(err.Error(), "head -c 32 /dev/urandom | base64") {
			t.Errorf("key %q: the message %q does not say how to make a key", key, err)
		}
	}
	strong := []string{
		"3J9vZ0mXr7Qe2LtWb5Hn8Kc1Yf4Dg6Sa", // random letters and digits
		"b4c1e07f9a3d26e85f1a7c9034de6b2a", // 32 random hexadecimal digits
		"wV2m/9Kx+QnE4rT7yLb0HcZ3dFj6sPa8uGk1oIe5NAM=",
		"correct horse battery staple mairie de montclair",
	}
	for _, key := range strong {
		if err := (&app.Config{SecretKey: key}).Finish(); err != nil {
			t.Errorf("key %q refused: %v", key, err)
		}
	}
}
