package files

import (
	"context"
	"errors"
	"fmt"
)

// Moved counts what Copy did.
type Moved struct {
	// Copied bodies were written to the destination; Present ones were
	// there already with the same size (an earlier, interrupted run).
	Copied, Present int
	Bytes           int64
}

// Copy copies every file of buckets from one backend to another, leaving
// the source whole: the operator switches the setting, then removes the
// old copies. A run stopped half-way is resumed by running it again:
// files already at the destination with the same size are skipped.
// progress, if set, hears the total once, then each file done.
func Copy(ctx context.Context, from, to Backend, buckets []string, progress func(done, total int)) (Moved, error) {
	var m Moved
	if from.String() == to.String() {
		return m, fmt.Errorf("files: %s is already where the files are", to)
	}
	type pair struct{ src, dst Storage }
	pairs := make(map[string]pair, len(buckets))
	total := 0
	for _, name := range buckets {
		src, err := from.Bucket(name)
		if err != nil {
			return m, err
		}
		dst, err := to.Bucket(name)
		if err != nil {
			return m, err
		}
		pairs[name] = pair{src, dst}
		for _, err := range src.Keys(ctx) {
			if err != nil {
				return m, fmt.Errorf("files: list %s: %w", name, err)
			}
			total++
		}
	}
	done := 0
	if progress != nil {
		progress(0, total)
	}
	for _, name := range buckets {
		p := pairs[name]
		for key, err := range p.src.Keys(ctx) {
			if err != nil {
				return m, fmt.Errorf("files: list %s: %w", name, err)
			}
			n, err := copyOne(ctx, p.src, p.dst, key)
			switch {
			case errors.Is(err, errPresent):
				m.Present++
			case err != nil:
				return m, fmt.Errorf("files: %s/%s: %w", name, key, err)
			default:
				m.Copied++
				m.Bytes += n
			}
			done++
			if progress != nil {
				progress(done, total)
			}
		}
	}
	return m, nil
}

var errPresent = errors.New("already at the destination")

func copyOne(ctx context.Context, src, dst Storage, key string) (int64, error) {
	size, err := src.Size(ctx, key)
	if err != nil {
		return 0, err
	}
	if have, err := dst.Size(ctx, key); err == nil && have == size {
		return 0, errPresent
	} else if err != nil && !errors.Is(err, ErrNotFound) {
		return 0, err
	}
	r, err := src.Open(ctx, key)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	n, err := dst.Put(ctx, key, r)
	if err != nil {
		return 0, err
	}
	if n != size {
		return n, fmt.Errorf("copied %d bytes of %d", n, size)
	}
	return n, nil
}
