package oidc

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"slices"
	"testing"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-jose/go-jose/v4"
)

// FuzzUserinfo checks the signed userinfo a provider answers (FranceConnect
// v2): a token changed anywhere after signing never yields other claims
// than those signed, and the claims accepted name the person of the ID
// token and, when present, this provider and this client, unexpired.
func FuzzUserinfo(f *testing.F) {
	f.Add([]byte(`{"sub":"b6048e95bb134ec5b1d1e1fa69f287172e91722b9354d637a1bcf2ebb0fd2ef5v1","given_name":"Angela Claire Louise",`+
		`"family_name":"DUBOIS","email":"angela.dubois@example.fr","iss":"https://fc.example","aud":"guichet-montclair","exp":1900000000}`), uint16(0), []byte{})
	f.Add([]byte(`{"sub":"b6048e95","aud":["autre","guichet-montclair"]}`), uint16(20), []byte("A"))
	f.Add([]byte(`{"sub":"b6048e95","aud":["autre"]}`), uint16(0), []byte(`eyJhbGciOiJub25lIn0`))
	f.Add([]byte(`{"sub":"b6048e95","iss":"https://pirate.example","exp":1}`), uint16(200), []byte("."))
	f.Add([]byte(`{"sub":"b6048e95","aud":{"x":1},"exp":"demain"}`), uint16(5), []byte("\x00"))
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: key}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		f.Fatal(err)
	}
	s := &Service{}
	m := &metadata{keys: &gooidc.StaticKeySet{PublicKeys: []crypto.PublicKey{key.Public()}}, infoAlgs: []string{"ES256"}}
	p := &Provider{Issuer: "https://fc.example", ClientID: "guichet-montclair"}
	now := time.Unix(1800000000, 0)
	f.Fuzz(func(t *testing.T, payload []byte, at uint16, patch []byte) {
		jws, err := signer.Sign(payload)
		if err != nil {
			t.Fatal(err)
		}
		token, err := jws.CompactSerialize()
		if err != nil {
			t.Fatal(err)
		}
		cut := int(at) % (len(token) + 1)
		changed := token[:cut] + string(patch) + token[min(len(token), cut+len(patch)):]
		body, err := s.verifyUserinfo(context.Background(), m, changed)
		if err != nil {
			if changed == token {
				t.Fatalf("the token as signed is refused: %v", err)
			}
			return
		}
		if !bytes.Equal(body, payload) {
			t.Fatalf("%q accepted with claims %q, signed %q", changed, body, payload)
		}
		c, err := readUserinfo(body, p, "b6048e95", true, now)
		if err != nil {
			return
		}
		var raw map[string]any
		if err := json.Unmarshal(body, &raw); err != nil {
			t.Fatalf("claims accepted from %q: %v", body, err)
		}
		if c.Subject != "b6048e95" || raw["sub"] != "b6048e95" {
			t.Fatalf("claims of %q accepted for another person: %+v", body, c)
		}
		if iss, ok := raw["iss"]; ok && iss != nil && iss != "" && iss != p.Issuer {
			t.Fatalf("claims issued by %v accepted", iss)
		}
		switch aud := raw["aud"].(type) {
		case nil:
		case string:
			if aud != p.ClientID {
				t.Fatalf("claims for %q accepted", aud)
			}
		case []any:
			if !slices.Contains(aud, any(p.ClientID)) {
				t.Fatalf("claims for %v accepted", aud)
			}
		default:
			t.Fatalf("claims with audience %v accepted", aud)
		}
		if exp, ok := raw["exp"].(float64); ok && int64(exp) < now.Unix() {
			t.Fatalf("claims expired at %v accepted at %v", exp, now.Unix())
		}
	})
}
