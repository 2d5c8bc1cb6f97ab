package sharing

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"strings"

	"guichet"
	"guichet/internal/kernel/tokens"
)

// sealer encrypts the accounts' secrets at rest with AES-GCM under a key
// derived from the server's secret key, each bound to its account so that
// a sealed secret copied to another row does not open.
type sealer struct{ key [32]byte }

func newSealer(secretKey string) sealer {
	return sealer{key: tokens.Key("sharing/accounts", secretKey)}
}

const sealedPrefix = "v1:"

// errSealed means a secret cannot be opened, typically after the
// server's key changed: the administrator saves it again.
var errSealed = guichet.Errorf(guichet.EInvalid, "Le secret enregistré ne peut plus être lu : enregistrez-le de nouveau.")

func (s sealer) seal(plain, tenantID, id string) string {
	aead := s.aead()
	nonce := make([]byte, aead.NonceSize())
	_, _ = rand.Read(nonce)
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(aead.Seal(nonce, nonce, []byte(plain), []byte(tenantID+"/"+id)))
}

func (s sealer) open(stored, tenantID, id string) (string, error) {
	raw, ok := strings.CutPrefix(stored, sealedPrefix)
	if !ok {
		return "", errSealed
	}
	b, err := base64.RawStdEncoding.DecodeString(raw)
	aead := s.aead()
	if err != nil || len(b) < aead.NonceSize() {
		return "", errSealed
	}
	plain, err := aead.Open(nil, b[:aead.NonceSize()], b[aead.NonceSize():], []byte(tenantID+"/"+id))
	if err != nil {
		return "", errSealed
	}
	return string(plain), nil
}

func (s sealer) aead() cipher.AEAD {
	block, err := aes.NewCipher(s.key[:])
	if err != nil {
		panic(err) // a 32-byte key is always valid
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return aead
}
