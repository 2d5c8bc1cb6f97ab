package appointment

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"guichet/internal/kernel/db"
	"guichet/internal/kernel/tokens"
)

// seedPerTx is how many generated bookings (and their units, about five
// times as many rows) one transaction writes.
const seedPerTx = 10_000

// candidate is a range a generated booking may take: a start on the
// resource's grid, inside its hours, clear of its closures and of the
// candidates before it with their buffers.
type candidate struct {
	agenda, resource, typ int32
	start                 int64 // Unix seconds
	key                   float64
}

// bookings packs the agendas with candidates, keeps o.Bookings of them
// (more often near today than far ahead) and writes them.
func (g *generator) bookings(ctx context.Context, progress func(int)) error {
	cands := g.candidates()
	g.out.Room = len(cands)
	if len(cands) > g.o.Bookings {
		slices.SortFunc(cands, func(x, y candidate) int { return cmp.Compare(y.key, x.key) })
		cands = cands[:g.o.Bookings]
	}
	// In the order of the units' primary key: each transaction touches few index pages.
	slices.SortFunc(cands, func(x, y candidate) int {
		return cmp.Or(cmp.Compare(x.agenda, y.agenda), cmp.Compare(x.resource, y.resource), cmp.Compare(x.start, y.start))
	})
	batches := make(chan *seedBatch, 1)
	prepCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go g.prepare(prepCtx, cands, batches)
	done := 0
	for b := range batches {
		err := g.s.db.InTx(ctx, func(tx *db.Tx) error {
			if err := db.InsertMany(ctx, tx, "appointment_bookings", seedBookingColumns, b.bookings); err != nil {
				return err
			}
			return db.InsertMany(ctx, tx, "appointment_units", []string{"tenant_id", "resource_id", "unit_start", "booking_id"}, b.units)
		})
		if err != nil {
			cancel()
			for range batches { // until the preparation has stopped
			}
			return fmt.Errorf("appointment: generate bookings: %w", err)
		}
		done += b.n
		if progress != nil {
			progress(done)
		}
	}
	return ctx.Err()
}

// candidates walks every resource's opening ranges day by day, placing
// one booking after the other (now and then leaving a step free), each of
// a type drawn by the service's weights.
func (g *generator) candidates() []candidate {
	var out []candidate
	today := DayOf(g.now, g.loc)
	ahead := float64(g.o.Days - g.o.Days/2)
	for ai, a := range g.list {
		svc := g.services[ai]
		c := NewCalendar(a, g.loc, g.exc[ai])
		step := int(a.Step / time.Minute)
		closed := make([][]Interval, len(a.Resources))
		last := make([]int64, len(a.Resources)) // each resource's last busy_until
		total := 0
		for _, w := range svc.weights {
			total += w
		}
		for n := range g.o.Days {
			d := g.first.AddDays(n)
			// Days to come fill up less the further they are.
			weight := 1.0
			if k := float64(n - g.o.Days/2); !d.Before(today) && ahead > 0 {
				weight = max(0.15, 1-0.85*k/ahead)
			}
			c.resourceClosures(d, closed)
			for i := range a.Resources {
				for _, o := range c.ResourceOpenings(d, i) {
					for m := o.Start; m < o.End; {
						t := g.pickType(svc, total)
						if m+int(a.Types[t].Duration/time.Minute) > o.End {
							t = shortestType(a)
						}
						dur := int(a.Types[t].Duration / time.Minute)
						if m+dur > o.End {
							break
						}
						start := d.At(m, g.loc).Unix()
						end := start + int64(dur*60)
						if start < last[i] || overlaps(closed[i], start, end) || g.r.IntN(10) == 0 {
							m += step
							continue
						}
						out = append(out, candidate{agenda: int32(ai), resource: int32(i), typ: int32(t), start: start,
							key: math.Log(1-g.r.Float64()) / weight}) // weighted sampling (Efraimidis–Spirakis)
						foot := dur + int(a.Buffer/time.Minute)
						last[i] = end + int64(a.Buffer/time.Second)
						m += (foot + step - 1) / step * step
					}
				}
			}
		}
	}
	return out
}

func (g *generator) pickType(svc *seedService, total int) int {
	n := g.r.IntN(total)
	for i, w := range svc.weights {
		if n < w {
			return i
		}
		n -= w
	}
	return 0
}

func shortestType(a *Agenda) int {
	k := 0
	for i := range a.Types {
		if a.Types[i].Duration < a.Types[k].Duration {
			k = i
		}
	}
	return k
}

// seedBatch is the rows of the bookings of one transaction.
type seedBatch struct {
	n               int
	bookings, units []any
}

var seedBookingColumns = append(strings.Fields(strings.ReplaceAll(bookingColumns, ",", " ")), "manage_hash", "holder_key", "ants_key")

// prepare turns the candidates into rows, seedPerTx bookings a batch, and
// closes out.
func (g *generator) prepare(ctx context.Context, cands []candidate, out chan<- *seedBatch) {
	defer close(out)
	for len(cands) > 0 {
		n := min(len(cands), seedPerTx)
		b := &seedBatch{n: n, bookings: make([]any, 0, n*len(seedBookingColumns))}
		for _, c := range cands[:n] {
			g.row(b, c)
		}
		cands = cands[n:]
		select {
		case out <- b:
		case <-ctx.Done():
			return
		}
	}
}

// Made-up people: display names, and the same without accents for emails.
var (
	seedFirst = []string{"Camille", "Léa", "Manon", "Chloé", "Inès", "Louise", "Jade", "Emma", "Hugo", "Lucas", "Louis",
		"Gabriel", "Arthur", "Jules", "Nathan", "Paul", "Sophie", "Nicolas", "Julien", "Marie", "Noé", "Zoé", "Yanis", "Aïcha"}
	seedLast = []string{"Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
		"Laurent", "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
		"Nguyen", "Diallo", "Benali", "Da Silva"}
	seedASCII = strings.NewReplacer("é", "e", "è", "e", "ï", "i", " ", "-")
)

// row appends the rows of one booking: past ones done (most), missed or
// cancelled, coming ones booked or cancelled; active ones with their units.
func (g *generator) row(b *seedBatch, c candidate) {
	a := g.list[c.agenda]
	t, res := &a.Types[c.typ], &a.Resources[c.resource]
	r := g.r
	g.out.Bookings++
	bk := Booking{ID: uuid.NewString(), TenantID: g.tenantID, AgendaID: a.ID, TypeID: t.ID, ResourceID: res.ID,
		Start: time.Unix(c.start, 0).UTC(), Status: StatusBooked, BookedBy: "guest", Lang: "fr"}
	bk.End = bk.Start.Add(t.Duration)
	bk.BusyUntil = bk.End.Add(a.Buffer)
	first, last := seedFirst[r.IntN(len(seedFirst))], seedLast[r.IntN(len(seedLast))]
	bk.Name = first + " " + strings.ToUpper(last)
	bk.Email = strings.ToLower(seedASCII.Replace(first+"."+last)) + fmt.Sprintf(".%s%d@exemple.fr", g.run, g.out.Bookings)
	bk.Phone = fmt.Sprintf("06 %02d %02d %02d %02d", r.IntN(100), r.IntN(100), r.IntN(100), r.IntN(100))
	if t.ANTS {
		var n [10]byte
		for i := range n {
			n[i] = referenceAlphabet[r.IntN(len(referenceAlphabet))]
		}
		bk.ANTS = string(n[:])
	}
	if r.IntN(20) == 0 {
		bk.Lang = "en"
	}
	if r.IntN(4) == 0 {
		bk.BookedBy = "agent"
	}
	bk.CreatedAt = bk.Start.Add(-time.Duration(1+r.IntN(40*24)) * time.Hour)
	if bk.CreatedAt.After(g.now) {
		bk.CreatedAt = g.now.Add(-time.Duration(r.IntN(72*60)) * time.Minute)
	}
	bk.UpdatedAt = bk.CreatedAt
	past := bk.Start.Before(g.now)
	switch n := r.IntN(100); {
	case past && n < 80:
		bk.Status, bk.UpdatedAt = StatusDone, bk.End
	case past && n < 88:
		bk.Status, bk.UpdatedAt = StatusNoShow, bk.End
	case n >= 88:
		at := bk.CreatedAt.Add(time.Duration(r.Float64() * float64(minTime(bk.Start, g.now).Sub(bk.CreatedAt))))
		bk.Status, bk.CancelledAt, bk.UpdatedAt, bk.Sequence = StatusCancelled, &at, at, 1
	}
	bk.Reference = newReference(bk.CreatedAt)
	var holder, cancelled, ants any
	if bk.Status == StatusBooked && !past && t.OnePerPerson {
		holder = "e:" + bk.Email
	}
	if bk.Status == StatusBooked && !past && bk.ANTS != "" {
		ants = bk.ANTS
	}
	bk.Guest = bk.BookedBy == "guest"
	if bk.CancelledAt != nil {
		cancelled = *bk.CancelledAt
		g.out.Cancelled++
	}
	b.bookings = append(b.bookings, bk.ID, bk.TenantID, bk.AgendaID, bk.TypeID, bk.ResourceID, bk.Reference, bk.Start,
		bk.End, bk.BusyUntil, bk.Status, bk.UserID, bk.Name, bk.Email, bk.Phone, bk.ANTS, bk.Lang, bk.Sequence,
		bk.BookedBy, bk.SiteURL, nil, bk.WaitlistID, bk.CreatedAt, bk.UpdatedAt, cancelled, bk.Guest,
		tokens.Hash(g.s.ManageToken(&bk)), holder, ants)
	if bk.Active() {
		for u := c.start; u < bk.BusyUntil.Unix(); u += int64(Unit / time.Second) {
			b.units = append(b.units, g.tenantID, res.ID, u, bk.ID)
			g.out.Units++
		}
	}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
