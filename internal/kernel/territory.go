package kernel

import (
	"context"

	"github.com/paulmach/orb"
)

// Address is one address of the collectivité's address base (the Base
// Adresse Locale its urbanism holds), for a capability that places
// something by address: a problem report, a meeting point.
type Address struct {
	ID    string // cle_interop, "69114_0100_00012"
	Label string // "12 Rue des Tilleuls"
	Town  string
	Point orb.Point // longitude, latitude (WGS 84)
}

// Backdrop is what a map drawn by another capability puts under its own
// marks: the outlines of the territory within a box, in WGS 84.
type Backdrop struct {
	// Areas are the cadastre's sections or, lacking a cadastre, the urban
	// plan's zones: the shape of the territory at any scale.
	Areas []orb.MultiPolygon
	// Parcels and Buildings are given only for a box small enough to read
	// them (BackdropDetail wide at most).
	Parcels, Buildings []orb.MultiPolygon
	// Credits name the sources, to show under the map.
	Credits []string
}

// BackdropDetail is the widest box, in metres, whose parcels and
// buildings a backdrop holds: beyond it they would be too small to see
// and too many to send.
const BackdropDetail = 1500

// TerritorySource is what the capability holding the territory (the
// cadastre, the urban plan and the addresses) answers the others. A
// collectivité that imported nothing has an empty bound and no address.
type TerritorySource struct {
	// Bound is the box of the territory; ok is false when nothing was
	// imported.
	Bound func(ctx context.Context, tenantID string) (box orb.Bound, ok bool, err error)
	// FindAddresses lists the addresses matching what a person typed.
	FindAddresses func(ctx context.Context, tenantID, typed string) ([]Address, error)
	// NearestAddress is the address nearest p within a few hundred metres.
	NearestAddress func(ctx context.Context, tenantID string, p orb.Point) (a Address, ok bool, err error)
	// Backdrop gives the outlines within box.
	Backdrop func(ctx context.Context, tenantID string, box orb.Bound) (Backdrop, error)
}

// SetTerritory installs the territory's answers.
func (k *Kernel) SetTerritory(s TerritorySource) { k.territory = &s }

// TerritoryBound is the box of a collectivité's territory, when it has
// one.
func (k *Kernel) TerritoryBound(ctx context.Context, tenantID string) (orb.Bound, bool, error) {
	if k.territory == nil {
		return orb.Bound{}, false, nil
	}
	return k.territory.Bound(ctx, tenantID)
}

// FindAddresses lists the addresses matching typed; none without a
// territory.
func (k *Kernel) FindAddresses(ctx context.Context, tenantID, typed string) ([]Address, error) {
	if k.territory == nil {
		return nil, nil
	}
	return k.territory.FindAddresses(ctx, tenantID, typed)
}

// NearestAddress is the address nearest p, when one is near.
func (k *Kernel) NearestAddress(ctx context.Context, tenantID string, p orb.Point) (Address, bool, error) {
	if k.territory == nil {
		return Address{}, false, nil
	}
	return k.territory.NearestAddress(ctx, tenantID, p)
}

// TerritoryBackdrop gives the territory's outlines within box; nothing
// without a territory.
func (k *Kernel) TerritoryBackdrop(ctx context.Context, tenantID string, box orb.Bound) (Backdrop, error) {
	if k.territory == nil {
		return Backdrop{}, nil
	}
	return k.territory.Backdrop(ctx, tenantID, box)
}
