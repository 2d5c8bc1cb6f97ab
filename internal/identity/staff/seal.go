package staff

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
)

// seal encrypts a TOTP secret with AES-GCM, bound to its owner so that a
// sealed value copied to another row does not open.
func (s *Store) seal(secret, tenantID, userID string) (string, error) {
	aead, err := s.aead()
	if err != nil {
		return "", err
	}
	nonce := make([]byte, aead.NonceSize())
	_, _ = rand.Read(nonce)
	out := aead.Seal(nonce, nonce, []byte(secret), []byte(tenantID+"/"+userID))
	return "v1:" + base64.RawStdEncoding.EncodeToString(out), nil
}

// errSealed means a secret cannot be opened, typically after the server
// key changed: the member must enrol again.
var errSealed = errors.New("staff: TOTP secret cannot be opened with this server key")

func (s *Store) open(sealed, tenantID, userID string) (string, error) {
	raw, ok := strings.CutPrefix(sealed, "v1:")
	if !ok {
		return "", errSealed
	}
	b, err := base64.RawStdEncoding.DecodeString(raw)
	if err != nil {
		return "", errSealed
	}
	aead, err := s.aead()
	if err != nil {
		return "", err
	}
	if len(b) < aead.NonceSize() {
		return "", errSealed
	}
	plain, err := aead.Open(nil, b[:aead.NonceSize()], b[aead.NonceSize():], []byte(tenantID+"/"+userID))
	if err != nil {
		return "", errSealed
	}
	return string(plain), nil
}

func (s *Store) aead() (cipher.AEAD, error) {
	block, err := aes.NewCipher(s.key[:])
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
