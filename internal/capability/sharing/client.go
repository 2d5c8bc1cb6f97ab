package sharing

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"syscall"
	"time"
)

// Limits of a call to a network: the whole call, and the answer read.
const (
	CallTimeout = 15 * time.Second
	MaxAnswer   = 1 << 20
)

// errPrivateAddress refuses a host name that resolves to a private,
// loopback or link-local address: a public name must lead to the Internet.
var errPrivateAddress = errors.New("sharing: the host resolves to a non-public address")

// NewClient returns the HTTP client of the networks' APIs: a time limit,
// no redirect followed, and every connection refused unless it goes to a
// public address (checked on the address dialled, after resolution, so
// that a name that resolves to the server's own network is refused too).
// loopback lets it reach 127.0.0.1, for tests only.
func NewClient(loopback bool) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return errPrivateAddress
		}
		a := ap.Addr().Unmap()
		if loopback && a.IsLoopback() {
			return nil
		}
		if !a.IsGlobalUnicast() || a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() {
			return errPrivateAddress
		}
		return nil
	}}
	tr := &http.Transport{DialContext: d.DialContext, TLSHandshakeTimeout: 5 * time.Second,
		ResponseHeaderTimeout: 10 * time.Second, MaxIdleConnsPerHost: 2, IdleConnTimeout: 30 * time.Second, Proxy: nil}
	return &http.Client{Transport: tr, Timeout: CallTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// APIError is a network's refusal.
type APIError struct {
	Status int
	// RetryAfter is how long a 429 asks to wait.
	RetryAfter time.Duration
}

func (e *APIError) Error() string { return "sharing: the network answered " + strconv.Itoa(e.Status) }

// Refused reports whether the network refused the account's secret.
func (e *APIError) Refused() bool {
	return e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden
}

// call sends a JSON body (nil: a GET) and decodes the JSON answer into out.
func (s *Store) call(ctx context.Context, method, url, bearer string, header map[string]string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(ctx, CallTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "Guichet (publication de la collectivité)")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := s.Client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, MaxAnswer))
	if err != nil {
		return err
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		e := &APIError{Status: res.StatusCode}
		if secs, err := strconv.Atoi(res.Header.Get("Retry-After")); err == nil && secs > 0 {
			e.RetryAfter = time.Duration(min(secs, 3600)) * time.Second
		}
		return e
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("sharing: the network's answer does not read: %w", err)
	}
	return nil
}

// base is the address of an account's API: https, or http on loopback
// when the tests allow it.
func (s *Store) base(a *Account) string {
	if s.Loopback {
		if h, _, err := net.SplitHostPort(a.Host); err == nil && (h == "127.0.0.1" || h == "::1") {
			return "http://" + a.Host
		}
	}
	return "https://" + a.Host
}
