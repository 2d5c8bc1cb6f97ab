package app

import (
	"context"
	"fmt"

	"guichet/internal/kernel"
	"guichet/internal/kernel/db"
	"guichet/internal/kernel/demo"
)

// SignIn is a demo account printed at start.
type SignIn struct {
	Where, Role, Email, Password, TOTPSecret string
}

// SeedDemo fills the database with the demo collectivités, their staff
// and residents, and every installed capability's demo content, and returns the demo sign-ins.
func (a *App) SeedDemo(ctx context.Context) ([]SignIn, error) {
	var signIns []SignIn
	tenants, err := demo.Seed(ctx, a.Tenants)
	if err != nil {
		return nil, err
	}
	staffSignIns, err := a.seedStaff(ctx, tenants)
	if err != nil {
		return nil, err
	}
	for _, c := range a.Installed() {
		if d, ok := c.(kernel.DemoContent); ok {
			if err := d.SeedDemo(ctx, tenants); err != nil {
				return nil, fmt.Errorf("demo content of %s: %w", c.Name(), err)
			}
		}
	}
	return append(signIns, staffSignIns...), nil
}

// DemoLinks returns the addresses the installed capabilities show off
// in the demo (kernel.Showcase).
func (a *App) DemoLinks(ctx context.Context) ([]kernel.DemoLink, error) {
	var out []kernel.DemoLink
	for _, c := range a.Installed() {
		if s, ok := c.(kernel.Showcase); ok {
			links, err := s.DemoLinks(ctx)
			if err != nil {
				return nil, fmt.Errorf("demo links of %s: %w", c.Name(), err)
			}
			out = append(out, links...)
		}
	}
	return out, nil
}

// DropSchema drops and recreates the PostgreSQL schema named in url.
func DropSchema(ctx context.Context, url string) error {
	d, err := db.Open(ctx, url)
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := d.Exec(ctx, `DROP SCHEMA IF EXISTS `+d.Schema+` CASCADE`); err != nil {
		return err
	}
	_, err = d.Exec(ctx, `CREATE SCHEMA `+d.Schema)
	return err
}
