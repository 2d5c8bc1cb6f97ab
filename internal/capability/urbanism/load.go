package urbanism

import (
	"context"

	"guichet/internal/kernel/db"
)

// The loads of a territory, one per layer, each reading its table whole:
// a territory is read once and kept (Store.Territory).

func (t *Territory) loadParcels(ctx context.Context, q db.Querier, tenantID string) error {
	return db.Each(ctx, q, `SELECT id, commune, prefix, section, number, area, source_updated, geometry
		FROM urbanism_parcels WHERE tenant_id = ? ORDER BY id`, func(r db.Row) error {
		p := &Parcel{}
		var g []byte
		if err := r.Scan(&p.ID, &p.Commune, &p.Prefix, &p.Section, &p.Number, &p.Area, &p.Updated, &g); err != nil {
			return err
		}
		var err error
		if p.Geometry, err = readGeometry(g); err != nil {
			return err
		}
		t.Parcels = append(t.Parcels, p)
		return nil
	}, tenantID)
}

func (t *Territory) loadSections(ctx context.Context, q db.Querier, tenantID string) error {
	return db.Each(ctx, q, `SELECT id, commune, prefix, code, geometry FROM urbanism_sections
		WHERE tenant_id = ? ORDER BY id`, func(r db.Row) error {
		s := &Section{}
		var g []byte
		if err := r.Scan(&s.ID, &s.Commune, &s.Prefix, &s.Code, &g); err != nil {
			return err
		}
		var err error
		if s.Geometry, err = readGeometry(g); err != nil {
			return err
		}
		t.Sections = append(t.Sections, s)
		return nil
	}, tenantID)
}

func (t *Territory) loadBuildings(ctx context.Context, q db.Querier, tenantID string) error {
	return db.Each(ctx, q, `SELECT id, commune, kind, name, geometry FROM urbanism_buildings
		WHERE tenant_id = ? ORDER BY id`, func(r db.Row) error {
		b := &Building{}
		var g []byte
		if err := r.Scan(&b.ID, &b.Commune, &b.Kind, &b.Name, &g); err != nil {
			return err
		}
		var err error
		if b.Geometry, err = readGeometry(g); err != nil {
			return err
		}
		t.Buildings = append(t.Buildings, b)
		return nil
	}, tenantID)
}

func (t *Territory) loadZones(ctx context.Context, q db.Querier, tenantID string) error {
	return db.Each(ctx, q, `SELECT id, label, long_label, type, destination, idurba, file_name, file_url, commune,
		approved, valid, geometry FROM urbanism_zones WHERE tenant_id = ? ORDER BY id`, func(r db.Row) error {
		z := &Zone{}
		var g []byte
		if err := r.Scan(&z.ID, &z.Label, &z.LongLabel, &z.Type, &z.Destination, &z.IDURBA, &z.FileName, &z.FileURL,
			&z.Commune, &z.Approved, &z.Valid, &g); err != nil {
			return err
		}
		var err error
		if z.Geometry, err = readGeometry(g); err != nil {
			return err
		}
		t.Zones = append(t.Zones, z)
		return nil
	}, tenantID)
}

func (t *Territory) loadConstraints(ctx context.Context, q db.Querier, tenantID string) error {
	return db.Each(ctx, q, `SELECT id, kind, code, label, text, protected, commune, geometry
		FROM urbanism_constraints WHERE tenant_id = ? ORDER BY id`, func(r db.Row) error {
		c := &Constraint{}
		var g []byte
		if err := r.Scan(&c.ID, &c.Kind, &c.Code, &c.Label, &c.Text, &c.Protected, &c.Commune, &g); err != nil {
			return err
		}
		var err error
		if c.Geometry, err = readGeometry(g); err != nil {
			return err
		}
		t.Constraints = append(t.Constraints, c)
		return nil
	}, tenantID)
}

func (t *Territory) loadRules(ctx context.Context, q db.Querier, tenantID string) error {
	return db.Each(ctx, q, `SELECT commune, label, summary, file_key, file_name, file_size, file_sha256, updated_at, updated_by
		FROM urbanism_rules WHERE tenant_id = ?`, func(r db.Row) error {
		u := &Rule{}
		if err := r.Scan(&u.Commune, &u.Label, &u.Summary, &u.FileKey, &u.FileName, &u.FileSize, &u.FileSHA256,
			&u.UpdatedAt, &u.UpdatedBy); err != nil {
			return err
		}
		t.Rules[RuleKey(u.Commune, u.Label)] = u
		return nil
	}, tenantID)
}

// loadSources reads the latest import of each layer.
func (t *Territory) loadSources(ctx context.Context, q db.Querier, tenantID string) error {
	seen := map[string]bool{}
	return db.Each(ctx, q, `SELECT layer, file_name, attribution, imported_at FROM urbanism_imports
		WHERE tenant_id = ? ORDER BY imported_at DESC`, func(r db.Row) error {
		var s Source
		if err := r.Scan(&s.Layer, &s.FileName, &s.Attribution, &s.At); err != nil {
			return err
		}
		if !seen[s.Layer] {
			seen[s.Layer] = true
			t.Sources = append(t.Sources, s)
		}
		return nil
	}, tenantID)
}
