package networkweb

import (
	"slices"
	"testing"

	"guichet/internal/capability/network"
)

// townOrgs are the town directory's organisations (the directory's demo).
var townOrgs = []string{"mairie", "bureau-de-poste", "france-services", "ecole-jules-ferry", "ecole-maternelle-tilleuls",
	"college-george-sand", "creche-petits-pas", "maison-de-sante", "pharmacie-du-centre", "ehpad-les-glycines",
	"centre-medico-social", "boulangerie-martin", "librairie-la-page", "transports-moreau", "cafe-de-la-gare",
	"pepiniere-entreprises", "amicale-des-tilleuls", "epicerie-solidaire", "club-des-aines", "parents-eleves-jules-ferry",
	"jardins-partages", "eglise-saint-martin", "temple-protestant", "centre-en-nour", "us-montclair-football", "judo-club",
	"mediatheque", "cinema-le-rex", "harmonie-municipale", "ecole-de-musique", "hotel-du-commerce", "camping-bords-de-vienne",
	"gite-moulin-chaussac"}

// TestDemoNetworkHasItsClustersAndBrokers: the demo's ties give the
// clusters, brokers and isolated pair the demo tells of.
func TestDemoNetworkHasItsClustersAndBrokers(t *testing.T) {
	t.Parallel()
	var edges [][2]string
	for _, tie := range townTies {
		if !slices.Contains(townOrgs, tie.from) || !slices.Contains(townOrgs, tie.to) {
			t.Fatalf("the tie %s – %s names an entry the directory's demo lacks", tie.from, tie.to)
		}
		edges = append(edges, [2]string{tie.from, tie.to})
	}
	g := network.NewGraph(townOrgs, edges)
	m := network.Measure(g)
	name := func(i int) string { return townOrgs[i] }
	var brokers []string
	for _, b := range m.Brokers {
		brokers = append(brokers, name(b))
	}
	if len(brokers) < 2 || !slices.Contains(brokers[:2], "amicale-des-tilleuls") || !slices.Contains(brokers[:2], "mediatheque") {
		t.Errorf("brokers %v: want the amicale and the médiathèque first", brokers)
	}
	if len(m.Components) != 2 || len(m.Components[1]) != 2 || name(m.Components[1][0]) != "jardins-partages" {
		t.Errorf("components %v: want the main network and the isolated pair", m.Components)
	}
	clusterOf := func(slug string) int { return m.Nodes[slices.Index(townOrgs, slug)].Cluster }
	for _, group := range [][]string{
		{"epicerie-solidaire", "centre-medico-social", "ehpad-les-glycines", "club-des-aines", "france-services", "eglise-saint-martin"},
		{"ecole-jules-ferry", "ecole-maternelle-tilleuls", "college-george-sand", "parents-eleves-jules-ferry", "creche-petits-pas",
			"judo-club", "us-montclair-football"},
		{"harmonie-municipale", "ecole-de-musique", "cinema-le-rex", "hotel-du-commerce", "camping-bords-de-vienne", "gite-moulin-chaussac"},
	} {
		for _, slug := range group {
			if clusterOf(slug) != clusterOf(group[0]) {
				t.Errorf("%s is in cluster %d, %s in %d", slug, clusterOf(slug), group[0], clusterOf(group[0]))
			}
		}
	}
	if len(m.Clusters) != 4 {
		t.Errorf("%d clusters, want the three of the demo and the pair: %v", len(m.Clusters), m.Clusters)
	}
	for i, c := range m.Clusters {
		var names []string
		for _, n := range c {
			names = append(names, name(n))
		}
		t.Logf("cluster %d: %v", i, names)
	}
	for _, b := range m.Brokers {
		t.Logf("broker %s %.3f", name(b), m.Nodes[b].Betweenness)
	}
}

// BenchmarkDemoNetwork is what the demo town's network costs to measure
// and lay out: the first visit after a change of its ties.
func BenchmarkDemoNetwork(b *testing.B) {
	var edges [][2]string
	for _, tie := range townTies {
		edges = append(edges, [2]string{tie.from, tie.to})
	}
	g := network.NewGraph(townOrgs, edges)
	for b.Loop() {
		network.Layout(g, network.Measure(g))
	}
}
