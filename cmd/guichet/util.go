package main

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"sort"
	"strings"

	"guichet"
)

// describe turns a validation error into one readable line per field.
func describe(err error) error {
	var e *guichet.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	var lines []string
	for field, msg := range e.Fields {
		lines = append(lines, fmt.Sprintf("  %s: %s", field, msg))
	}
	sort.Strings(lines)
	return fmt.Errorf("%s\n%s", e.Message, strings.Join(lines, "\n"))
}

func randomKey() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
