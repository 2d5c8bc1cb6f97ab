package apptest

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"guichet/internal/app"
	"guichet/internal/kernel/clock"
	"guichet/internal/kernel/dbtest"
	"guichet/internal/kernel/demo"
)

// demoTemplate is a migrated SQLite database with the demo collectivités
// (and, for WithDemoData, the whole demo dataset), seeded once per test
// binary and written out for each test: migrating and seeding took most
// of a small test's time.
type demoTemplate struct {
	files map[string][]byte // the database and the data folder, by path under the template's folder
	// end is the seeding clock's reading when seeding was done: a copy's
	// clock starts there, so that nothing seeded lies in its future.
	end time.Time
}

const templateDB = "guichet.db"

var sqliteTemplates = [2]func() (*demoTemplate, error){
	sync.OnceValues(func() (*demoTemplate, error) { return seedTemplate(false) }),
	sync.OnceValues(func() (*demoTemplate, error) { return seedTemplate(true) }),
}

func seedTemplate(full bool) (*demoTemplate, error) {
	dir, err := os.MkdirTemp("", "guichet-demo-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	start, err := dbtest.StartInstant()
	if err != nil {
		return nil, err
	}
	now := clock.Starting(start)
	cfg := config("sqlite:"+filepath.Join(dir, templateDB), filepath.Join(dir, "data"), now)
	if err := cfg.Finish(); err != nil {
		return nil, err
	}
	ctx := context.Background()
	a, err := app.New(ctx, cfg, io.Discard)
	if err != nil {
		return nil, err
	}
	if full {
		_, err = a.SeedDemo(ctx)
	} else {
		_, err = demo.Seed(ctx, a.Tenants)
	}
	end := now()
	a.Close()
	if err != nil {
		return nil, err
	}
	tpl := &demoTemplate{files: map[string][]byte{}, end: end}
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		tpl.files[rel] = b
		return err
	})
	return tpl, err
}

// copyTemplate writes a template (full: the whole demo dataset) as the
// SQLite database at dbURL and its data folder as dataDir, and returns
// the clock the copy runs on. It reports false when dbURL is not a new
// SQLite file.
func copyTemplate(full bool, dbURL, dataDir string) (clock.Clock, bool, error) {
	path, ok := strings.CutPrefix(dbURL, "sqlite:")
	if !ok {
		return nil, false, nil
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return nil, false, err
	}
	i := 0
	if full {
		i = 1
	}
	tpl, err := sqliteTemplates[i]()
	if err != nil {
		return nil, false, err
	}
	for rel, b := range tpl.files {
		to := filepath.Join(dataDir, strings.TrimPrefix(rel, "data"+string(filepath.Separator)))
		if base, isDB := strings.CutPrefix(rel, templateDB); isDB {
			to = path + base // the database and its -wal or -shm, if any
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
			return nil, false, err
		}
		if err := os.WriteFile(to, b, 0o600); err != nil {
			return nil, false, err
		}
	}
	return clock.Starting(tpl.end), true, nil
}
