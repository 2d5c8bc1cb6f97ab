package reports_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"guichet/internal/capability/reports"
	"guichet/internal/kernel/db"
)

// spread is a town's reports for benchmarks and large lists: n confirmed
// reports of the categories, spread evenly over a square of side metres
// around the centre, with statuses as a busy town has them, created one
// minute apart before at.
type spread struct {
	tenantID   string
	categories []string
	n          int
	side       float64
	at         time.Time
	seed       uint64
}

// statusMix is the share of each status among the reports.
var statusMix = []reports.Status{reports.New, reports.New, reports.Acknowledged, reports.InProgress, reports.InProgress,
	reports.Fixed, reports.Fixed, reports.Fixed, reports.Closed, reports.Duplicate}

var seedCols = []string{"id", "tenant_id", "reference", "category_id", "lat", "lon", "description", "status", "source",
	"created_at", "updated_at", "confirmed_at", "resolved_at"}

// insert writes the reports in one transaction.
func (sp spread) insert(ctx context.Context, d *db.DB) error {
	rnd := rand.New(rand.NewPCG(sp.seed, 1))
	dLat := sp.side / reports.Distance(0, 0, 1, 0)
	dLon := dLat / math.Cos(centreLat*math.Pi/180)
	values := make([]any, 0, sp.n*len(seedCols))
	for i := range sp.n {
		st := statusMix[rnd.IntN(len(statusMix))]
		created := sp.at.Add(-time.Duration(sp.n-i) * time.Minute).UTC()
		var resolved any
		if !st.Open() {
			resolved = created.Add(time.Hour)
		}
		values = append(values, uuid.NewString(), sp.tenantID, fmt.Sprintf("SIG-2000-%06d", i+1),
			sp.categories[rnd.IntN(len(sp.categories))], centreLat+(rnd.Float64()-0.5)*dLat, centreLon+(rnd.Float64()-0.5)*dLon,
			"Un problème signalé sur la voie publique.", st, reports.SourceWeb, created, created, created, resolved)
	}
	return d.InTx(ctx, func(tx *db.Tx) error { return db.InsertMany(ctx, tx, "reports", seedCols, values) })
}
