package app

import (
	"errors"
	"fmt"
	"math"
)

// minKeyBits is the least entropy a secret key may show, estimated from
// the frequency of its characters. A random key of 32 hexadecimal digits
// shows 113 bits on average and under 89 about once in 100 000; a key
// typed by hand shows far less.
const minKeyBits = 85

// errWeakKey says why a key is refused and how to make a good one.
var errWeakKey = errors.New("make one with: head -c 32 /dev/urandom | base64")

// CheckSecretKey refuses a key too short or too predictable to sign tokens:
// fewer than 32 characters, a repeated pattern, a run of neighbouring
// characters ("abcd…", "aaaa…"), or too little estimated entropy.
func CheckSecretKey(key string) error {
	switch {
	case len(key) < 32:
		return fmt.Errorf("the secret key must have 32 characters or more; %w", errWeakKey)
	case periodic(key):
		return fmt.Errorf("the secret key repeats a pattern; %w", errWeakKey)
	case sequential(key):
		return fmt.Errorf("the secret key is made of neighbouring characters; %w", errWeakKey)
	case entropyBits(key) < minKeyBits:
		return fmt.Errorf("the secret key is too predictable (%.0f bits, %d needed); %w", entropyBits(key), minKeyBits, errWeakKey)
	}
	return nil
}

// periodic reports whether s is a shorter string repeated (the last
// repetition may be cut short).
func periodic(s string) bool {
	for p := 1; p <= len(s)/2; p++ {
		if s[p:] == s[:len(s)-p] {
			return true
		}
	}
	return false
}

// sequential reports whether at least half the neighbouring pairs of s
// are equal or consecutive characters.
func sequential(s string) bool {
	near := 0
	for i := 1; i < len(s); i++ {
		if d := int(s[i]) - int(s[i-1]); d >= -1 && d <= 1 {
			near++
		}
	}
	return near*2 >= len(s)-1
}

// entropyBits estimates the key's entropy from its character frequencies
// (Shannon), which underestimates a random key and sees through padding.
func entropyBits(s string) float64 {
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	n, bits := float64(len(s)), 0.0
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / n
			bits -= p * math.Log2(p)
		}
	}
	return bits * n
}
