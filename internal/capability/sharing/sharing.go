// Package sharing carries what a collectivité publishes (news, events,
// alerts) to its own accounts on other networks: Mastodon (any instance)
// and Bluesky. A periodic run queues one post per account and item,
// waiting for an administrator's approval or leaving at once; the job
// queue delivers it through the network's API, with retries. Secrets
// (access tokens, app passwords) are sealed at rest and never shown again.
package sharing

import (
	"embed"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"guichet"
	"guichet/internal/kernel/db"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations creates the accounts' and the posts' tables.
var Migrations = db.Embedded("sharing", migrationFiles)

// Networks an account may be on.
const (
	Mastodon = "mastodon"
	Bluesky  = "bluesky"
)

// Networks lists them in display order.
var Networks = []string{Mastodon, Bluesky}

// Kinds of publication an account may carry (the kernel's sources).
var Kinds = []string{"news", "event", "alert"}

// Account states.
const (
	Active     = "active"
	NeedsToken = "needs_token" // the network refused the secret: the queue waits for a new one
)

// Post states.
const (
	Pending   = "pending" // waiting for an administrator's approval
	Queued    = "queued"  // approved (or leaving at once), in the job queue
	Sent      = "sent"
	Failed    = "failed"
	Cancelled = "cancelled"
)

// Account is one of the collectivité's accounts on another network.
type Account struct {
	ID, TenantID string
	Network      string
	// Host is the Mastodon instance or the Bluesky server (bsky.social).
	Host string
	// Handle names the account on Bluesky (ville.bsky.social); on
	// Mastodon it is what verifying the token said (@mairie).
	Handle string
	// Secret is the access token or app password, only when saving; the
	// store keeps it sealed and never returns it.
	Secret        string
	SecretSavedAt time.Time
	Kinds         []string
	// Approval makes each post wait for an administrator.
	Approval bool
	Status   string
	// Checked is what the last connection test said.
	Checked   string
	CreatedAt time.Time
}

// Carries reports whether the account takes items of kind.
func (a *Account) Carries(kind string) bool { return slices.Contains(a.Kinds, kind) }

// Limit is the length of a post on the account's network: 500
// characters on Mastodon, 300 graphemes on Bluesky.
func (a *Account) Limit() int {
	if a.Network == Bluesky {
		return 300
	}
	return 500
}

// Demo reports whether the account's host is a name reserved for
// examples and tests, to which nothing is ever sent.
func (a *Account) Demo() bool { return DemoHost(a.Host) }

// Post is one item queued for one account.
type Post struct {
	ID, TenantID, AccountID string
	Kind, ItemID            string
	Title, Link, Text       string
	Status                  string
	// Error is why the last attempt failed, in French.
	Error string
	// RemoteURL is the post's address on the network once sent.
	RemoteURL          string
	CreatedAt, Updated time.Time
	SentAt             time.Time
	// Network and Host are the account's, for the queue page.
	Network, Host string
}

// Length counts text as the network does: characters on Mastodon,
// graphemes on Bluesky.
func Length(network, text string) int {
	if network == Bluesky {
		return Graphemes(text)
	}
	return utf8.RuneCountInString(text)
}

// Graphemes counts the user-perceived characters of s, closely enough
// for a length limit: a combining mark, a variation selector, a zero-width
// joiner and the character it joins, and the second regional indicator of
// a flag extend the character before them.
func Graphemes(s string) int {
	n, join, flag := 0, false, false
	for _, r := range s {
		switch {
		case join:
			join = false
		case r == '\u200d':
			join = true
		case unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc) || (r >= 0xfe00 && r <= 0xfe0f) || (r >= 0x1f3fb && r <= 0x1f3ff):
		case r >= 0x1f1e6 && r <= 0x1f1ff:
			if flag {
				flag = false
				continue
			}
			flag = true
			n++
		default:
			flag = false
			n++
		}
	}
	return n
}

// Compose writes a post from an item: its title, its summary cut on a
// word boundary so that the whole fits the network's limit, and its link.
func Compose(network, title, summary, link string) string {
	limit := (&Account{Network: network}).Limit()
	title, summary = strings.TrimSpace(title), strings.Join(strings.Fields(summary), " ")
	room := limit - Length(network, link) - 2
	if Length(network, title) > room {
		title = cut(network, title, room)
	}
	text := title
	if summary != "" {
		if left := room - Length(network, title) - 2; left > 20 {
			text += "\n\n" + cut(network, summary, left)
		}
	}
	return text + "\n\n" + link
}

// cut shortens s to at most n characters, at the last space before the
// limit, ending it with an ellipsis.
func cut(network, s string, n int) string {
	if Length(network, s) <= n {
		return s
	}
	runes := []rune(s)
	end := min(len(runes), n-1)
	for Length(network, string(runes[:end])) > n-1 {
		end--
	}
	if i := strings.LastIndexFunc(string(runes[:end]), unicode.IsSpace); i > 0 {
		return strings.TrimRightFunc(string(runes[:end])[:i], func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }) + "…"
	}
	return string(runes[:end]) + "…"
}

// demoSuffixes are the names reserved for documentation and tests (RFC
// 2606, RFC 6761): nothing is sent to them.
var demoSuffixes = []string{".example", ".test", ".invalid", ".localhost"}

// DemoHost reports whether host is under a reserved name.
func DemoHost(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(hostOnly(host), "."))
	for _, s := range demoSuffixes {
		if h == s[1:] || strings.HasSuffix(h, s) {
			return true
		}
	}
	return false
}

func hostOnly(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return host
}

// DemoRefusal is the state of a post for a demonstration address.
const DemoRefusal = "Adresse de démonstration, rien n'est envoyé."

// CheckHost validates a network's host name as an administrator typed it
// (an address, "https://" and a final slash are accepted and dropped):
// a public DNS name, never an IP address, a port or a local name, so that
// the server cannot be made to call its own network. loopback allows
// 127.0.0.1:port, for the tests' fake servers only.
func CheckHost(host string, loopback bool) (string, error) {
	h := strings.ToLower(strings.TrimSpace(host))
	h = strings.TrimPrefix(h, "https://")
	h = strings.TrimSuffix(strings.TrimSuffix(h, "/"), ".")
	if loopback {
		if ip, _, err := net.SplitHostPort(h); err == nil && (ip == "127.0.0.1" || ip == "::1") {
			return h, nil
		}
	}
	if !HostName(h) {
		return "", guichet.Invalid(map[string]string{"host": fmt.Sprintf("« %s » n'est pas un nom de serveur public.", host)})
	}
	return h, nil
}

// HostName reports whether h is a DNS host name with at least two labels
// and an alphabetic top-level label: no address, port, user or path.
func HostName(h string) bool {
	if len(h) > 253 || net.ParseIP(h) != nil || !strings.Contains(h, ".") {
		return false
	}
	labels := strings.Split(h, ".")
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, c := range l {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	for _, c := range tld {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	switch tld {
	case "local", "internal", "lan", "home", "localdomain", "intranet", "corp":
		return false
	}
	return true
}
