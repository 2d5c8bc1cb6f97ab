package jobs

import (
	"context"
	"log/slog"
)

// quieter passes on River's warnings and errors only: at info level it
// reports every migration step and job counts every few seconds.
type quieter struct{ slog.Handler }

// Enabled implements slog.Handler.
func (q quieter) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && q.Handler.Enabled(ctx, l)
}

// WithAttrs implements slog.Handler.
func (q quieter) WithAttrs(attrs []slog.Attr) slog.Handler {
	return quieter{q.Handler.WithAttrs(attrs)}
}

// WithGroup implements slog.Handler.
func (q quieter) WithGroup(name string) slog.Handler { return quieter{q.Handler.WithGroup(name)} }

func riverLogger(log *slog.Logger) *slog.Logger {
	return slog.New(quieter{log.Handler()}).With("component", "jobs")
}
