package urbanism

import (
	"context"
	"time"

	"guichet"
	"guichet/internal/kernel/applications"
)

// Applications is the law of urban-planning applications as the
// procedures ask it (applications.Law): the kinds and their pieces,
// and the dates of one application on a parcel of the territory.
type Law struct{ Store *Store }

var _ applications.Law = Law{}

// Kinds implements applications.Law.
func (Law) Kinds() []applications.Kind {
	out := make([]applications.Kind, 0, len(Cerfas))
	for _, c := range Cerfas {
		k := applications.Kind{Code: c.Code, Number: c.Number, Name: c.Name, Months: c.Months}
		for _, p := range c.Pieces {
			k.Pieces = append(k.Pieces, applications.Piece{Code: p.Code, Name: p.Name, Required: p.Required})
		}
		out = append(out, k)
	}
	return out
}

// ErrUnknownParcel refuses an application on a parcel the cadastre does
// not have.
var ErrUnknownParcel = guichet.Errorf(guichet.EInvalid,
	"Cette référence de parcelle ne figure pas au cadastre de la commune : vérifiez-la sur la fiche de la parcelle.")

// Dates implements applications.Law: the parcel gives the commune
// (Alsace-Moselle's holidays) and whether it lies in a protected area.
func (a Law) Dates(ctx context.Context, tenantID string, app applications.Application, asOf time.Time) (applications.Dates, error) {
	ter, err := a.Store.Territory(ctx, tenantID)
	if err != nil {
		return applications.Dates{}, err
	}
	p, err := ter.Parcel(app.Parcel)
	if err != nil {
		return applications.Dates{}, ErrUnknownParcel
	}
	sheet := ter.Sheet(p)
	in := Instruction{Cerfa: app.Kind, Commune: p.Commune, Protected: sheet.Protected,
		Filed: app.Filed, PiecesAsked: app.PiecesAsked, PiecesReceived: app.PiecesReceived}
	s, err := in.Schedule(asOf)
	if err != nil {
		return applications.Dates{}, err
	}
	return applications.Dates{CompletenessBy: s.CompletenessBy, Complete: s.Complete, Ends: s.Ends, Decision: s.Decision,
		Tacit: s.Tacit, Refusal: s.Tacit == TacitRefusal || s.Tacit == TacitOpposition, PiecesDue: s.PiecesDue, Lapsed: s.Lapsed, Parcel: p.Label(), Protected: sheet.Protected, Why: s.Why}, nil
}
