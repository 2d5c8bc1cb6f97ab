package mail

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"guichet/internal/kernel/tokens"
	"strings"
)

// sealer encrypts the outbox's bodies at rest (the template data, which
// holds reset, verification, manage and access links, and the
// attachments) with AES-GCM under a key derived from the server's secret
// key: a reader of the database alone gets no usable link.
type sealer struct{ key [32]byte }

func newSealer(secretKey string) *sealer {
	return &sealer{key: tokens.Key("mail/outbox", secretKey)}
}

// sealedPrefix marks a sealed value; older rows hold plain JSON.
const sealedPrefix = "v1:"

// errSealed means a body cannot be opened, typically after the server key
// changed.
var errSealed = errors.New("mail: message body cannot be opened with this server key")

// seal encrypts plain, bound to its message so that a sealed body copied
// to another row does not open. An empty body stays empty.
func (s *sealer) seal(plain, tenantID, id string) string {
	if plain == "" {
		return ""
	}
	aead := s.aead()
	nonce := make([]byte, aead.NonceSize())
	_, _ = rand.Read(nonce)
	out := aead.Seal(nonce, nonce, []byte(plain), []byte(tenantID+"/"+id))
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(out)
}

// open decrypts a sealed body; a plain one (written before bodies were
// sealed) is returned as it is.
func (s *sealer) open(stored, tenantID, id string) (string, error) {
	raw, ok := strings.CutPrefix(stored, sealedPrefix)
	if !ok {
		return stored, nil
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

func (s *sealer) aead() cipher.AEAD {
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
