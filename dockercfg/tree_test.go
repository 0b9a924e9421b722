package dockercfg

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// parseCases are documents at the edges of JSON's grammar.
var parseCases = []string{
	`{}`, `[]`, `""`, `0`, `-0`, `1.5e+10`, `-1E-2`, `true`, `false`, `null`, " \t\r\n{} \n",
	`{"a":1,"b":[1,2,{"c":null}],"d":{"e":"f"}}`,
	`{"a\"b\\c\/d\b\f\n\r\t\u00e9\uD83D\uDE00\ud800": "x"}`, `"\u00"`, `"\u00g0"`, `"\x"`, `"\`, `"a`,
	"\"tab\there\"", "\"nl\nhere\"", "\"\x7f\xff\xfe invalid UTF-8 is fine\"",
	``, ` `, `{`, `}`, `{"a"}`, `{"a":}`, `{"a":1,}`, `{,}`, `{"a":1 "b":2}`, `{"a" 1}`, `{a:1}`, `{'a':1}`,
	`[1,]`, `[,1]`, `[1 2]`, `[`, `]`, `{"a":[}`,
	`01`, `1.`, `.5`, `1e`, `1e+`, `-`, `--1`, `+1`, `0x10`, `1.5.5`, `Infinity`, `NaN`,
	`tru`, `truee`, `nul`, `nulll`, `True`, `{"a":tru}`, `{"a":nulx}`,
	`{} {}`, `{}x`, `{}}`, `1 2`, "{}\x00", "\xef\xbb\xbf{}",
}

// TestParseIsJSONValid checks that parse accepts exactly what
// encoding/json accepts, on edge cases and on random mutations of them.
func TestParseIsJSONValid(t *testing.T) {
	check := func(data []byte) {
		t.Helper()
		root, ok := parse(data, 0)
		if want := json.Valid(data); ok != want {
			t.Fatalf("parse(%q) ok = %v, json.Valid = %v", data, ok, want)
		}
		if ok && (root.start != skipSpace(data, 0) || root.end > len(data)) {
			t.Fatalf("parse(%q): root spans %d:%d", data, root.start, root.end)
		}
	}
	for _, c := range parseCases {
		check([]byte(c))
	}
	r := rand.New(rand.NewPCG(10, 1))
	const alphabet = "{}[]\":,.-+eE0123456789 \n\\/utrfaslnbx\x00\xff"
	for range 100000 {
		b := []byte(parseCases[r.IntN(len(parseCases))])
		for range 1 + r.IntN(3) {
			switch i := r.IntN(len(b) + 1); r.IntN(3) {
			case 0:
				b = append(b[:i], append([]byte{alphabet[r.IntN(len(alphabet))]}, b[i:]...)...)
			case 1:
				if i < len(b) {
					b = append(b[:i], b[i+1:]...)
				}
			case 2:
				if i < len(b) {
					b[i] = alphabet[r.IntN(len(alphabet))]
				}
			}
		}
		check(b)
	}
}

// TestParseDepth checks encoding/json's nesting limit.
func TestParseDepth(t *testing.T) {
	for _, depth := range []int{maxDepth, maxDepth + 1} {
		for _, open := range []string{"[", `{"a":`} {
			close := map[string]string{"[": "]", `{"a":`: "}"}[open]
			data := []byte(strings.Repeat(open, depth) + "1" + strings.Repeat(close, depth))
			if _, ok := parse(data, 0); ok != json.Valid(data) {
				t.Errorf("depth %d of %s: parse ok = %v, json.Valid = %v", depth, open, ok, !ok)
			}
		}
	}
}

// TestParseTree checks the spans and the decoded keys and strings.
func TestParseTree(t *testing.T) {
	data := []byte(` {"a\u0062": ["x\n", 12, {"c": true}], "d": null} `)
	root, ok := parse(data, 0)
	if !ok {
		t.Fatal("not parsed")
	}
	span := func(n *node) string { return string(data[n.start:n.end]) }
	if root.kind != kindObject || span(root) != `{"a\u0062": ["x\n", 12, {"c": true}], "d": null}` || len(root.members) != 2 {
		t.Fatalf("root: %v %q, %d members", root.kind, span(root), len(root.members))
	}
	ab := root.members[0]
	if ab.key != "ab" || string(data[ab.keyStart:stringEnd(data, ab.keyStart)]) != `"a\u0062"` || ab.val.kind != kindArray || len(ab.val.members) != 3 {
		t.Fatalf("first member: %+v", ab)
	}
	if e := ab.val.members[0].val; e.kind != kindString || e.str != "x\n" || span(&e) != `"x\n"` {
		t.Errorf("string: %+v", e)
	}
	if e := ab.val.members[1].val; e.kind != kindNumber || span(&e) != "12" {
		t.Errorf("number: %+v", e)
	}
	if e := ab.val.members[2].val; e.kind != kindObject || e.members[0].key != "c" || e.members[0].val.kind != kindBool {
		t.Errorf("object: %+v", e)
	}
	if d := root.members[1]; d.key != "d" || d.val.kind != kindNull || span(&d.val) != "null" {
		t.Errorf("second member: %+v", d)
	}
}

// FuzzParse checks parse against json.Valid, and the tree against
// encoding/json's reading of the same document.
func FuzzParse(f *testing.F) {
	for _, c := range parseCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		root, ok := parse(data, 0)
		if want := json.Valid(data); ok != want {
			t.Fatalf("parse(%q) ok = %v, json.Valid = %v", data, ok, want)
		}
		if !ok {
			return
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var want any
		if err := dec.Decode(&want); err != nil {
			t.Fatal(err)
		}
		if got := root.value(); !equalJSON(got, want) {
			t.Fatalf("parse(%q) = %#v, encoding/json reads %#v", data, got, want)
		}
	})
}

// value is the tree as encoding/json decodes into an any (the last of two
// equal keys wins; numbers are compared as written).
func (n *node) value() any {
	switch n.kind {
	case kindObject:
		m := map[string]any{}
		for i := range n.members {
			m[n.members[i].key] = n.members[i].val.value()
		}
		return m
	case kindArray:
		a := []any{}
		for i := range n.members {
			a = append(a, n.members[i].val.value())
		}
		return a
	case kindString:
		return n.str
	case kindBool:
		return n.end-n.start == 4
	case kindNumber:
		return "number"
	}
	return nil
}

func equalJSON(got, want any) bool {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for k := range w {
			if !equalJSON(g[k], w[k]) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !equalJSON(g[i], w[i]) {
				return false
			}
		}
		return true
	case json.Number:
		return got == "number"
	}
	return got == want
}

// TestSWAR checks the eight-bytes-at-a-time tests against bytewise ones:
// every byte value in every lane, among random neighbours.
func TestSWAR(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	for lane := range 8 {
		for c := range 256 {
			var w [8]byte
			for i := range w {
				w[i] = byte(0x20 + r.IntN(0x60))
				switch r.IntN(8) {
				case 0:
					w[i] = byte(r.IntN(256))
				case 1:
					w[i] = "\t\n\r"[r.IntN(3)]
				}
			}
			w[lane] = byte(c)
			x := binary.LittleEndian.Uint64(w[:])
			printable, text, quote, backslash := true, true, false, false
			for _, b := range w {
				printable = printable && b >= 0x20 && b < 0x80
				text = text && (b >= 0x20 && b < 0x80 || b == '\t' || b == '\n' || b == '\r')
				quote = quote || b == '"'
				backslash = backslash || b == '\\'
			}
			if printableASCII(x) != printable || textWord(x) != text || hasByte(x, '"') != quote || hasByte(x, '\\') != backslash {
				t.Fatalf("%q: printableASCII %v, textWord %v, hasByte('\"') %v, hasByte('\\\\') %v", w, printableASCII(x), textWord(x), hasByte(x, '"'), hasByte(x, '\\'))
			}
		}
	}
}

// TestFirstNonText compares firstNonText with a bytewise reading.
func TestFirstNonText(t *testing.T) {
	want := func(data []byte) int {
		for i := 0; i < len(data); {
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 || r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
				return i
			}
			i += size
		}
		return -1
	}
	r := rand.New(rand.NewPCG(5, 5))
	for range 20000 {
		b := []byte(strings.Repeat("{\"a\": \"é\tx\"}\r\n", 1+r.IntN(4)))
		for range r.IntN(3) {
			b[r.IntN(len(b))] = byte(r.IntN(256))
		}
		if got := firstNonText(b, 0); got != want(b) {
			t.Fatalf("firstNonText(%q) = %d, want %d", b, got, want(b))
		}
	}
}
