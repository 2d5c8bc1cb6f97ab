package sharing

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// mastodonPost sends a status (POST /api/v1/statuses). The post's id is
// the Idempotency-Key, so that a retry after a lost answer does not
// publish twice. It returns the status's address.
func (s *Store) mastodonPost(ctx context.Context, a *Account, token string, p *Post) (string, error) {
	var out struct {
		URL string `json:"url"`
	}
	body := map[string]any{"status": p.Text, "visibility": "public", "language": "fr"}
	if err := s.call(ctx, http.MethodPost, s.base(a)+"/api/v1/statuses", token,
		map[string]string{"Idempotency-Key": p.ID}, body, &out); err != nil {
		return "", err
	}
	return out.URL, nil
}

// mastodonCheck verifies the token (GET /api/v1/accounts/verify_credentials)
// and returns the account's name.
func (s *Store) mastodonCheck(ctx context.Context, a *Account, token string) (string, error) {
	var out struct {
		Acct string `json:"acct"`
	}
	if err := s.call(ctx, http.MethodGet, s.base(a)+"/api/v1/accounts/verify_credentials", token, nil, nil, &out); err != nil {
		return "", err
	}
	return out.Acct, nil
}

// blueskySession opens a session with the app password
// (com.atproto.server.createSession).
func (s *Store) blueskySession(ctx context.Context, a *Account, password string) (jwt, did string, err error) {
	var out struct {
		AccessJwt string `json:"accessJwt"`
		DID       string `json:"did"`
	}
	err = s.call(ctx, http.MethodPost, s.base(a)+"/xrpc/com.atproto.server.createSession", "", nil,
		map[string]string{"identifier": a.Handle, "password": password}, &out)
	return out.AccessJwt, out.DID, err
}

// blueskyPost opens a session and writes an app.bsky.feed.post record
// (com.atproto.repo.createRecord) whose link is a facet, so that it is
// clickable; it returns the post's address on bsky.app.
func (s *Store) blueskyPost(ctx context.Context, a *Account, password string, p *Post) (string, error) {
	jwt, did, err := s.blueskySession(ctx, a, password)
	if err != nil {
		return "", err
	}
	record := map[string]any{"$type": "app.bsky.feed.post", "text": p.Text, "langs": []string{"fr"},
		"createdAt": s.now().Format(time.RFC3339)}
	if i := strings.LastIndex(p.Text, p.Link); p.Link != "" && i >= 0 {
		record["facets"] = []any{map[string]any{
			"index":    map[string]int{"byteStart": i, "byteEnd": i + len(p.Link)},
			"features": []any{map[string]string{"$type": "app.bsky.richtext.facet#link", "uri": p.Link}},
		}}
	}
	var out struct {
		URI string `json:"uri"`
	}
	if err := s.call(ctx, http.MethodPost, s.base(a)+"/xrpc/com.atproto.repo.createRecord", jwt, nil,
		map[string]any{"repo": did, "collection": "app.bsky.feed.post", "record": record}, &out); err != nil {
		return "", err
	}
	// at://did/app.bsky.feed.post/rkey → https://bsky.app/profile/handle/post/rkey
	rkey := out.URI[strings.LastIndexByte(out.URI, '/')+1:]
	return "https://bsky.app/profile/" + url.PathEscape(a.Handle) + "/post/" + url.PathEscape(rkey), nil
}
