// Package network is the network of a collectivité's organisations: the
// ties between the directory's organisations (partnership, shared
// members, funding, shared premises), entered by staff or proposed by an
// organisation's managers; their contact people and leaders, kept with
// their consent; the measures of the network (betweenness, isolated
// groups, clusters, degree) and its drawing; and the campaigns that mail
// the organisations of a cluster or a category.
package network
