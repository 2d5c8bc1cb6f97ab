package account

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Person is whose records an export or an erasure covers: an account, and
// the address they proved they own. Records filed as a guest are matched
// by that address only once it is proven, so that nobody reads or erases
// another's records by typing their address.
type Person struct {
	TenantID string
	UserID   string // "" for someone without an account
	Email    string // lower-cased and verified, "" when unproven
	// SiteURL and Loc serve the emails an erasure sends on the way (a seat
	// passed on to the next person waiting).
	SiteURL string
	Loc     *time.Location
}

// PersonOf returns the person of an account: its address counts once
// verified.
func PersonOf(u *User) Person {
	p := Person{TenantID: u.TenantID, UserID: u.ID, Loc: time.UTC}
	if u.Verified() {
		p.Email = strings.ToLower(u.Email)
	}
	return p
}

// Eraser is what one capability does to a person's records when they
// delete their account or have their data erased.
type Eraser struct {
	// Name identifies the capability ("appointments").
	Name string
	// Effect is the message key of what happens to the records, with the
	// legal basis of what is kept, shown before the person confirms.
	Effect string
	// Keeps names the tables where records stay under that legal basis
	// (tests check that nothing else of the person remains).
	Keeps []string
	// Erase erases or anonymises the person's records; it may run again
	// after a failure and must then finish the work.
	Erase func(ctx context.Context, p Person) error
}

// RegisterEraser adds a capability's eraser; they run in the order they
// were registered.
func (s *Store) RegisterEraser(e Eraser) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.erasers = append(s.erasers, e)
}

// Erasers returns the registered erasers, in order.
func (s *Store) Erasers() []Eraser {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return append([]Eraser(nil), s.erasers...)
}

// Erase runs every eraser for p: their records are erased or anonymised,
// and only what a capability keeps under a legal basis stays.
func (s *Store) Erase(ctx context.Context, p Person) error {
	if p.Loc == nil {
		p.Loc = time.UTC
	}
	for _, e := range s.Erasers() {
		if err := e.Erase(ctx, p); err != nil {
			return fmt.Errorf("account: erase %s: %w", e.Name, err)
		}
	}
	return nil
}

// DeleteAccount erases what every capability holds about the account's
// person, then deletes the account with its sessions and tokens. siteURL
// and loc serve the emails sent on the way.
func (s *Store) DeleteAccount(ctx context.Context, u *User, siteURL string, loc *time.Location) error {
	p := PersonOf(u)
	p.SiteURL, p.Loc = siteURL, loc
	if err := s.Erase(ctx, p); err != nil {
		return err
	}
	return s.Delete(ctx, u.TenantID, u.ID)
}

// Match returns an SQL condition selecting p's records by their account
// column and, once the address is proven, their email column (compared
// lower-cased), with its arguments. A person with neither matches nothing.
func (p Person) Match(userCol, emailCol string) (string, []any) {
	var conds []string
	var args []any
	if p.UserID != "" && userCol != "" {
		conds, args = append(conds, userCol+" = ?"), append(args, p.UserID)
	}
	if p.Email != "" && emailCol != "" {
		conds, args = append(conds, "LOWER("+emailCol+") = ?"), append(args, strings.ToLower(p.Email))
	}
	if len(conds) == 0 {
		return "1 = 0", nil
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}
