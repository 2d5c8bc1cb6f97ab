package search

import (
	"context"
	"fmt"

	"guichet/internal/kernel/db"
)

// Kind is one kind of document residents search, registered by the
// capability that publishes it: its name in the index, how results show
// it, and, for a small catalogue indexed whole, where its documents come
// from.
type Kind struct {
	// Name is the kind in document keys: "news", "procedure".
	Name string
	// Label is the message key of the kind's heading among results
	// ("Démarches en ligne").
	Label string
	// Action, when set, is the message key of the link a direct answer of
	// this kind carries ("Faire la démarche"): a procedure or a service
	// whose title holds every word of the query is shown first.
	Action string
	// Boost, when set, scales the kind's scores in percent: services and
	// practical pages above dated items holding the same words.
	Boost int
	// Docs, when set, lists every document of the kind a collectivité
	// publishes: the index of such a kind is replaced whole (Sync) rather
	// than item by item, and filled from it when first installed.
	Docs func(ctx context.Context, tenantID string) ([]Doc, error)
}

// Searchable is a capability that publishes kinds of documents to search.
type Searchable interface {
	SearchKinds() []Kind
}

// Sync replaces the documents of kind k in a collectivité's index with
// those k.Docs lists now, in one transaction: the way to index a small
// catalogue (procedures, services) after any change to it.
func (ix *Index) Sync(ctx context.Context, tenantID string, k Kind) error {
	docs, err := k.Docs(ctx, tenantID)
	if err != nil {
		return fmt.Errorf("search: %s documents: %w", k.Name, err)
	}
	return ix.db.InTx(ctx, func(tx *db.Tx) error { return replaceKind(ctx, tx, tenantID, k.Name, docs) })
}

func replaceKind(ctx context.Context, tx *db.Tx, tenantID, kind string, docs []Doc) error {
	for _, table := range []string{"search_postings", "search_docs"} {
		if _, err := tx.Exec(ctx, `DELETE FROM `+table+` WHERE tenant_id = ? AND doc_key LIKE ?`, tenantID, kind+":%"); err != nil {
			return fmt.Errorf("search: replace %s: %w", kind, err)
		}
	}
	for i := range docs {
		docs[i].TenantID, docs[i].Kind = tenantID, kind
	}
	return NewBatch(docs).Write(ctx, tx)
}

// Boosts returns the kinds' boosts, for Query.Boost.
func Boosts(kinds []Kind) map[string]int {
	out := map[string]int{}
	for _, k := range kinds {
		if k.Boost > 0 {
			out[k.Name] = k.Boost
		}
	}
	return out
}
