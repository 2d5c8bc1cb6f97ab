package news

import "guichet/internal/publishing"

// Cursor is the position of the last item of a page: publishing's.
type Cursor = publishing.Cursor

// ParseCursor decodes a cursor; anything malformed is the first page.
func ParseCursor(s string) Cursor { return publishing.ParseCursor(s) }
