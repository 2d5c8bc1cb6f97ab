package abuse

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"guichet/internal/kernel/db"
)

// Share makes l count in d's abuse_counts table instead of in memory, so
// that nodes sharing the database share the limits: with N nodes behind a
// load balancer, a limit held per process would let N times through. A
// check and its count are one transaction: the row's lock makes
// concurrent attempts on one key wait for each other, on every node.
func (l *Limits) Share(d *db.DB) { l.shared.Store(d) }

// storedKey is what the table keeps of a key: its SHA-256, so that the
// addresses and emails counted are not kept in the clear, as the memory
// of one node does not keep them past the window.
func storedKey(k string) string {
	sum := sha256.Sum256([]byte(k))
	return hex.EncodeToString(sum[:16])
}

// errOver rolls back the counts of a refused attempt.
var errOver = errors.New("abuse: over the limit")

// takeShared is take on the shared counts. Like take, it counts every
// key of a counted attempt but checks only the rules that apply.
func (l *Limits) takeShared(ctx context.Context, a Action, at Attempt, count bool) error {
	now := l.Now().UTC()
	refusedRule, wait := -1, time.Duration(0)
	if !count {
		for i, rule := range a.Rules {
			k := at.key(rule)
			if k == "" || rule.UnlessKnown && at.Known {
				continue
			}
			n, started, err := l.current(ctx, a.Name, i, k, now.Add(-rule.Window))
			if err != nil {
				return err
			}
			if n >= rule.Max {
				refusedRule, wait = i, started.Add(rule.Window).Sub(now)
				break
			}
		}
	} else {
		err := l.shared.Load().InTx(ctx, func(tx *db.Tx) error {
			for i, rule := range a.Rules {
				k := at.key(rule)
				if k == "" {
					continue
				}
				n, started, err := hitShared(ctx, tx, a.Name, i, k, rule.Window, now)
				if err != nil {
					return err
				}
				if n > rule.Max && !(rule.UnlessKnown && at.Known) {
					refusedRule, wait = i, started.Add(rule.Window).Sub(now)
					return errOver
				}
			}
			return nil
		})
		if err != nil && !errors.Is(err, errOver) {
			return err
		}
	}
	if refusedRule < 0 {
		return nil
	}
	rule := a.Rules[refusedRule]
	if l.firstSharedRefusal(a, refusedRule, at.key(rule), now) {
		l.record(ctx, a, rule.Kind, at, now)
	}
	return newRefused(a.Name, rule.Kind, wait)
}

// current returns the key's count and the start of its window, if that
// started after since.
func (l *Limits) current(ctx context.Context, action string, rule int, key string, since time.Time) (int, time.Time, error) {
	var n int
	var started time.Time
	err := l.shared.Load().QueryRow(ctx, `SELECT count, started_at FROM abuse_counts
		WHERE action = ? AND rule = ? AND key = ? AND started_at > ?`, action, rule, storedKey(key), since).Scan(&n, &started)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, nil
	}
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("abuse: read count: %w", err)
	}
	return n, started, nil
}

// hitShared counts one event and returns the new count and its window's
// start: a window that ended starts again at now.
func hitShared(ctx context.Context, q db.Querier, action string, rule int, key string, window time.Duration, now time.Time) (int, time.Time, error) {
	var n int
	var started time.Time
	err := q.QueryRow(ctx, `INSERT INTO abuse_counts (action, rule, key, started_at, ends_at, count) VALUES (?, ?, ?, ?, ?, 1)
		ON CONFLICT (action, rule, key) DO UPDATE SET
			count = CASE WHEN abuse_counts.ends_at <= excluded.started_at THEN 1 ELSE abuse_counts.count + 1 END,
			started_at = CASE WHEN abuse_counts.ends_at <= excluded.started_at THEN excluded.started_at ELSE abuse_counts.started_at END,
			ends_at = CASE WHEN abuse_counts.ends_at <= excluded.started_at THEN excluded.ends_at ELSE abuse_counts.ends_at END
		RETURNING count, started_at`, action, rule, storedKey(key), now, now.Add(window)).Scan(&n, &started)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("abuse: count: %w", err)
	}
	return n, started, nil
}

// countShared is Count on the shared counts.
func (l *Limits) countShared(ctx context.Context, a Action, at Attempt) error {
	now := l.Now().UTC()
	for i, rule := range a.Rules {
		if k := at.key(rule); k != "" {
			if _, _, err := hitShared(ctx, l.shared.Load(), a.Name, i, k, rule.Window, now); err != nil {
				return err
			}
		}
	}
	return nil
}

// forgetShared is Forget on the shared counts.
func (l *Limits) forgetShared(ctx context.Context, a Action, kind Kind, at Attempt) error {
	for i, rule := range a.Rules {
		if k := at.key(rule); rule.Kind == kind && k != "" {
			if _, err := l.shared.Load().Exec(ctx, `DELETE FROM abuse_counts WHERE action = ? AND rule = ? AND key = ?`, a.Name, i, storedKey(k)); err != nil {
				return fmt.Errorf("abuse: forget: %w", err)
			}
		}
	}
	return nil
}

// firstSharedRefusal reports whether this node has not yet recorded a
// refusal of key in the window: one record per node, key and window.
func (l *Limits) firstSharedRefusal(a Action, rule int, key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	name := a.Name + "\x00" + fmt.Sprint(rule)
	c := l.recorded[name]
	if c == nil {
		c = NewCounter(1, a.Rules[rule].Window, capacity)
		l.recorded[name] = c
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if ok, _ := c.allow(key, now); !ok {
		return false
	}
	c.hit(key, now)
	return true
}

// PurgeCounts deletes the shared counts whose window ended before now.
func PurgeCounts(ctx context.Context, d *db.DB, now time.Time) (int64, error) {
	res, err := d.Exec(ctx, `DELETE FROM abuse_counts WHERE ends_at < ?`, now.UTC())
	if err != nil {
		return 0, fmt.Errorf("abuse: purge counts: %w", err)
	}
	return res.RowsAffected()
}
