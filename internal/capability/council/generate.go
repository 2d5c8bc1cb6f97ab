package council

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"guichet/internal/kernel/db"
	"guichet/internal/publishing/search"
)

// generatedObjects are the objects generated deliberations pick from.
var generatedObjects = []struct{ code, title string }{
	{"7.1", "Décision modificative n° %d du budget principal"},
	{"7.5", "Attribution d'une subvention à l'association sportive (dossier %d)"},
	{"1.1", "Attribution du marché de travaux de voirie, lot %d"},
	{"3.1", "Acquisition de la parcelle cadastrée section AB n° %d"},
	{"4.2", "Création d'un emploi non permanent pour accroissement d'activité (%d)"},
	{"8.1", "Participation aux frais de fonctionnement de l'école, convention %d"},
	{"5.3", "Désignation d'un représentant au syndicat des eaux (siège %d)"},
	{"2.1", "Modification simplifiée n° %d du plan local d'urbanisme"},
	{"8.8", "Plan de gestion différenciée des espaces verts, secteur %d"},
	{"9.4", "Motion de soutien au maintien du bureau de poste (%d)"},
}

// Generate writes count published deliberations for scale tests (the
// SCDL export of a large town), numbered per year from 2020 on, each with
// its vote and its search entry; done is called after each.
func (s *Store) Generate(ctx context.Context, tenantID string, count int, done func()) error {
	r := rand.New(rand.NewPCG(uint64(count), 42))
	now := s.Stamp()
	start := time.Date(2020, 1, 15, 0, 0, 0, 0, time.UTC)
	perYear := map[int]int{}
	const batch = 200
	for i := 0; i < count; i += batch {
		err := s.DB().InTx(ctx, func(tx *db.Tx) error {
			for j := i; j < min(i+batch, count); j++ {
				day := start.AddDate(0, 0, j*2190/max(count, 1))
				if _, seen := perYear[day.Year()]; !seen { // continue after the year's acts already there
					next, err := s.NextNumber(ctx, tenantID, Deliberation, fmt.Sprint(day.Year()))
					if err != nil {
						return err
					}
					var n int
					fmt.Sscanf(next[5:], "%d", &n)
					perYear[day.Year()] = n - 1
				}
				perYear[day.Year()]++
				o := generatedObjects[r.IntN(len(generatedObjects))]
				inOffice := 27
				voters := inOffice - r.IntN(6)
				against, abst := r.IntN(4), r.IntN(3)
				a := &Act{ID: uuid.NewString(), TenantID: tenantID, Kind: Deliberation,
					Number: fmt.Sprintf("%d-%03d", day.Year(), perYear[day.Year()]), AdoptedOn: day.Format(DateLayout), SubjectCode: o.code,
					Title: fmt.Sprintf(o.title, j+1), Outcome: Adopted, Status: Published, PublishedAt: &now,
					Vote: &Vote{InOffice: inOffice, Voters: voters, For: voters - against - abst, Against: against, Abstentions: abst}}
				a.Body = "Le conseil municipal, après en avoir délibéré, approuve : " + a.Title + "."
				if o.code == "7.1" {
					a.BudgetYear, a.BudgetName = fmt.Sprint(day.Year()), "Budget principal"
				}
				if j%3 == 0 {
					a.PrefectureID = fmt.Sprintf("086-218699000-%s-D%05d-DE", day.Format("20060102"), j+1)
					a.TransmittedOn = day.AddDate(0, 0, 2).Format(DateLayout)
				}
				v := a.Vote
				if _, err := tx.Exec(ctx, `INSERT INTO council_acts (`+actColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
					?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, a.TenantID, a.Kind, a.Number, "", "", a.AdoptedOn,
					a.SubjectCode, a.Title, a.Body, a.Outcome, true, v.InOffice, v.Voters, v.For, v.Against, v.Abstentions, false,
					a.BudgetYear, a.BudgetName, a.PrefectureID, a.TransmittedOn, "", "", "", Published, now, "Génération", "Génération",
					now, now); err != nil {
					return err
				}
				if err := search.Put(ctx, tx, a.doc("")); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return wrap("generate", err)
		}
		for j := i; j < min(i+batch, count); j++ {
			done()
		}
	}
	s.Changed(ctx, tenantID)
	return nil
}
