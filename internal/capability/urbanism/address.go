package urbanism

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"guichet"
	"guichet/internal/kernel/db"
)

// ErrNoAddress answers an address key the list does not have.
var ErrNoAddress = guichet.Errorf(guichet.ENotFound, "Cette adresse ne figure pas dans la base adresse de la commune.")

// MaxAddresses is the most addresses a search lists.
const MaxAddresses = 20

const addressColumns = `id, commune, town, street, locality, number, suffix, lon, lat, parcels`

func scanAddress(r db.Row) (*Address, error) {
	a := &Address{}
	var lon, lat float64
	var parcels string
	if err := r.Scan(&a.ID, &a.Commune, &a.Town, &a.Street, &a.Locality, &a.Number, &a.Suffix, &lon, &lat, &parcels); err != nil {
		return nil, err
	}
	a.Point = orb.Point{lon, lat}
	if parcels != "" {
		a.Parcels = strings.Split(parcels, "|")
	}
	return a, nil
}

// FindAddresses returns the addresses matching what a person typed ("12
// rue Joffre", "rue joffre", "12 bis joffre"): the number when one
// leads, then every word in the street or the lieu-dit, accents and case
// aside. With no address of that number, the street's addresses come.
func (s *Store) FindAddresses(ctx context.Context, tenantID, typed string) ([]*Address, error) {
	number, words := splitNumber(Fold(typed))
	if words == "" {
		return nil, nil
	}
	pattern := "%" + strings.ReplaceAll(words, " ", "%") + "%"
	find := func(withNumber bool) ([]*Address, error) {
		q := `SELECT ` + addressColumns + ` FROM urbanism_addresses WHERE tenant_id = ? AND folded LIKE ?`
		args := []any{tenantID, pattern}
		if withNumber {
			q += ` AND number = ?`
			args = append(args, number)
		}
		q += ` ORDER BY folded, number, suffix LIMIT ` + strconv.Itoa(MaxAddresses)
		var out []*Address
		err := db.Each(ctx, s.db, q, func(r db.Row) error {
			a, err := scanAddress(r)
			out = append(out, a)
			return err
		}, args...)
		return out, wrap("find addresses", err)
	}
	if number > 0 {
		if found, err := find(true); err != nil || len(found) > 0 {
			return found, err
		}
	}
	return find(false)
}

// splitNumber reads a leading house number and its suffix ("12 bis"):
// the suffix is dropped, the BAL keeps it apart.
func splitNumber(folded string) (int, string) {
	head, rest, _ := strings.Cut(folded, " ")
	n, err := strconv.Atoi(head)
	if err != nil || n <= 0 {
		return 0, folded
	}
	for _, suffix := range []string{"bis ", "ter ", "quater ", "a ", "b ", "c "} {
		rest = strings.TrimPrefix(rest, suffix)
	}
	return n, rest
}

// Address returns one address by its key.
func (s *Store) Address(ctx context.Context, tenantID, id string) (*Address, error) {
	a, err := scanAddress(s.db.QueryRow(ctx, `SELECT `+addressColumns+` FROM urbanism_addresses
		WHERE tenant_id = ? AND id = ?`, tenantID, id))
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNoAddress
		}
		return nil, wrap("address", err)
	}
	return a, nil
}

// AddressesOn returns the addresses whose point lies on the parcel.
func (s *Store) AddressesOn(ctx context.Context, tenantID string, p *Parcel) ([]*Address, error) {
	b := p.Geometry.Bound()
	var out []*Address
	err := db.Each(ctx, s.db, `SELECT `+addressColumns+` FROM urbanism_addresses WHERE tenant_id = ?
		AND lon BETWEEN ? AND ? AND lat BETWEEN ? AND ? ORDER BY folded, number, suffix`, func(r db.Row) error {
		a, err := scanAddress(r)
		if err == nil && planar.MultiPolygonContains(p.Geometry, a.Point) {
			out = append(out, a)
		}
		return err
	}, tenantID, b.Min.Lon(), b.Max.Lon(), b.Min.Lat(), b.Max.Lat())
	return out, wrap("addresses on parcel", err)
}
