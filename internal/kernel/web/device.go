package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"slices"
	"strings"

	"guichet/internal/identity/account"
	"guichet/internal/kernel/tenant"
	"guichet/internal/kernel/tokens"
)

// DeviceCookie remembers the accounts a browser signed in to, so that
// failed sign-ins from elsewhere do not lock that browser out (the
// per-account limit holds only against unknown browsers). It holds a MAC
// of each account's collectivité and address, never the address itself.
const DeviceCookie = "guichet_appareil"

const (
	deviceMax    = 5                  // accounts one browser remembers
	deviceMaxAge = 365 * 24 * 60 * 60 // seconds
)

// SetDeviceKey sets the key of the device cookie's MACs, derived from the
// server's secret key; unset, no browser is remembered.
func (s *Server) SetDeviceKey(secretKey string) {
	k := tokens.Key("web/device", secretKey)
	s.deviceKey = k[:]
}

// deviceToken is the cookie's mark for the account of email on r's
// collectivité: 128 bits of HMAC-SHA-256.
func (s *Server) deviceToken(r *http.Request, email string) string {
	m := hmac.New(sha256.New, s.deviceKey)
	if t := tenant.FromContext(r.Context()); t != nil {
		m.Write([]byte(t.ID))
	}
	m.Write([]byte{0})
	m.Write([]byte(strings.ToLower(strings.TrimSpace(email))))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

func deviceTokens(r *http.Request) []string {
	c, err := r.Cookie(DeviceCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	return strings.Split(c.Value, ".")
}

// knownDevice reports whether r comes from the signed-in owner of email,
// or from a browser that signed in to that account before.
func (s *Server) knownDevice(r *http.Request, email string) bool {
	if email == "" {
		return false
	}
	if id := account.FromContext(r.Context()); id != nil && strings.EqualFold(id.Email, strings.TrimSpace(email)) {
		return true
	}
	if s.deviceKey == nil {
		return false
	}
	want := s.deviceToken(r, email)
	return slices.ContainsFunc(deviceTokens(r), func(t string) bool { return hmac.Equal([]byte(t), []byte(want)) })
}

// RememberDevice marks the browser as one the account of email signed in
// from (after a right password, a reset link or an invitation), newest
// first, forgetting the oldest past deviceMax accounts.
func (s *Server) RememberDevice(w http.ResponseWriter, r *http.Request, email string) {
	if s.deviceKey == nil {
		return
	}
	tok := s.deviceToken(r, email)
	tokens := []string{tok}
	for _, t := range deviceTokens(r) {
		if t != tok && len(tokens) < deviceMax && t != "" {
			tokens = append(tokens, t)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: DeviceCookie, Value: strings.Join(tokens, "."), Path: "/",
		MaxAge: deviceMaxAge, HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
}
