package oidc

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"guichet/internal/kernel/tokens"
	"strings"
)

const sealedPrefix = "v1:"

// Sealer encrypts client secrets at rest with AES-256-GCM under a key
// derived from the server's secret key. Without a secret key (some tests,
// the demo) secrets are stored as given.
type Sealer struct{ aead cipher.AEAD }

// NewSealer derives the sealing key from secretKey; an empty key seals nothing.
func NewSealer(secretKey string) *Sealer {
	if secretKey == "" {
		return &Sealer{}
	}
	key := tokens.Key("oidc/client-secret", secretKey)
	block, err := aes.NewCipher(key[:])
	if err != nil {
		panic(err) // a 32-byte key is always accepted
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return &Sealer{aead: aead}
}

// Seal encrypts plain, bound to context (tenant and provider) so that a
// sealed value copied to another row does not open.
func (s *Sealer) Seal(plain, context string) string {
	if s.aead == nil || plain == "" {
		return plain
	}
	nonce := make([]byte, s.aead.NonceSize())
	_, _ = rand.Read(nonce)
	out := s.aead.Seal(nonce, nonce, []byte(plain), []byte(context))
	return sealedPrefix + base64.RawURLEncoding.EncodeToString(out)
}

// Open decrypts a value written by Seal; unsealed values pass through.
func (s *Sealer) Open(stored, context string) (string, error) {
	if !strings.HasPrefix(stored, sealedPrefix) {
		return stored, nil
	}
	if s.aead == nil {
		return "", errors.New("oidc: client secret is sealed but no secret key is configured")
	}
	raw, err := base64.RawURLEncoding.DecodeString(stored[len(sealedPrefix):])
	if err != nil || len(raw) < s.aead.NonceSize() {
		return "", errors.New("oidc: malformed sealed client secret")
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, raw[:n], raw[n:], []byte(context))
	if err != nil {
		return "", errors.New("oidc: client secret does not open with this secret key")
	}
	return string(plain), nil
}
