package backup

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/riverqueue/river"

	"guichet"
	"guichet/internal/kernel/db"
)

// JobInserter puts pending jobs back in the queue, in the restore's
// transaction.
type JobInserter func(ctx context.Context, tx *db.Tx, params []river.InsertManyParams) error

// Options tune a restore.
type Options struct {
	// Replace lets the archive's collectivités replace those of the same
	// identity here (a restore); without it, such a one is refused (an
	// import into another deployment).
	Replace  bool
	Jobs     JobInserter
	Progress Progress
}

// ReadManifest returns the manifest of the archive at path.
func ReadManifest(path string) (*Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("backup: %s is not an archive of Guichet: %w", path, err)
	}
	tr := tar.NewReader(gz)
	h, err := tr.Next()
	if err != nil || h.Name != "manifest.json" {
		return nil, fmt.Errorf("backup: %s does not open with manifest.json", path)
	}
	var m Manifest
	if err := json.NewDecoder(tr).Decode(&m); err != nil {
		return nil, fmt.Errorf("backup: manifest: %w", err)
	}
	if m.Format != Format {
		return nil, fmt.Errorf("backup: archive format %d, this Guichet reads %d", m.Format, Format)
	}
	return &m, nil
}

// Restore writes the collectivités of the archive at path into dst, in
// one transaction, then reads them back and checks every table's and the
// files' checksums against the manifest.
func Restore(ctx context.Context, dst Source, path string, o Options) (*Manifest, error) {
	m, err := ReadManifest(path)
	if err != nil {
		return nil, err
	}
	if err := compatible(ctx, dst.DB, m, o.Replace); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "guichet-restore-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	total := len(m.Tables) + m.Files.Count
	done := 0
	step := func() {
		done++
		if o.Progress != nil {
			o.Progress(done, total)
		}
	}
	if o.Progress != nil {
		o.Progress(0, total)
	}
	// The bodies go to the store first: a failure after leaves bodies no
	// row names, which harm no one, never rows naming a missing body.
	var jobs []Job
	if err := eachEntry(path, func(h *tar.Header, r io.Reader) error {
		switch {
		case strings.HasPrefix(h.Name, "files/"):
			bucket, key, ok := strings.Cut(strings.TrimPrefix(h.Name, "files/"), "/")
			if !ok {
				return fmt.Errorf("backup: unexpected entry %s", h.Name)
			}
			store, err := dst.Files.Bucket(bucket)
			if err != nil {
				return err
			}
			if _, err := store.Put(ctx, key, r); err != nil {
				return err
			}
			step()
		case strings.HasPrefix(h.Name, "tables/"):
			name := filepath.Base(h.Name)
			if _, ok := m.Tables[strings.TrimSuffix(name, ".jsonl")]; !ok || strings.ContainsAny(name, `/\`) {
				return fmt.Errorf("backup: unexpected entry %s", h.Name)
			}
			f, err := os.Create(filepath.Join(tmp, name))
			if err != nil {
				return err
			}
			_, err = io.Copy(f, r)
			return errors.Join(err, f.Close())
		case h.Name == "jobs.jsonl":
			dec := json.NewDecoder(r)
			for dec.More() {
				var j Job
				if err := dec.Decode(&j); err != nil {
					return fmt.Errorf("backup: jobs: %w", err)
				}
				jobs = append(jobs, j)
			}
		}
		return nil
	}); err != nil {
		return nil, err
	}
	ids := tenantIDs(m.Tenants)
	err = dst.DB.InTx(ctx, func(tx *db.Tx) error {
		if dst.DB.Dialect() == db.SQLite {
			// Checked at commit: the rows arrive parents first anyway.
			if _, err := tx.Exec(ctx, "PRAGMA defer_foreign_keys = ON"); err != nil {
				return err
			}
		}
		tables, cols, err := tenantTables(ctx, dst.DB, tx)
		if err != nil {
			return err
		}
		for t := range m.Tables {
			if !slices.Contains(tables, t) {
				return fmt.Errorf("backup: the archive has a table %s that this database lacks", t)
			}
		}
		for _, t := range slices.Backward(tables) {
			cond, args := where(tenantColumn(t), ids)
			if _, err := tx.Exec(ctx, `DELETE FROM `+t+` WHERE `+cond, args...); err != nil {
				return fmt.Errorf("backup: empty %s: %w", t, err)
			}
		}
		cond, args := where(tenantArg(tx), ids)
		if _, err := tx.Exec(ctx, `DELETE FROM river_job WHERE state IN `+pendingStates+` AND `+cond, args...); err != nil {
			return fmt.Errorf("backup: pending jobs: %w", err)
		}
		for _, t := range tables {
			if _, ok := m.Tables[t]; !ok {
				continue // a table the archive lacks (another version's): its rows stay deleted
			}
			if err := loadTable(ctx, tx, t, cols[t], filepath.Join(tmp, t+".jsonl")); err != nil {
				return err
			}
			step()
		}
		if len(jobs) > 0 && o.Jobs != nil {
			params := make([]river.InsertManyParams, len(jobs))
			for i, j := range jobs {
				params[i] = j.insertParams()
			}
			if err := o.Jobs(ctx, tx, params); err != nil {
				return fmt.Errorf("backup: pending jobs: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m, Verify(ctx, dst, m)
}

// compatible refuses an archive made with other migrations, and, unless
// replace, one whose collectivités (or their identifiers) are here.
func compatible(ctx context.Context, d *db.DB, m *Manifest, replace bool) error {
	here, err := migrations(ctx, d)
	if err != nil {
		return err
	}
	if !slices.Equal(here, m.Migrations) {
		return &guichet.Error{Code: guichet.EConflict, Message: fmt.Sprintf(
			"L'archive vient d'un Guichet aux migrations différentes (%d dans l'archive, %d ici) : restaurez-la avec la même version, puis mettez à jour.",
			len(m.Migrations), len(here))}
	}
	for _, t := range m.Tenants {
		var id string
		err := d.QueryRow(ctx, `SELECT id FROM tenants WHERE id = ? OR slug = ?`, t.ID, t.Slug).Scan(&id)
		switch {
		case err == nil && id != t.ID:
			return &guichet.Error{Code: guichet.EConflict, Message: fmt.Sprintf("Une autre collectivité utilise déjà ici l'identifiant %q.", t.Slug)}
		case err == nil && !replace:
			return &guichet.Error{Code: guichet.EConflict, Message: fmt.Sprintf("La collectivité %q est déjà ici : « guichet restore » la remplace, l'import non.", t.Slug)}
		}
	}
	return nil
}

// eachEntry calls fn on every entry of the archive after its manifest.
func eachEntry(path string, fn func(*tar.Header, io.Reader) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("backup: read the archive: %w", err)
		}
		if h.Name == "manifest.json" {
			continue
		}
		if err := fn(h, tr); err != nil {
			return err
		}
	}
}

// maxParams keeps one statement under both engines' limits on bound
// values (SQLite's 32,766; PostgreSQL's 65,535).
const maxParams = 30_000

// loadTable inserts the rows of a table's file, many per statement.
func loadTable(ctx context.Context, tx *db.Tx, table string, here []db.Column, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	if !sc.Scan() {
		return fmt.Errorf("backup: %s: no columns", table)
	}
	var names []string
	if err := json.Unmarshal(sc.Bytes(), &names); err != nil {
		return fmt.Errorf("backup: %s: %w", table, err)
	}
	cols := make([]db.Column, len(names))
	for i, n := range names {
		j := slices.IndexFunc(here, func(c db.Column) bool { return c.Name == n })
		if j < 0 {
			return fmt.Errorf("backup: %s has no column %s here", table, n)
		}
		cols[i] = here[j]
	}
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = `"` + n + `"`
	}
	head := `INSERT INTO ` + table + ` (` + strings.Join(quoted, ", ") + `) VALUES `
	marks := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(names)), ", ") + ")"
	perStatement := max(1, maxParams/len(names))
	var args []any
	rows := 0
	flush := func() error {
		if rows == 0 {
			return nil
		}
		q := head + strings.TrimSuffix(strings.Repeat(marks+", ", rows), ", ")
		if _, err := tx.Exec(ctx, q, args...); err != nil {
			return fmt.Errorf("backup: insert into %s: %w", table, err)
		}
		args, rows = args[:0], 0
		return nil
	}
	for sc.Scan() {
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.UseNumber()
		var vals []any
		if err := dec.Decode(&vals); err != nil || len(vals) != len(cols) {
			return fmt.Errorf("backup: %s: a row that does not fit its columns", table)
		}
		for i, v := range vals {
			d, err := decode(cols[i], v)
			if err != nil {
				return fmt.Errorf("backup: %s: %w", table, err)
			}
			args = append(args, d)
		}
		if rows++; rows == perStatement {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return flush()
}

// Verify reads the archive's collectivités back from src and compares
// every table's rows and the files with the manifest's checksums.
func Verify(ctx context.Context, src Source, m *Manifest) error {
	ids := tenantIDs(m.Tenants)
	var diffs []string
	err := src.DB.Snapshot(ctx, func(q db.Querier) error {
		tables, cols, err := tenantTables(ctx, src.DB, q)
		if err != nil {
			return err
		}
		for _, t := range tables {
			want, ok := m.Tables[t]
			lines, err := readRows(ctx, q, t, cols[t], ids)
			if err != nil {
				return err
			}
			if !ok {
				if len(lines) > 0 {
					diffs = append(diffs, fmt.Sprintf("%s: %d rows the archive does not hold", t, len(lines)))
				}
				continue
			}
			if got := sumOf(lines); got != want.Sum {
				diffs = append(diffs, fmt.Sprintf("%s: %d rows (checksum %.12s), the archive %d (%.12s)", t, got.Count, got.SHA256, want.Count, want.SHA256))
			}
		}
		var fileLines []string
		for _, o := range src.Owners {
			for _, id := range ids {
				keys, err := o.Keys(ctx, q, id)
				if err != nil {
					return err
				}
				for _, k := range keys {
					line, err := fileLine(ctx, src, o.Bucket, k)
					if err != nil {
						continue // named but absent: as the backup skipped it
					}
					fileLines = append(fileLines, line)
				}
			}
		}
		if got := sumOf(fileLines); got != m.Files {
			diffs = append(diffs, fmt.Sprintf("files: %d (checksum %.12s), the archive %d (%.12s)", got.Count, got.SHA256, m.Files.Count, m.Files.SHA256))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(diffs) > 0 {
		return fmt.Errorf("backup: what was restored differs from the archive: %s", strings.Join(diffs, "; "))
	}
	return nil
}

func fileLine(ctx context.Context, src Source, bucket, key string) (string, error) {
	store, err := src.Files.Bucket(bucket)
	if err != nil {
		return "", err
	}
	r, err := store.Open(ctx, key)
	if err != nil {
		return "", err
	}
	defer r.Close()
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	return bucket + "/" + key + " " + hex.EncodeToString(h.Sum(nil)), nil
}
