package networkweb

import (
	"cmp"
	"slices"
	"strings"

	"guichet"
	"guichet/internal/capability/network"
	"guichet/internal/kernel/web"
)

// orgView is an organisation as the staff's pages show it.
type orgView struct {
	ID, Name, Path string
	// Category is the directory's category, CategoryKey its key.
	Category, CategoryKey string
	// Sheet is its sheet in the back office.
	Sheet   string
	Cluster *clusterView // nil without ties
	Degree  int
	// Rank and Betweenness are its place and value by betweenness
	// (Rank 0 without ties).
	Rank        int
	Betweenness string
	// Bridging says that shortest paths between others go through it.
	Bridging bool
	Contacts int
	index    int
}

// clusterView is a cluster: its letter, and the shape and colour that
// draw its members (the letter is written in each, so that colour is
// never the only sign).
type clusterView struct {
	Index        int
	Letter, Name string // "B", "groupe B"
	Shape, Class string // the shape's name for the legend, the colour's class
	Colour       string // the colour's name
	// Icon is the shape drawn in a 32 × 32 box, for the legend.
	Icon           string
	Members        []*orgView
	draw           func(x, y, r float64) string
	representative string
}

// brokerView is an organisation that ties groups together.
type brokerView struct {
	Org     *orgView
	Bridges []*clusterView
	// Says in words which groups it ties together.
	Says string
}

// networkPage is what the overview shows of a network.
type networkPage struct {
	Orgs     []*orgView // by name
	Clusters []*clusterView
	Brokers  []brokerView
	// Isolated are the groups tied among themselves and to nothing else.
	Isolated [][]*orgView
	// Alone are the organisations without any tie.
	Alone   []*orgView
	Ties    int
	Drawing *drawing
	byID    map[string]*orgView
}

// The clusters' shapes (their names are messages "network.shape.X") and
// colours, in order; past six clusters they come round again, and the
// letter tells the clusters apart.
var shapes = []struct {
	name string
	draw func(x, y, r float64) string
}{
	{"circle", circlePath}, {"square", squarePath}, {"triangle", trianglePath}, {"diamond", diamondPath},
	{"hexagon", hexagonPath}, {"down", downPath},
}

// colours is the number of colour classes of the stylesheet (c0…c6),
// Okabe and Ito's palette, told apart by readers with a colour vision
// deficiency.
const colours = 7

// letter names the cluster of index i: A…Z, then AA, AB…
func letter(i int) string {
	s := ""
	for {
		s = string(rune('A'+i%26)) + s
		i = i/26 - 1
		if i < 0 {
			return s
		}
	}
}

// present turns a measured network into what the pages show; counts
// are each organisation's number of contacts.
func present(p *web.Page, v *network.View, counts map[string]int) *networkPage {
	n := &networkPage{byID: map[string]*orgView{}, Ties: len(v.Ties)}
	m := v.Measures
	for c := range m.Clusters {
		shape := shapes[c%len(shapes)]
		n.Clusters = append(n.Clusters, &clusterView{Index: c, Letter: letter(c), Name: p.T("network.cluster", letter(c)),
			Shape: p.T("network.shape." + shape.name), Class: "c" + string(rune('0'+c%colours)), draw: shape.draw,
			Colour: p.T("network.colour.c" + string(rune('0'+c%colours))), Icon: shape.draw(16, 16, 9)})
	}
	for i, e := range v.Orgs {
		nm := m.Nodes[i]
		o := &orgView{ID: e.ID, Name: e.Name, Path: e.Path, Category: p.T("network.category." + e.Category), CategoryKey: e.Category, Sheet: OrgPath + e.ID,
			Degree: nm.Degree, Rank: nm.Rank, Betweenness: guichet.Decimal(nm.Betweenness, 3, p.Lang), Bridging: nm.Betweenness > 0, Contacts: counts[e.ID],
			index: i}
		if nm.Cluster >= 0 {
			o.Cluster = n.Clusters[nm.Cluster]
			o.Cluster.Members = append(o.Cluster.Members, o)
		}
		n.Orgs = append(n.Orgs, o)
		n.byID[e.ID] = o
		if nm.Degree == 0 {
			n.Alone = append(n.Alone, o)
		}
	}
	for _, b := range m.Brokers {
		bv := brokerView{Org: n.Orgs[b]}
		var letters []string
		if c := bv.Org.Cluster; c != nil {
			letters = append(letters, c.Letter)
		}
		for _, c := range m.Bridges(v.Graph, b) {
			bv.Bridges = append(bv.Bridges, n.Clusters[c])
			letters = append(letters, n.Clusters[c].Letter)
		}
		switch len(letters) {
		case 0:
			bv.Says = p.T("network.broker.alone")
		case 1:
			bv.Says = p.T("network.broker.within", letters[0])
		default:
			bv.Says = p.T("network.broker.between", strings.Join(letters[:len(letters)-1], ", "), letters[len(letters)-1])
		}
		n.Brokers = append(n.Brokers, bv)
	}
	for _, comp := range m.Components[min(1, len(m.Components)):] {
		var group []*orgView
		for _, i := range comp {
			group = append(group, n.Orgs[i])
		}
		n.Isolated = append(n.Isolated, group)
	}
	for _, c := range n.Clusters {
		// The member with the most ties names the cluster in the legend.
		c.representative = slices.MaxFunc(c.Members, func(a, b *orgView) int {
			return cmp.Or(cmp.Compare(a.Degree, b.Degree), -strings.Compare(a.Name, b.Name))
		}).Name
	}
	// The graph's order is the directory's; pages list by name.
	byName := slices.Clone(n.Orgs)
	entries := make([]network.DirectoryEntry, len(byName))
	for i, o := range byName {
		entries[i] = network.DirectoryEntry{ID: o.ID, Name: o.Name}
	}
	network.SortByName(entries)
	for i, e := range entries {
		byName[i] = n.byID[e.ID]
	}
	n.Orgs = byName
	n.Drawing = draw(p, v, n)
	return n
}

// Around names the cluster by its best-tied member, for the legend.
func (c *clusterView) Around() string { return c.representative }

// org returns the organisation of id, nil when it is not in the network.
func (n *networkPage) org(id string) *orgView { return n.byID[id] }

// option is one choice of a form's list.
type option struct{ Value, Label string }

// orgOptions lists the organisations for a select, by name, without
// except.
func (n *networkPage) orgOptions(except string) []option {
	var out []option
	for _, o := range n.Orgs {
		if o.ID != except {
			out = append(out, option{o.ID, o.Name})
		}
	}
	return out
}

// kindOptions lists the kinds of ties.
func kindOptions(p *web.Page) []option {
	var out []option
	for _, k := range network.Kinds {
		out = append(out, option{k, p.T("network.kind." + k)})
	}
	return out
}

// consentOptions lists the sources of consent.
func consentOptions(p *web.Page) []option {
	var out []option
	for _, s := range network.ConsentSources {
		out = append(out, option{s, p.T("network.consent." + s)})
	}
	return out
}

// tieView is a tie as the pages write it.
type tieView struct {
	*network.Tie
	From, To             *orgView
	FromName, ToName     string
	KindLabel, Created   string
	Decided, Ended       string
	ProposedByOrg        string
	Word                 string // "et", "finance"
	Arrow, Mine, Waiting bool
}

// tieView writes a tie; names of organisations that left the network are
// kept as the directory last gave them, or their id.
func (n *networkPage) tieView(p *web.Page, t *network.Tie, names map[string]string) tieView {
	tv := tieView{Tie: t, From: n.byID[t.From], To: n.byID[t.To], KindLabel: p.T("network.kind." + t.Kind),
		Created: guichet.Date(t.Created.In(p.Tenant.Location()), p.Lang), Arrow: t.Directed(), Waiting: t.State == network.Proposed,
		Word: p.T("network.tie.and")}
	if t.Directed() {
		tv.Word = p.T("network.tie.funds")
	}
	tv.FromName, tv.ToName = nameOf(tv.From, names, t.From), nameOf(tv.To, names, t.To)
	if t.Decided != nil {
		tv.Decided = guichet.Date(t.Decided.In(p.Tenant.Location()), p.Lang)
	}
	if t.EndedAt != nil {
		tv.Ended = guichet.Date(t.EndedAt.In(p.Tenant.Location()), p.Lang)
	}
	if t.ProposedFor != "" {
		tv.ProposedByOrg = nameOf(n.byID[t.ProposedFor], names, t.ProposedFor)
	}
	return tv
}

func nameOf(o *orgView, names map[string]string, id string) string {
	if o != nil {
		return o.Name
	}
	if n, ok := names[id]; ok {
		return n
	}
	return id
}
