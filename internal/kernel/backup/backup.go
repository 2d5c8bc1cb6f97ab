// Package backup copies collectivités out of a deployment and back in:
// their rows of every table, their files and their pending jobs, in one
// archive read from a consistent snapshot. The same archive restores a
// collectivité in place ("guichet restore") or moves it to another
// deployment ("guichet tenant import"), on SQLite or PostgreSQL alike.
//
// The archive is a gzipped tar: manifest.json first (what it holds, with
// a checksum per table and for the files), then tables/<name>.jsonl (the
// column names, then one JSON array per row), files/<bucket>/<key>, and
// jobs.jsonl. It holds personal data: it is written readable by its owner
// only, and is to be kept as the database is.
package backup

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/files"
)

// Format is the archive's version; a reader refuses another.
const Format = 1

// Manifest says what an archive holds.
type Manifest struct {
	Format    int       `json:"format"`
	CreatedAt time.Time `json:"created_at"`
	Dialect   string    `json:"dialect"`
	// Migrations are the migrations applied where it was made: it is
	// restored where the same are applied.
	Migrations []string         `json:"migrations"`
	Tenants    []Tenant         `json:"tenants"`
	Tables     map[string]Table `json:"tables"`
	Files      Sum              `json:"files"`
	Jobs       int              `json:"jobs"`
}

// Tenant names a collectivité of the archive.
type Tenant struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// Table is one table's part of the archive.
type Table struct {
	Columns []string `json:"columns"`
	Sum
}

// Sum counts rows or files and checksums them: the SHA-256 of their
// canonical lines, sorted, so that order does not matter.
type Sum struct {
	Count  int    `json:"count"`
	SHA256 string `json:"sha256"`
}

// FileOwner lists the keys of one bucket's files that a collectivité owns.
type FileOwner struct {
	Bucket string
	Keys   func(ctx context.Context, q db.Querier, tenantID string) ([]string, error)
}

// Source is what a backup reads and a restore writes.
type Source struct {
	DB     *db.DB
	Files  files.Backend
	Owners []FileOwner
}

// Progress hears how far a long run is.
type Progress func(done, total int)

// skipped are tables without a collectivité's rows: the job queue's own
// (pending jobs travel apart), counters that expire in minutes, and the
// search index's settings, which every deployment keeps itself.
var skipped = map[string]bool{"abuse_counts": true, "file_bodies": true, "schema_migrations": true,
	"search_analyzer": true, "search_kinds": true}

// tenantTables returns the tables holding collectivités' rows, parents
// first, with their columns.
func tenantTables(ctx context.Context, d *db.DB, q db.Querier) ([]string, map[string][]db.Column, error) {
	cols, order, err := d.Tables(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	var out []string
	for _, t := range order {
		if skipped[t] || strings.HasPrefix(t, "river_") {
			continue
		}
		if t == "tenants" || slices.ContainsFunc(cols[t], func(c db.Column) bool { return c.Name == "tenant_id" }) {
			out = append(out, t)
		}
	}
	return out, cols, nil
}

// tenantColumn is the column naming a table's collectivité.
func tenantColumn(table string) string {
	if table == "tenants" {
		return "id"
	}
	return "tenant_id"
}

// where selects the rows whose col (a column or an expression) names one
// of the collectivités listed.
func where(col string, ids []string) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return col + " IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")", args
}

// Write makes an archive of the collectivités with the given slugs (all
// of them when none) at path.
func Write(ctx context.Context, src Source, path string, slugs []string, progress Progress) (*Manifest, error) {
	tmp, err := os.MkdirTemp(filepath.Dir(path), ".backup-*")
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(tmp)
	m := &Manifest{Format: Format, CreatedAt: time.Now().UTC(), Dialect: string(src.DB.Dialect()), Tables: map[string]Table{}}
	type fileRef struct{ bucket, key string }
	var refs []fileRef
	var jobs []Job
	// One snapshot for every row: the archive is what the database held
	// at one instant, whatever is written meanwhile.
	err = src.DB.Snapshot(ctx, func(q db.Querier) error {
		if m.Migrations, err = migrations(ctx, q); err != nil {
			return err
		}
		if m.Tenants, err = tenantsOf(ctx, q, slugs); err != nil {
			return err
		}
		ids := tenantIDs(m.Tenants)
		tables, cols, err := tenantTables(ctx, src.DB, q)
		if err != nil {
			return err
		}
		for _, t := range tables {
			tab, err := dumpTable(ctx, q, t, cols[t], ids, filepath.Join(tmp, t+".jsonl"))
			if err != nil {
				return err
			}
			m.Tables[t] = tab
		}
		for _, o := range src.Owners {
			for _, id := range ids {
				keys, err := o.Keys(ctx, q, id)
				if err != nil {
					return fmt.Errorf("backup: files of %s: %w", o.Bucket, err)
				}
				for _, k := range keys {
					refs = append(refs, fileRef{o.Bucket, k})
				}
			}
		}
		jobs, err = pendingJobs(ctx, q, ids)
		return err
	})
	if err != nil {
		return nil, err
	}
	m.Jobs = len(jobs)
	total, done := len(m.Tables)+len(refs), 0
	if progress != nil {
		progress(0, total)
	}
	out, err := os.OpenFile(path+".part", os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(path + ".part")
	defer out.Close() // on an early return; closed with its error below
	gz := gzip.NewWriter(out)
	tw := tar.NewWriter(gz)
	// The files go to a side tar first, so that their checksum is in the
	// manifest, which the archive opens with.
	body, err := os.Create(filepath.Join(tmp, "files.tar"))
	if err != nil {
		return nil, err
	}
	defer body.Close()
	ftw := tar.NewWriter(body)
	var fileLines []string
	for _, ref := range refs {
		store, err := src.Files.Bucket(ref.bucket)
		if err != nil {
			return nil, err
		}
		line, err := copyFile(ctx, store, ref.bucket, ref.key, ftw)
		if errors.Is(err, files.ErrNotFound) {
			continue // a record naming a body already gone: nothing to keep
		}
		if err != nil {
			return nil, err
		}
		fileLines = append(fileLines, line)
		done++
		if progress != nil {
			progress(done, total)
		}
	}
	if err := errors.Join(ftw.Close(), body.Close()); err != nil {
		return nil, err
	}
	m.Files = sumOf(fileLines)
	if err := writeJSON(tw, "manifest.json", m); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(m.Tables))
	for t := range m.Tables {
		names = append(names, t)
	}
	slices.Sort(names)
	for _, t := range names {
		if err := addFile(tw, "tables/"+t+".jsonl", filepath.Join(tmp, t+".jsonl")); err != nil {
			return nil, err
		}
		done++
		if progress != nil {
			progress(done, total)
		}
	}
	if err := writeJobs(tw, jobs); err != nil {
		return nil, err
	}
	if err := appendTar(tw, filepath.Join(tmp, "files.tar")); err != nil {
		return nil, err
	}
	if err := errors.Join(tw.Close(), gz.Close(), out.Sync(), out.Close()); err != nil {
		return nil, fmt.Errorf("backup: write %s: %w", path, err)
	}
	if err := os.Rename(path+".part", path); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	return m, nil
}

func migrations(ctx context.Context, q db.Querier) ([]string, error) {
	var out []string
	err := db.Each(ctx, q, `SELECT name FROM schema_migrations ORDER BY name`, func(r db.Row) error {
		var s string
		err := r.Scan(&s)
		out = append(out, s)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("backup: migrations: %w", err)
	}
	slices.Sort(out) // the engines' collations may order them apart
	return out, nil
}

func tenantsOf(ctx context.Context, q db.Querier, slugs []string) ([]Tenant, error) {
	var out []Tenant
	err := db.Each(ctx, q, `SELECT id, slug, name FROM tenants ORDER BY slug`, func(r db.Row) error {
		var t Tenant
		if err := r.Scan(&t.ID, &t.Slug, &t.Name); err != nil {
			return err
		}
		if len(slugs) == 0 || slices.Contains(slugs, t.Slug) {
			out = append(out, t)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("backup: collectivités: %w", err)
	}
	for _, s := range slugs {
		if !slices.ContainsFunc(out, func(t Tenant) bool { return t.Slug == s }) {
			return nil, fmt.Errorf("backup: no collectivité %q", s)
		}
	}
	return out, nil
}

func tenantIDs(ts []Tenant) []string {
	ids := make([]string, len(ts))
	for i, t := range ts {
		ids[i] = t.ID
	}
	return ids
}

// dumpTable writes a table's rows of the collectivités to path: the
// column names, then each row's canonical line.
func dumpTable(ctx context.Context, q db.Querier, table string, cols []db.Column, ids []string, path string) (Table, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return Table{}, err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	head, _ := json.Marshal(names)
	w.Write(append(head, '\n'))
	lines, err := readRows(ctx, q, table, cols, ids)
	if err != nil {
		return Table{}, err
	}
	for _, l := range lines {
		w.WriteString(l)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		return Table{}, err
	}
	return Table{Columns: names, Sum: sumOf(lines)}, nil
}

// readRows returns the canonical lines of a table's rows of ids.
func readRows(ctx context.Context, q db.Querier, table string, cols []db.Column, ids []string) ([]string, error) {
	cond, args := where(tenantColumn(table), ids)
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = `"` + c.Name + `"`
	}
	rows, err := q.Query(ctx, `SELECT `+strings.Join(quoted, ", ")+` FROM `+table+` WHERE `+cond, args...)
	if err != nil {
		return nil, fmt.Errorf("backup: read %s: %w", table, err)
	}
	defer rows.Close()
	var lines []string
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("backup: read %s: %w", table, err)
		}
		line, err := encodeRow(cols, vals)
		if err != nil {
			return nil, fmt.Errorf("backup: %s: %w", table, err)
		}
		lines = append(lines, line)
	}
	return lines, rows.Err()
}

func sumOf(lines []string) Sum {
	sorted := slices.Clone(lines)
	slices.Sort(sorted)
	h := sha256.New()
	for _, l := range sorted {
		h.Write([]byte(l))
		h.Write([]byte{'\n'})
	}
	return Sum{Count: len(lines), SHA256: hex.EncodeToString(h.Sum(nil))}
}

// copyFile adds one body to the archive and returns its canonical line.
func copyFile(ctx context.Context, store files.Storage, bucket, key string, tw *tar.Writer) (string, error) {
	size, err := store.Size(ctx, key)
	if err != nil {
		return "", err
	}
	r, err := store.Open(ctx, key)
	if err != nil {
		return "", err
	}
	defer r.Close()
	if err := tw.WriteHeader(&tar.Header{Name: "files/" + bucket + "/" + key, Mode: 0o600, Size: size}); err != nil {
		return "", err
	}
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(tw, h), r); err != nil {
		return "", fmt.Errorf("backup: file %s/%s: %w", bucket, key, err)
	}
	return bucket + "/" + key + " " + hex.EncodeToString(h.Sum(nil)), nil
}

func writeJSON(tw *tar.Writer, name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(b))}); err != nil {
		return err
	}
	_, err = tw.Write(b)
	return err
}

func addFile(tw *tar.Writer, name, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: info.Size()}); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// appendTar copies the entries of the tar file at path into tw.
func appendTar(tw *tar.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if _, err := io.Copy(tw, tr); err != nil {
			return err
		}
	}
}

// encodeRow writes a row as a JSON array of canonical values: times in
// UTC to the microsecond (PostgreSQL's precision), bytes in base64,
// booleans as booleans whatever the engine stores.
func encodeRow(cols []db.Column, vals []any) (string, error) {
	out := make([]any, len(vals))
	for i, v := range vals {
		c, err := canonical(cols[i], v)
		if err != nil {
			return "", fmt.Errorf("column %s: %w", cols[i].Name, err)
		}
		out[i] = c
	}
	b, err := json.Marshal(out)
	return string(b), err
}

// kind sorts declared types into what the archive distinguishes.
func kind(c db.Column) string {
	t := c.Type
	switch {
	case strings.Contains(t, "BOOL"):
		return "bool"
	case strings.Contains(t, "TIMESTAMP"), t == "DATE", t == "DATETIME":
		return "time"
	case strings.Contains(t, "BYTEA"), strings.Contains(t, "BLOB"):
		return "bytes"
	case strings.Contains(t, "INT"):
		return "int"
	case strings.Contains(t, "REAL"), strings.Contains(t, "DOUBLE"), strings.Contains(t, "NUMERIC"), strings.Contains(t, "FLOAT"):
		return "float"
	}
	return "text"
}

var timeLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02"}

func canonical(c db.Column, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch kind(c) {
	case "bool":
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			return x != 0, nil
		}
	case "time":
		var t time.Time
		switch x := v.(type) {
		case time.Time:
			t = x
		case string:
			t = parseTime(x)
		case []byte:
			t = parseTime(string(x))
		}
		if t.IsZero() {
			return nil, fmt.Errorf("unreadable time %v", v)
		}
		return t.UTC().Truncate(time.Microsecond).Format(time.RFC3339Nano), nil
	case "bytes":
		switch x := v.(type) {
		case []byte:
			return base64.StdEncoding.EncodeToString(x), nil
		case string:
			return base64.StdEncoding.EncodeToString([]byte(x)), nil
		}
	case "int":
		switch x := v.(type) {
		case int64:
			return x, nil
		case bool: // a SQLite column declared INTEGER holding Go booleans
			if x {
				return int64(1), nil
			}
			return int64(0), nil
		}
	case "float":
		switch x := v.(type) {
		case float64:
			return x, nil
		case int64:
			return float64(x), nil
		}
	default:
		switch x := v.(type) {
		case string:
			return x, nil
		case []byte:
			return string(x), nil
		case time.Time:
			return x.UTC().Format(time.RFC3339Nano), nil
		case int64, float64, bool:
			return fmt.Sprint(x), nil
		}
	}
	return nil, fmt.Errorf("unexpected %T for %s", v, c.Type)
}

func parseTime(s string) time.Time {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// decode turns a canonical value back into what the driver writes.
func decode(c db.Column, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch kind(c) {
	case "bool":
		b, ok := v.(bool)
		if !ok {
			return nil, fmt.Errorf("column %s: want a boolean", c.Name)
		}
		return b, nil
	case "time":
		s, _ := v.(string)
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", c.Name, err)
		}
		return t, nil
	case "bytes":
		s, _ := v.(string)
		return base64.StdEncoding.DecodeString(s)
	case "int":
		n, ok := v.(json.Number)
		if !ok {
			return nil, fmt.Errorf("column %s: want a number", c.Name)
		}
		return n.Int64()
	case "float":
		n, ok := v.(json.Number)
		if !ok {
			return nil, fmt.Errorf("column %s: want a number", c.Name)
		}
		return n.Float64()
	}
	s, ok := v.(string)
	if !ok {
		return nil, fmt.Errorf("column %s: want text", c.Name)
	}
	return s, nil
}
