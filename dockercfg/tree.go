package dockercfg

import (
	"encoding/binary"
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// kind is the type of a JSON value.
type kind uint8

const (
	kindObject kind = iota + 1
	kindArray
	kindString
	kindNumber
	kindBool
	kindNull
)

func (k kind) String() string {
	switch k {
	case kindObject:
		return "an object"
	case kindArray:
		return "an array"
	case kindString:
		return "a string"
	case kindNumber:
		return "a number"
	case kindBool:
		return "a boolean"
	case kindNull:
		return "null"
	}
	return "nothing"
}

// node is a JSON value with the byte span it was read from. encoding/json
// throws positions away and keeps only the last of two equal keys; the
// validator needs both, so it walks this tree instead.
type node struct {
	kind       kind
	start, end int    // data[start:end] is the value as written, quotes included
	str        string // the decoded value of a string
	// members are an object's members, or an array's elements as
	// members without a key: one slice for both keeps a 1 MiB config's
	// 27,000 nodes small.
	members []member
}

type member struct {
	key      string // decoded
	keyStart int    // where the key is written, at its opening quote
	val      node
}

// get returns the last member named key in any letter case, as
// encoding/json matches struct fields (and keeps the last one).
func (n *node) get(key string) *member {
	for i := len(n.members) - 1; i >= 0; i-- {
		if strings.EqualFold(n.members[i].key, key) {
			return &n.members[i]
		}
	}
	return nil
}

// maxDepth is encoding/json's limit on nesting: it rejects a document
// with more objects and arrays inside one another than this.
const maxDepth = 10000

// parser reads a JSON document into a tree in one pass, accepting exactly
// what encoding/json accepts (json.Valid), so that the validator needs no
// pass of encoding/json's over a valid file. On the first syntax error it
// stops: encoding/json then reads the file again to describe the error
// in its words.
type parser struct {
	data  []byte
	doc   string // data as a string: unescaped strings are slices of it
	bad   bool
	depth int
	// The members and elements of the objects and arrays being read,
	// innermost last; each container's are moved into a slab when it
	// ends, so that thousands of small entries cost a few allocations.
	members []member
	slab    []member
}

// parse returns the tree of the JSON value in data[from:], and false
// (with no tree) when data[from:] is not valid JSON.
func parse(data []byte, from int) (*node, bool) {
	p := parser{data: data, doc: string(data)}
	// The stack is sized for the usual large file: one object (auths)
	// of registries of about 100 bytes each. It grows if that is short;
	// capacity beyond what is used costs no page.
	p.members = make([]member, 0, max(64, len(data)/100))
	n, i := p.value(skipSpace(data, from))
	if p.bad || skipSpace(data, i) != len(data) {
		return nil, false
	}
	return &n, true
}

// value reads the value at i, and returns it and the offset after it.
func (p *parser) value(i int) (node, int) {
	if i >= len(p.data) {
		p.bad = true
		return node{}, i
	}
	switch c := p.data[i]; c {
	case '{':
		return p.object(i)
	case '[':
		return p.array(i)
	case '"':
		s, end := p.string(i)
		return node{kind: kindString, start: i, end: end, str: s}, end
	case 't':
		return p.literal(i, "true", kindBool)
	case 'f':
		return p.literal(i, "false", kindBool)
	case 'n':
		return p.literal(i, "null", kindNull)
	default:
		end := p.number(i)
		return node{kind: kindNumber, start: i, end: end}, end
	}
}

func (p *parser) literal(i int, word string, k kind) (node, int) {
	end := i + len(word)
	if end > len(p.data) || p.doc[i:end] != word {
		p.bad = true
		return node{}, i
	}
	return node{kind: k, start: i, end: end}, end
}

// number reads -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? at i.
func (p *parser) number(i int) int {
	d := p.data
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && d[i] >= '1' && d[i] <= '9':
		i = digits(d, i)
	default:
		p.bad = true
		return i
	}
	if i < len(d) && d[i] == '.' {
		j := digits(d, i+1)
		if j == i+1 {
			p.bad = true
			return j
		}
		i = j
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		j := digits(d, i)
		if j == i {
			p.bad = true
			return j
		}
		i = j
	}
	return i
}

func digits(d []byte, i int) int {
	for i < len(d) && d[i] >= '0' && d[i] <= '9' {
		i++
	}
	return i
}

// stringByte classes the bytes of a string: 0 for ASCII ones, 1 for a
// control byte (an error), 2 for the closing quote, 3 for a backslash, 4
// for the bytes of other characters.
var stringByte = func() (t [256]byte) {
	for c := range 0x20 {
		t[c] = 1
	}
	t['"'] = 2
	t['\\'] = 3
	for c := 0x80; c < 0x100; c++ {
		t[c] = 4
	}
	return t
}()

// string returns the decoded string starting at the quote at i, and the
// offset just past its closing quote.
func (p *parser) string(i int) (string, int) {
	d := p.data
	escaped, nonASCII := false, false
	j := i + 1
	for {
		for j+8 <= len(d) {
			if x := binary.LittleEndian.Uint64(d[j:]); !printableASCII(x) || hasByte(x, '"') || hasByte(x, '\\') {
				break
			}
			j += 8
		}
		for j < len(d) && stringByte[d[j]] == 0 {
			j++
		}
		if j >= len(d) {
			p.bad = true
			return "", j
		}
		switch stringByte[d[j]] {
		case 1:
			p.bad = true
			return "", j
		case 4:
			nonASCII = true
			j++
			continue
		case 2:
			end := j + 1
			if !escaped && (!nonASCII || utf8.Valid(d[i+1:j])) {
				return p.doc[i+1 : j], end
			}
			// Rare: encoding/json decodes escapes, bad surrogates and
			// invalid UTF-8 its own way.
			var s string
			if err := json.Unmarshal(d[i:end], &s); err != nil {
				panic("dockercfg: internal error: string accepted by the parser does not decode: " + err.Error())
			}
			return s, end
		}
		escaped = true
		j++
		if j >= len(d) {
			p.bad = true
			return "", j
		}
		switch d[j] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			j++
		case 'u':
			if j+4 >= len(d) || !isHex(d[j+1]) || !isHex(d[j+2]) || !isHex(d[j+3]) || !isHex(d[j+4]) {
				p.bad = true
				return "", j
			}
			j += 5
		default:
			p.bad = true
			return "", j
		}
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func (p *parser) object(i int) (node, int) {
	n := node{kind: kindObject, start: i}
	if p.depth++; p.depth > maxDepth {
		p.bad = true
		return n, i
	}
	defer func() { p.depth-- }()
	i = skipSpace(p.data, i+1)
	if i < len(p.data) && p.data[i] == '}' {
		n.end = i + 1
		return n, n.end
	}
	base := len(p.members)
	for {
		if i >= len(p.data) || p.data[i] != '"' {
			p.bad = true
			return n, i
		}
		key, keyEnd := p.string(i)
		if p.bad {
			return n, keyEnd
		}
		m := member{key: key, keyStart: i}
		i = skipSpace(p.data, keyEnd)
		if i >= len(p.data) || p.data[i] != ':' {
			p.bad = true
			return n, i
		}
		m.val, i = p.value(skipSpace(p.data, i+1))
		if p.bad {
			return n, i
		}
		p.members = append(p.members, m)
		i = skipSpace(p.data, i)
		if i >= len(p.data) {
			p.bad = true
			return n, i
		}
		switch p.data[i] {
		case '}':
			n.end = i + 1
			n.members = keep(&p.members, &p.slab, base)
			return n, n.end
		case ',':
			i = skipSpace(p.data, i+1)
		default:
			p.bad = true
			return n, i
		}
	}
}

func (p *parser) array(i int) (node, int) {
	n := node{kind: kindArray, start: i}
	if p.depth++; p.depth > maxDepth {
		p.bad = true
		return n, i
	}
	defer func() { p.depth-- }()
	i = skipSpace(p.data, i+1)
	if i < len(p.data) && p.data[i] == ']' {
		n.end = i + 1
		return n, n.end
	}
	base := len(p.members)
	for {
		var e member
		e.val, i = p.value(i)
		if p.bad {
			return n, i
		}
		p.members = append(p.members, e)
		i = skipSpace(p.data, i)
		if i >= len(p.data) {
			p.bad = true
			return n, i
		}
		switch p.data[i] {
		case ']':
			n.end = i + 1
			n.members = keep(&p.members, &p.slab, base)
			return n, n.end
		case ',':
			i = skipSpace(p.data, i+1)
		default:
			p.bad = true
			return n, i
		}
	}
}

// slabSize is how many members or elements one allocation holds for small
// containers.
const slabSize = 512

// keep moves (*stack)[base:], the members or elements of a container that
// has ended, out of the stack and returns them. A small container's go
// into the slab; a large one keeps the stack's array, the stack moving to
// a new one, so that the 9,000 registries of a large config are not copied
// once more.
func keep[T any](stack, slab *[]T, base int) []T {
	items := (*stack)[base:]
	switch n := len(items); {
	case n > slabSize/4 && base <= n/4:
		*stack = append(make([]T, 0, max(2*base, slabSize/4)), (*stack)[:base]...)
		return items[:n:n]
	case n > slabSize/4:
		out := append([]T(nil), items...)
		*stack = (*stack)[:base]
		return out
	case cap(*slab)-len(*slab) < n:
		*slab = make([]T, 0, slabSize)
	}
	at := len(*slab)
	*slab = append(*slab, items...)
	*stack = (*stack)[:base]
	return (*slab)[at:len(*slab):len(*slab)]
}
