package sharing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/jobs"
)

// DeliverArgs is the job that sends one post.
type DeliverArgs struct {
	TenantID string `json:"tenant_id"`
	PostID   string `json:"post_id"`
}

// Kind implements river.JobArgs.
func (DeliverArgs) Kind() string { return "sharing_deliver" }

// UseQueue registers the delivery worker; posts are then sent through q.
func (s *Store) UseQueue(q *jobs.Queue) error {
	s.jobs = q
	return jobs.AddFunc(q, func(ctx context.Context, job *river.Job[DeliverArgs]) error {
		last := job.Attempt >= job.MaxAttempts
		err := s.Deliver(ctx, job.Args.TenantID, job.Args.PostID, last)
		var wait *waitError
		if errors.As(err, &wait) {
			return river.JobSnooze(wait.after)
		}
		return err
	})
}

// deliverTx queues the job that sends a post, in the post's transaction.
// Without a queue (a store alone, in its tests) the caller delivers.
func (s *Store) deliverTx(ctx context.Context, tx *db.Tx, tenantID, postID string) error {
	if s.jobs == nil {
		return nil
	}
	if _, err := s.jobs.InsertTx(ctx, tx, DeliverArgs{TenantID: tenantID, PostID: postID}, nil); err != nil {
		return fmt.Errorf("sharing: queue post: %w", err)
	}
	return nil
}

// waitError asks the queue to try again later without counting an
// attempt: the network limited our calls (429).
type waitError struct{ after time.Duration }

func (e *waitError) Error() string { return "sharing: rate limited, waiting " + e.after.String() }

// French states of a failed attempt, shown on the queue page.
const (
	errRefused   = "Le réseau a refusé le jeton ou le mot de passe d'application : enregistrez-en un nouveau."
	errRejected  = "Le réseau a refusé la publication."
	errNetwork   = "Le réseau n'a pas répondu ; un nouvel essai est prévu."
	errGaveUp    = "Le réseau n'a pas répondu après plusieurs essais."
	errHeldToken = "En attente d'un nouveau jeton pour ce compte."
)

// Deliver sends one queued post. A refused secret marks the account as
// needing a new one and holds its queue (the posts stay queued and leave
// when it is saved); a 429 asks to wait; a failure the network may get
// over is an error, which the queue retries with backoff, and on the
// last attempt the post is marked failed. A demonstration address is
// never called.
func (s *Store) Deliver(ctx context.Context, tenantID, postID string, last bool) error {
	p, err := s.Post(ctx, tenantID, postID)
	if errors.Is(err, ErrNotFound) {
		return nil // deleted with its account
	}
	if err != nil {
		return err
	}
	if p.Status != Queued {
		return nil
	}
	a, err := s.Account(ctx, tenantID, p.AccountID)
	if err != nil {
		return err
	}
	switch {
	case a.Status == NeedsToken:
		return s.setPost(ctx, tenantID, p.ID, Queued, errHeldToken, "")
	case a.Demo():
		return s.setPost(ctx, tenantID, p.ID, Failed, DemoRefusal, "")
	}
	secret, err := s.secret(ctx, tenantID, a.ID)
	if err != nil {
		return s.setPost(ctx, tenantID, p.ID, Failed, errSealed.Message, "")
	}
	remote, err := s.send(ctx, a, secret, p)
	if err == nil {
		return s.setPost(ctx, tenantID, p.ID, Sent, "", remote)
	}
	var api *APIError
	switch {
	case errors.As(err, &api) && api.Refused():
		if err := s.setAccountState(ctx, tenantID, a.ID, NeedsToken, errRefused); err != nil {
			return err
		}
		return s.setPost(ctx, tenantID, p.ID, Queued, errHeldToken, "")
	case errors.As(err, &api) && api.Status == 429:
		return &waitError{after: max(api.RetryAfter, time.Minute)}
	case errors.As(err, &api) && api.Status >= 400 && api.Status < 500:
		return s.setPost(ctx, tenantID, p.ID, Failed, errRejected, "")
	case last:
		return s.setPost(ctx, tenantID, p.ID, Failed, errGaveUp, "")
	}
	if err := s.setPost(ctx, tenantID, p.ID, Queued, errNetwork, ""); err != nil {
		return err
	}
	return err
}

func (s *Store) send(ctx context.Context, a *Account, secret string, p *Post) (string, error) {
	if a.Network == Bluesky {
		return s.blueskyPost(ctx, a, secret, p)
	}
	return s.mastodonPost(ctx, a, secret, p)
}

// Check tests an account's connection with its saved secret and records
// what it found: the account's name, or why it failed.
func (s *Store) Check(ctx context.Context, tenantID, id string) (string, error) {
	a, err := s.Account(ctx, tenantID, id)
	if err != nil {
		return "", err
	}
	msg, status := s.check(ctx, a)
	return msg, s.setAccountState(ctx, tenantID, id, status, msg)
}

func (s *Store) check(ctx context.Context, a *Account) (msg, status string) {
	if a.Demo() {
		return DemoRefusal, a.Status
	}
	secret, err := s.secret(ctx, a.TenantID, a.ID)
	if err != nil {
		return errSealed.Message, NeedsToken
	}
	name := a.Handle
	if a.Network == Bluesky {
		_, _, err = s.blueskySession(ctx, a, secret)
	} else {
		name, err = s.mastodonCheck(ctx, a, secret)
	}
	var api *APIError
	switch {
	case err == nil:
		return fmt.Sprintf("Connexion réussie : compte @%s.", name), Active
	case errors.As(err, &api) && api.Refused():
		return errRefused, NeedsToken
	default:
		return "La connexion a échoué : le serveur n'a pas répondu comme prévu.", a.Status
	}
}
