package main

import (
	"io"
	"testing"
)

// BenchmarkVersion is the part of `shipseal --version` after the package
// inits: building the command tree and running it (issue 10: the whole
// start ≤ 5 ms, bench/run.sh).
func BenchmarkVersion(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if code := execute([]string{"--version"}, nil, io.Discard, io.Discard); code != exitOK {
			b.Fatalf("shipseal --version: exit %d", code)
		}
	}
}
