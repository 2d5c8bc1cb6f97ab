// Package applications is the seam between the capability that knows the
// law of urban-planning applications and the territory (urbanism) and
// the one that receives applications as procedures: the kinds of
// application whose instruction the law times, and the dates it gives
// one application. It holds types only, so that both domains can use it.
package applications

import (
	"context"
	"time"
)

// Kind is a kind of application ("DP", cerfa 13404) and its pieces.
type Kind struct {
	Code, Number, Name string
	Months             int
	Pieces             []Piece
}

// Piece is one piece of an application ("DP1", plan de situation).
type Piece struct {
	Code, Name string
	Required   bool
}

// Application is what the law needs of one application: its kind, the
// parcel it is about (its 14-character reference), the day it was filed,
// and the days pieces were asked and received (zero when not). Days are
// the collectivité's calendar days.
type Application struct {
	Kind, Parcel                       string
	Filed, PiecesAsked, PiecesReceived time.Time
}

// Dates are what the law makes of an application.
type Dates struct {
	// CompletenessBy is the last day to ask for missing pieces.
	CompletenessBy time.Time
	// Complete is the day the instruction runs from (zero while pieces
	// are awaited).
	Complete time.Time
	// Ends is the instruction's last day; Decision the day a tacit
	// decision arises, of kind Tacit ("permis tacite", "refus tacite"…).
	Ends, Decision time.Time
	Tacit          string
	// Refusal says that the tacit decision refuses.
	Refusal bool
	// PiecesDue is the applicant's last day to give the pieces asked.
	PiecesDue time.Time
	// Lapsed is set once the pieces were not given in time.
	Lapsed bool
	// Parcel names the parcel ("AB 30"); Protected says it lies in a
	// protected area, which lengthens the instruction.
	Parcel    string
	Protected bool
	// Why explains each shift of a date, in French.
	Why []string
}

// Law is the law of applications, as one capability knows it.
type Law interface {
	// Kinds lists the kinds of application.
	Kinds() []Kind
	// Dates computes an application's dates in a collectivité as of a
	// day; an unknown parcel, or pieces asked too late or twice, is an
	// EInvalid or EConflict error.
	Dates(ctx context.Context, tenantID string, a Application, asOf time.Time) (Dates, error)
}

// Start is a procedure a resident may start for a parcel.
type Start struct {
	Title, Kind string
	// Path starts the procedure with the parcel filled in.
	Path string
}

// Starts lists the procedures of a collectivité that take an
// application for a parcel, each with its path for that parcel.
type Starts func(ctx context.Context, tenantID, parcel string) ([]Start, error)

// Filing is an application as the public register shows it (avis de
// dépôt, then the decision): no name of the applicant.
type Filing struct {
	// ID is the case's identifier, stable across updates (feeds).
	ID           string
	Registration string
	Kind         string
	Parcel       string
	// Address and Nature are what the applicant wrote of the land and
	// the works.
	Address, Nature string
	// Filed and Decided are the collectivité's days (Decided is zero while
	// the application is instructed).
	Filed, Decided time.Time
	// Outcome is "", "accordée", "refusée" or "classée sans suite"; Tacit
	// says that silence decided.
	Outcome string
	Tacit   bool
}

// Register lists a collectivité's applications instructed now, or
// decided since the day given, the latest filed first.
type Register func(ctx context.Context, tenantID string, since time.Time) ([]Filing, error)
