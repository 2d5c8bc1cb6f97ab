package fediverse

import (
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-fed/httpsig"
)

// HTTP signatures, as Mastodon and Fedify exchange them: the draft-cavage
// "Signature" header over (request-target), host, date and, with a body,
// digest (SHA-256 of the body), signed with the actor's RSA key.

// signedHeaders are what every request we send signs.
var signedHeaders = []string{httpsig.RequestTarget, "host", "date", "digest"}

// Clock skew Mastodon accepts: a signature dated up to 12 hours ago, or
// an hour ahead.
const (
	maxSignatureAge    = 12 * time.Hour
	maxSignatureFuture = time.Hour
)

// Sign adds Date, Digest and Signature to req, whose body is body.
func Sign(req *http.Request, body []byte, keyID string, key *rsa.PrivateKey, now time.Time) error {
	req.Header.Set("Date", now.UTC().Format(http.TimeFormat))
	req.Header.Set("Host", req.URL.Host)
	headers := signedHeaders
	if body == nil {
		headers = headers[:3]
	}
	signer, _, err := httpsig.NewSigner([]httpsig.Algorithm{httpsig.RSA_SHA256}, httpsig.DigestSha256, headers, httpsig.Signature, 0)
	if err != nil {
		return err
	}
	if err := signer.SignRequest(key, keyID, req, body); err != nil {
		return fmt.Errorf("fediverse: sign: %w", err)
	}
	req.Header.Del("Host") // net/http sends req.Host, the same name
	return nil
}

// Signed is what a verified request's signature says: the key that
// signed it.
type Signed struct {
	KeyID string
}

// ErrUnsigned refuses a request whose signature is missing or wrong.
var ErrUnsigned = errors.New("fediverse: missing or invalid HTTP signature")

// KeyLookup returns the public key of keyID (fresh asks to fetch it
// again rather than use a kept copy).
type KeyLookup func(keyID string, fresh bool) (*rsa.PublicKey, error)

// Verify checks req's signature over its body at now: the headers signed
// include (request-target), host, date and digest; the date is within
// Mastodon's skew; the digest is the body's; the signature verifies with
// the key lookup returns (fetched again once when it does not, for a
// key that changed).
func Verify(req *http.Request, body []byte, now time.Time, lookup KeyLookup) (Signed, error) {
	v, err := httpsig.NewVerifier(req)
	if err != nil {
		return Signed{}, fmt.Errorf("%w: %v", ErrUnsigned, err)
	}
	covered := signedList(req.Header.Get("Signature"))
	for _, h := range []string{httpsig.RequestTarget, "host", "date"} {
		if !slices.Contains(covered, h) {
			return Signed{}, fmt.Errorf("%w: %s not signed", ErrUnsigned, h)
		}
	}
	if len(body) > 0 || req.Method == http.MethodPost {
		if !slices.Contains(covered, "digest") {
			return Signed{}, fmt.Errorf("%w: digest not signed", ErrUnsigned)
		}
		if !digestMatches(req.Header.Get("Digest"), body) {
			return Signed{}, fmt.Errorf("%w: digest does not match the body", ErrUnsigned)
		}
	}
	date, err := http.ParseTime(req.Header.Get("Date"))
	if err != nil {
		return Signed{}, fmt.Errorf("%w: bad date", ErrUnsigned)
	}
	if date.Before(now.Add(-maxSignatureAge)) || date.After(now.Add(maxSignatureFuture)) {
		return Signed{}, fmt.Errorf("%w: date out of the accepted window", ErrUnsigned)
	}
	keyID := v.KeyId()
	for _, fresh := range []bool{false, true} {
		pub, err := lookup(keyID, fresh)
		if err != nil {
			return Signed{}, err
		}
		if err := v.Verify(pub, httpsig.RSA_SHA256); err == nil {
			return Signed{KeyID: keyID}, nil
		}
	}
	return Signed{}, fmt.Errorf("%w: the signature does not verify", ErrUnsigned)
}

// signedList returns the headers a Signature header says it covers.
func signedList(sig string) []string {
	for part := range strings.SplitSeq(sig, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok && k == "headers" {
			return strings.Fields(strings.ToLower(strings.Trim(v, `"`)))
		}
	}
	return []string{"date"} // the draft's default
}

// digestMatches checks a Digest header ("SHA-256=…", maybe among others)
// against body.
func digestMatches(header string, body []byte) bool {
	sum := sha256.Sum256(body)
	want := base64.StdEncoding.EncodeToString(sum[:])
	for part := range strings.SplitSeq(header, ",") {
		alg, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok && strings.EqualFold(alg, "SHA-256") && val == want {
			return true
		}
	}
	return false
}

// ParsePublicKey reads a PEM public key (PKIX or PKCS #1) as RSA.
func ParsePublicKey(pemText string) (*rsa.PublicKey, error) {
	block, _ := pem.Decode([]byte(strings.TrimSpace(pemText)))
	if block == nil {
		return nil, errors.New("fediverse: no PEM key")
	}
	if k, err := x509.ParsePKIXPublicKey(block.Bytes); err == nil {
		if rk, ok := k.(*rsa.PublicKey); ok {
			return rk, nil
		}
		return nil, errors.New("fediverse: key is not RSA")
	}
	return x509.ParsePKCS1PublicKey(block.Bytes)
}
