package oidc

import (
	"context"
	"errors"
	"net/http"
	"time"

	"guichet"
	"guichet/internal/identity/account"
	"guichet/internal/kernel/invalidate"
)

// flowTTL is how long a person has to sign in at the provider.
const flowTTL = 10 * time.Minute

// Users is what the sign-in needs from the account store.
type Users interface {
	Get(ctx context.Context, tenantID, userID string) (*account.User, error)
	ByEmail(ctx context.Context, tenantID, email string) (*account.User, error)
	CreateVerified(ctx context.Context, tenantID, email, name string) (*account.User, error)
}

// Service runs sign-ins with the providers configured in a Store.
type Service struct {
	Store *Store
	users Users
	http  *http.Client
	disco *discoveryCache
}

// NewService returns a service; client makes the calls to providers (nil
// for a default one with a 10-second timeout).
func NewService(store *Store, users Users, client *http.Client) *Service {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	disco := &discoveryCache{client: client, byURL: map[string]*metadata{}}
	store.Changes().Register(invalidate.Cache{Name: "oidc-discovery", Holds: []invalidate.Kind{invalidate.OIDCProvider},
		TTL: discoveryTTL, Drop: disco.drop})
	return &Service{Store: store, users: users, http: client, disco: disco}
}

// SaveProvider stores a configuration; the store announces it, so that a
// corrected issuer is discovered again.
func (s *Service) SaveProvider(ctx context.Context, p *Provider) error {
	return s.Store.SaveProvider(ctx, p)
}

// Check fetches the discovery document of p's issuer afresh, for the
// administrator's page to report a wrong address at once.
func (s *Service) Check(ctx context.Context, p *Provider) error {
	s.disco.forget(p.Issuer)
	if _, err := s.disco.get(ctx, p.Issuer); err != nil {
		return guichet.Invalid(map[string]string{
			"issuer": "Le fournisseur ne répond pas à cette adresse (document de découverte introuvable ou invalide)."})
	}
	return nil
}

// refusal is a sign-in refused: the *guichet.Error is what people see, the
// cause is what the logs keep.
type refusal struct {
	public *guichet.Error
	cause  error
}

func (r *refusal) Error() string   { return r.public.Message + ": " + r.cause.Error() }
func (r *refusal) Unwrap() []error { return []error{r.public, r.cause} }

// Refusals shown to people; the details go to the logs only.
var (
	errBadState   = guichet.Errorf(guichet.EForbidden, "Cette demande de connexion n'est pas valable ou a expiré. Recommencez depuis la page de connexion.")
	errBadAnswer  = guichet.Errorf(guichet.EForbidden, "La réponse du fournisseur d'identité n'a pas pu être vérifiée. Recommencez depuis la page de connexion.")
	errUnreached  = guichet.Errorf(guichet.EInternal, "Le fournisseur d'identité ne répond pas. Réessayez dans quelques minutes.")
	errCancelled  = guichet.Errorf(guichet.EForbidden, "La connexion a été annulée ou refusée par le fournisseur d'identité.")
	errNoEmail    = guichet.Errorf(guichet.EForbidden, "Le fournisseur d'identité n'a pas transmis d'adresse électronique : impossible de vous connecter.")
	errUnverified = guichet.Errorf(guichet.EConflict, "Un compte non confirmé utilise déjà cette adresse électronique. Confirmez-la depuis le message reçu, puis reconnectez-vous.")
)

func refuse(public *guichet.Error, cause error) error {
	if cause == nil {
		cause = errors.New(public.Code)
	}
	return &refusal{public: public, cause: cause}
}
