package news

import (
	"context"
	"fmt"

	"guichet/internal/kernel/db"
	"guichet/internal/publishing"
)

// Category is one value of a fixed list; its label is the message
// "content.cat.<Value>" of the web layer.
type Category struct{ Value string }

// Categories are the categories editors choose from.
var Categories = []string{"vie-municipale", "travaux", "culture", "education", "solidarite", "environnement", "sport"}

// insertWithSlug is publishing.InsertWithSlug, its error named as content's.
func insertWithSlug(ctx context.Context, d *db.DB, slug *string, insert func(tx *db.Tx) error) error {
	if err := publishing.InsertWithSlug(ctx, d, slug, insert); err != nil {
		return fmt.Errorf("content: save: %w", err)
	}
	return nil
}
