package publishingweb

import (
	"time"

	"guichet/internal/kernel/invalidate"
)

// Cache keeps, per collectivité, what every page or the home page shows
// of a capability (active alerts, latest news, next events) for a few
// seconds: the banner would otherwise cost a query on every page.
type Cache = invalidate.Memo

// NewCache returns an empty cache whose entries live ttl, registered as
// name on changes: a change to a collectivité's content or settings (dates
// are shown in its time zone) drops its entries.
func NewCache(name string, ttl time.Duration, changes *invalidate.Bus) *Cache {
	return invalidate.NewMemo(changes, name, ttl, invalidate.Content, invalidate.Tenant)
}

// HomeEntry names the entry of a home-page block in lang without building
// the name on every request.
func HomeEntry(lang string) string {
	if lang == "en" {
		return "home/en"
	}
	return "home/fr"
}
