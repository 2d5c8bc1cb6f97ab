package appointment

import "time"

// Cached reports what the store's caches hold for an agenda: its settings,
// a fresh snapshot of what is busy in it, and how many slot lists.
func (s *Store) Cached(tenantID, agendaID string) (agenda, busy bool, slotLists int) {
	agenda = s.defs.get(tenantID+"/"+agendaID, time.Now()) != nil
	s.occ.mu.Lock()
	defer s.occ.mu.Unlock()
	if e := s.occ.agendas[agendaID]; e != nil {
		busy = e.busy != nil && time.Since(e.loaded) < busyTTL
		slotLists = len(e.memo)
	}
	return agenda, busy, slotLists
}

// Claim and Unclaim expose a booking's claim, as Book takes and drops it
// around its transaction.
func (s *Store) Claim(b *Booking, resource string) bool { return s.claim(b, resource) }
func (s *Store) Unclaim(b *Booking, kept string)        { s.unclaim(b, kept) }
