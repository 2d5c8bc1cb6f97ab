package photo

import (
	"context"
	"errors"
	"testing"
	"time"

	"guichet"
	"guichet/internal/capability/reports/photo/phototest"
)

// With both slots held, as by two photos being prepared, a third waits:
// it gives up with its context's error when that ends, and goes on as
// soon as a slot is freed. Not parallel: it holds the process's slots.
func TestAtMostTwoAtOnce(t *testing.T) {
	in := phototest.JPEG(phototest.Picture(), phototest.Tags{Orientation: 6})
	held := 0
	defer func() {
		for range held {
			release()
		}
	}()
	for range parallel {
		if err := acquire(t.Context()); err != nil {
			t.Fatal(err)
		}
		held++
	}

	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, err := Prepare(ctx, in); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("past its deadline: %v, want the deadline's error", err)
	}

	ctx, cancel = context.WithCancel(t.Context())
	gaveUp := make(chan error, 1)
	go func() { _, err := Prepare(ctx, in); gaveUp <- err }()
	time.Sleep(20 * time.Millisecond)
	cancel()
	if err := <-gaveUp; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled while waiting: %v, want the cancellation", err)
	}

	if _, err := Prepare(t.Context(), []byte("pas une photo")); guichet.ErrorCode(err) != guichet.EInvalid {
		t.Fatalf("a refusal waited for a slot: %v", err)
	}

	done := make(chan error, 1)
	go func() { _, err := Prepare(t.Context(), in); done <- err }()
	select {
	case err := <-done:
		t.Fatalf("a third photo was prepared while two were: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	release()
	held--
	if err := <-done; err != nil {
		t.Fatalf("once a slot was freed: %v", err)
	}
}

// A caller already gone is not served, even with a slot free.
func TestCancelledBeforeItsTurn(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	in := phototest.JPEG(phototest.Picture(), phototest.Tags{Orientation: 1})
	if _, err := Prepare(ctx, in); !errors.Is(err, context.Canceled) {
		t.Fatalf("%v, want the cancellation", err)
	}
	if len(slots) != 0 {
		t.Fatalf("%d slots left taken", len(slots))
	}
}
