package fediverse

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// Client is the one way the fediverse reaches other servers: fetching a
// remote actor's document (its key, its inbox) and delivering activities.
// Both are server-side requests to addresses a stranger chose, so only
// https is used, never towards a private, loopback or link-local address
// (checked on the address actually dialled, redirects included), with a
// time limit and a size limit on what is read.
type Client struct {
	http *http.Client
	// loopback, when set, lets the client reach http on a loopback
	// address: tests only (AllowLoopback).
	loopback atomic.Bool
}

// Limits of a request to another server.
const (
	fetchTimeout = 10 * time.Second
	// maxDocument bounds an actor's or an object's document.
	maxDocument = 1 << 20
)

// ErrRefusedAddress is a request to an address the client does not reach.
var ErrRefusedAddress = errors.New("fediverse: address refused (https only, public addresses only)")

// NewClient returns a client that reaches public https addresses only.
func NewClient() *Client {
	c := &Client{}
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: c.control}
	transport := &http.Transport{
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: fetchTimeout,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       30 * time.Second,
		// No proxy from the environment: the dial check must see the
		// address really reached.
		Proxy: nil,
	}
	c.http = &http.Client{Transport: transport, Timeout: fetchTimeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 3 {
				return errors.New("fediverse: too many redirects")
			}
			return c.checkURL(req.URL)
		}}
	return c
}

// AllowLoopback lets the client reach http addresses on loopback: the
// tests' peers run there. Off by default; never for production.
func (c *Client) AllowLoopback(on bool) { c.loopback.Store(on) }

// LoopbackAllowed reports whether AllowLoopback is on.
func (c *Client) LoopbackAllowed() bool { return c.loopback.Load() }

// checkURL refuses what is not https (or http on loopback in tests).
func (c *Client) checkURL(u *url.URL) error {
	switch {
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && c.loopback.Load():
		return nil
	}
	return ErrRefusedAddress
}

// control refuses, at dial time, an address that is not public.
func (c *Client) control(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return ErrRefusedAddress
	}
	if PublicAddress(ip) || (c.loopback.Load() && ip.Unmap().IsLoopback()) {
		return nil
	}
	return ErrRefusedAddress
}

// PublicAddress reports whether ip may be reached on another server's
// behalf: not loopback, private, link-local, multicast, unspecified,
// nor in the ranges reserved for documentation, CGNAT or benchmarks.
func PublicAddress(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	for _, p := range reserved {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

var reserved = func() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range []string{"0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15",
		"198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001:db8::/32", "fc00::/7"} {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}()

// activityTypes are the media types of ActivityPub documents.
const (
	ActivityJSON = "application/activity+json"
	LDJSON       = `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`
)

// StatusError is another server's answer that was not a success.
type StatusError struct{ Status int }

func (e *StatusError) Error() string {
	return fmt.Sprintf("fediverse: the server answered %d", e.Status)
}

// Gone reports whether the server says the resource is gone for good.
func (e *StatusError) Gone() bool { return e.Status == http.StatusGone }

// Fetch reads a JSON-LD document at rawURL (an actor, a key, a note).
func (c *Client) Fetch(ctx context.Context, rawURL string) (map[string]any, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return nil, ErrRefusedAddress
	}
	if err := c.checkURL(u); err != nil {
		return nil, err
	}
	u.Fragment = ""
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", ActivityJSON+", "+LDJSON)
	req.Header.Set("User-Agent", userAgent)
	res, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 4096))
		return nil, &StatusError{Status: res.StatusCode}
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, maxDocument+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxDocument {
		return nil, errors.New("fediverse: document too large")
	}
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("fediverse: document: %w", err)
	}
	return doc, nil
}

// userAgent names Guichet to the servers it reaches.
const userAgent = "Guichet (ActivityPub; +https://guichet.localhost)"

// Post delivers a signed activity to an inbox, signed with key as keyID
// at now.
func (c *Client) Post(ctx context.Context, inbox string, body []byte, keyID string, key *rsa.PrivateKey, now time.Time) error {
	u, err := url.Parse(inbox)
	if err != nil || u.Host == "" {
		return ErrRefusedAddress
	}
	if err := c.checkURL(u); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", ActivityJSON)
	req.Header.Set("Accept", ActivityJSON)
	req.Header.Set("User-Agent", userAgent)
	if err := Sign(req, body, keyID, key, now); err != nil {
		return err
	}
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return &StatusError{Status: res.StatusCode}
	}
	return nil
}

// reservedHost reports whether a host name belongs to the names kept for
// documentation and tests (RFC 2606, RFC 6761): the demo's made-up
// followers live there, and nothing is ever delivered to them.
func reservedHost(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if name, _, err := net.SplitHostPort(h); err == nil {
		h = name
	}
	for _, tld := range []string{"example", "test", "invalid", "localhost"} {
		if h == tld || strings.HasSuffix(h, "."+tld) {
			return true
		}
	}
	for _, d := range []string{"example.org", "example.com", "example.net"} {
		if h == d || strings.HasSuffix(h, "."+d) {
			return true
		}
	}
	return false
}
