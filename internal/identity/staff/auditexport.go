package staff

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// ExportColumns are the fields of an exported entry, in the order of the
// CSV columns; JSON Lines use the same names.
var ExportColumns = []string{"seq", "id", "tenant_id", "at", "actor_id", "actor", "action", "target", "ip",
	"user_agent", "prev_hash", "hash", "mac"}

// EachEntry hands tenantID's entries to fn in chain order, oldest first.
func (s *Store) EachEntry(ctx context.Context, tenantID string, fn func(*Entry) error) error {
	return scanEntries(ctx, s.db, `WHERE tenant_id = ? ORDER BY seq`, []any{tenantID}, fn)
}

// exported is an entry as the exports write it: every hashed field as it
// was hashed.
type exported struct {
	Seq       int64  `json:"seq"`
	ID        string `json:"id"`
	TenantID  string `json:"tenant_id"`
	At        string `json:"at"`
	ActorID   string `json:"actor_id"`
	Actor     string `json:"actor"`
	Action    string `json:"action"`
	Target    string `json:"target"`
	IP        string `json:"ip"`
	UserAgent string `json:"user_agent"`
	PrevHash  string `json:"prev_hash"`
	Hash      string `json:"hash"`
	MAC       string `json:"mac"`
}

func toExported(e *Entry) exported {
	return exported{e.Seq, e.ID, e.TenantID, e.At.UTC().Format(TimeLayout), e.ActorID, e.Actor, e.Action, e.Target,
		e.IP, e.UserAgent, e.PrevHash, e.Hash, e.MAC}
}

func (x exported) fields() []string {
	return []string{strconv.FormatInt(x.Seq, 10), x.ID, x.TenantID, x.At, x.ActorID, x.Actor, x.Action, x.Target,
		x.IP, x.UserAgent, x.PrevHash, x.Hash, x.MAC}
}

// WriteJSONL writes tenantID's log as JSON Lines: one object per entry,
// oldest first, values exactly as hashed.
func (s *Store) WriteJSONL(ctx context.Context, w io.Writer, tenantID string) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	err := s.EachEntry(ctx, tenantID, func(e *Entry) error { return enc.Encode(toExported(e)) })
	if err != nil {
		return err
	}
	return bw.Flush()
}

// WriteCSV writes tenantID's log as CSV with a header row, oldest first.
// A cell that a spreadsheet would run as a formula (starting with = + - @,
// a tab or a carriage return) gets a leading apostrophe, and so does one
// that starts with an apostrophe: removing the first character of every
// cell that starts with one gives back the hashed value (see CSVValue).
func (s *Store) WriteCSV(ctx context.Context, w io.Writer, tenantID string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ExportColumns); err != nil {
		return err
	}
	err := s.EachEntry(ctx, tenantID, func(e *Entry) error {
		f := toExported(e).fields()
		for i := range f {
			f[i] = csvCell(f[i])
		}
		return cw.Write(f)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func csvCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r'", rune(v[0])) {
		return "'" + v
	}
	return v
}

// CSVValue returns the hashed value of an exported CSV cell.
func CSVValue(cell string) string { return strings.TrimPrefix(cell, "'") }

// ReadJSONL reads entries written by WriteJSONL, handing each to fn.
func ReadJSONL(r io.Reader, fn func(*Entry) error) error {
	dec := json.NewDecoder(r)
	for line := 1; dec.More(); line++ {
		var x exported
		if err := dec.Decode(&x); err != nil {
			return fmt.Errorf("entry %d: %w", line, err)
		}
		e, err := x.entry()
		if err != nil {
			return fmt.Errorf("entry %d: %w", line, err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

func (x exported) entry() (*Entry, error) {
	e := &Entry{Seq: x.Seq, ID: x.ID, TenantID: x.TenantID, ActorID: x.ActorID, Actor: x.Actor, Action: x.Action,
		Target: x.Target, IP: x.IP, UserAgent: x.UserAgent, PrevHash: x.PrevHash, Hash: x.Hash, MAC: x.MAC}
	var err error
	e.At, err = parseTime(x.At)
	return e, err
}

func parseTime(s string) (time.Time, error) { return time.Parse(TimeLayout, s) }

// VerifyExport checks a JSON Lines export: each entry's hash, and that each
// follows the one before it. With the server's secret key it checks the
// MACs too; without it, only that the file is one unbroken chain whose
// first entry follows the hash it names. The last entry's hash, kept
// somewhere else, then vouches for everything before it.
func VerifyExport(r io.Reader, secretKey string) (ChainStatus, error) {
	var c *chainCheck
	var mac func(string) string
	if secretKey != "" {
		s := &Store{auditKey: auditKey(secretKey)}
		mac = s.rowMAC
	}
	err := ReadJSONL(r, func(e *Entry) error {
		if c == nil {
			c = newChainCheck(e.TenantID, e.Seq-1, e.PrevHash, mac)
		}
		if e.TenantID != c.status.TenantID {
			c.fail(e.Seq, BreakLink)
		}
		c.next(e)
		return nil
	})
	if c == nil {
		return ChainStatus{}, err
	}
	return c.status, err
}
