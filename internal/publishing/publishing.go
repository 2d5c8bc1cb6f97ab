// Package publishing holds what every capability that publishes for the
// public shares: publication states and their schedule, revisions,
// addresses made from titles (slugs), Markdown rendered safe, keeping the
// search index in step with what is public, and the double opt-in of an
// address given without an account. Each capability keeps its own
// tables; these pieces take the table's name where they need one.
package publishing
