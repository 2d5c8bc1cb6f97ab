// Package app wires Guichet together: configuration, database, job queue,
// mail, and the web server with every domain's routes.
package app

import (
	"flag"
	"io"
	"path/filepath"
	"strconv"

	"guichet/internal/kernel"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/web"
)

// Config is every setting of a Guichet process. Each field has a flag and a
// GUICHET_* environment variable; the flag wins.
type Config struct {
	DatabaseURL string
	// ReplicaURL, when set, names a PostgreSQL streaming standby that
	// takes the reads of pages and lists (see db.OpenReplica).
	ReplicaURL string
	Addr       string
	BaseDomain string
	SecretKey  string
	DataDir    string
	// Files is where uploads are kept: "local" (the data folder),
	// "database" or "s3://bucket?endpoint=…"; "" is local on SQLite and
	// the database on PostgreSQL, which every node reaches.
	Files    string
	SMTPURL  string // smtp://user:password@host:port (or smtps://, smtp+insecure://); empty keeps mail in the outbox
	MailFrom string
	Secure   bool // served over TLS: Secure cookies and HSTS
	LogLevel string
	// Demo keeps outgoing mail in the outbox for the operator console.
	Demo bool
	// JobPoll is how often workers look for new jobs (tests shorten it).
	JobPoll string
	// TrustedProxies lists the reverse proxies (addresses, CIDR ranges)
	// whose X-Forwarded-For gives the client's address.
	TrustedProxies string
	// DebugAddr, when set, serves Go's profiler (net/http/pprof) on this
	// loopback address, apart from the site: for load runs.
	DebugAddr string
	// ClientKeyHeader names a header that rate limiters take as the
	// client's address. Tests and benchmarks only: it has no flag.
	ClientKeyHeader string
	// Clock is the time every store, job and page reads; nil is the
	// system clock. Tests set it (see apptest and GUICHET_TEST_CLOCK).
	Clock clock.Clock
	// ClockAt, when set, starts Clock at this RFC 3339 instant (then at
	// real speed): for tests and demonstrations of a given day.
	ClockAt string
	// Capabilities, when set, are installed in place of the list of
	// capabilities.go ("guichet seed" declares a capability's flags on
	// the instance it then installs).
	Capabilities []kernel.Capability
}

// envs maps each flag to its environment variable.
var envs = map[string]string{
	"database-url":    "GUICHET_DATABASE_URL",
	"replica-url":     "GUICHET_REPLICA_URL",
	"addr":            "GUICHET_ADDR",
	"base-domain":     "GUICHET_BASE_DOMAIN",
	"secret-key":      "GUICHET_SECRET_KEY",
	"data":            "GUICHET_DATA_DIR",
	"files":           "GUICHET_FILES",
	"smtp-url":        "GUICHET_SMTP_URL",
	"mail-from":       "GUICHET_MAIL_FROM",
	"secure":          "GUICHET_SECURE",
	"log-level":       "GUICHET_LOG_LEVEL",
	"trusted-proxies": "GUICHET_TRUSTED_PROXIES",
	"clock":           "GUICHET_CLOCK",
	"debug-addr":      "GUICHET_DEBUG_ADDR",
}

// flags declares the common settings on fs, with defaults from getenv.
func (c *Config) flags(fs *flag.FlagSet, getenv func(string) string) {
	str := func(p *string, name, def, usage string) {
		if v := getenv(envs[name]); v != "" {
			def = v
		}
		fs.StringVar(p, name, def, usage+" (env "+envs[name]+")")
	}
	str(&c.DatabaseURL, "database-url", "", "database URL: sqlite:PATH or postgres://…")
	str(&c.ReplicaURL, "replica-url", "", "PostgreSQL streaming replica for the reads of pages and lists: postgres://…")
	str(&c.Addr, "addr", "127.0.0.1:8080", "listen address")
	str(&c.BaseDomain, "base-domain", "localhost", "domain under which collectivités answer")
	str(&c.SecretKey, "secret-key", "", "secret key (32+ characters)")
	str(&c.DataDir, "data", "guichet-data", "data folder")
	str(&c.Files, "files", "", "where uploads are kept: local, database or s3://bucket?endpoint=host:port (default: local on SQLite, database on PostgreSQL)")
	str(&c.SMTPURL, "smtp-url", "", "SMTP server URL")
	str(&c.MailFrom, "mail-from", "", "sender address")
	str(&c.LogLevel, "log-level", "info", "log level")
	str(&c.TrustedProxies, "trusted-proxies", "", "reverse proxies whose X-Forwarded-For is believed (addresses, CIDR ranges)")
	str(&c.DebugAddr, "debug-addr", "", "loopback address of Go's profiler (net/http/pprof), for load runs")
	str(&c.ClockAt, "clock", "", "run as if it were this RFC 3339 instant, then at real speed (tests and demonstrations only)")
	secure, _ := strconv.ParseBool(getenv(envs["secure"]))
	fs.BoolVar(&c.Secure, "secure", secure, "served over HTTPS (env GUICHET_SECURE)")
}

// ParseConfig reads the settings of a sub-command from args and getenv.
func ParseConfig(name string, args []string, getenv func(string) string, stderr io.Writer) (*Config, *flag.FlagSet, error) {
	c := &Config{}
	fs := flag.NewFlagSet("guichet "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c.flags(fs, getenv)
	return c, fs, nil
}

// Finish fills derived defaults after flags are parsed.
func (c *Config) Finish() error {
	if c.DatabaseURL == "" {
		c.DatabaseURL = "sqlite:" + filepath.Join(c.DataDir, "guichet.db")
	}
	if c.MailFrom == "" {
		c.MailFrom = "no-reply@" + c.BaseDomain
	}
	if _, err := web.ParseProxies(c.TrustedProxies); err != nil {
		return err
	}
	if err := checkLoopback(c.DebugAddr); err != nil {
		return err
	}
	if c.ClockAt != "" {
		at, err := clock.Parse(c.ClockAt)
		if err != nil {
			return err
		}
		c.Clock = clock.Starting(at)
	}
	if c.SecretKey != "" {
		return CheckSecretKey(c.SecretKey)
	}
	return nil
}
