// Package tokens makes the secrets carried by emailed links, cookies and
// sign-in flows, and the hash the database keeps of each, so that a
// leaked table grants nothing.
package tokens

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// New returns size random bytes, URL-safe encoded without padding.
func New(size int) string {
	b := make([]byte, size)
	_, _ = rand.Read(b) // crypto/rand never returns an error (it aborts the program instead)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Hash is what the database keeps of a token: its SHA-256, in hex.
func Hash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Key derives the key of one purpose ("mail/outbox", "staff/totp"…) from
// the server's secret key, so that no two uses share a key and changing the
// secret key changes them all.
func Key(purpose, secretKey string) [32]byte {
	return sha256.Sum256([]byte("guichet/" + purpose + "\x00" + secretKey))
}
