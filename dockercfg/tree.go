package dockercfg

import (
	"encoding/json"
	"strings"
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
	members    []member
	elems      []node
}

type member struct {
	key              string // decoded
	keyStart, keyEnd int    // the key as written, quotes included
	val              node
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

// treeParser reads a document that encoding/json has already accepted, so
// it does not check syntax: it only records where things are.
type treeParser struct {
	data []byte
}

// parseTree returns the tree of the JSON value in data[from:].
// data[from:] must be valid JSON.
func parseTree(data []byte, from int) *node {
	p := treeParser{data: data}
	n, _ := p.value(from)
	return &n
}

func (p *treeParser) value(i int) (node, int) {
	i = skipSpace(p.data, i)
	switch c := p.data[i]; {
	case c == '{':
		return p.object(i)
	case c == '[':
		return p.array(i)
	case c == '"':
		s, end := p.string(i)
		return node{kind: kindString, start: i, end: end, str: s}, end
	case c == 't':
		return node{kind: kindBool, start: i, end: i + 4}, i + 4
	case c == 'f':
		return node{kind: kindBool, start: i, end: i + 5}, i + 5
	case c == 'n':
		return node{kind: kindNull, start: i, end: i + 4}, i + 4
	default:
		j := i
		for j < len(p.data) && isNumberByte(p.data[j]) {
			j++
		}
		return node{kind: kindNumber, start: i, end: j}, j
	}
}

func isNumberByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// string returns the decoded string starting at the quote at i, and the
// offset just past its closing quote.
func (p *treeParser) string(i int) (string, int) {
	escaped := false
	j := i + 1
	for p.data[j] != '"' {
		if p.data[j] == '\\' {
			escaped = true
			j++
		}
		j++
	}
	end := j + 1
	if !escaped {
		return string(p.data[i+1 : j]), end
	}
	var s string
	if err := json.Unmarshal(p.data[i:end], &s); err != nil {
		panic("dockercfg: internal error: string accepted by encoding/json does not decode: " + err.Error())
	}
	return s, end
}

func (p *treeParser) object(i int) (node, int) {
	n := node{kind: kindObject, start: i}
	i = skipSpace(p.data, i+1)
	if p.data[i] == '}' {
		n.end = i + 1
		return n, n.end
	}
	for {
		i = skipSpace(p.data, i)
		key, keyEnd := p.string(i)
		m := member{key: key, keyStart: i, keyEnd: keyEnd}
		i = skipSpace(p.data, keyEnd) + 1 // the colon
		m.val, i = p.value(i)
		n.members = append(n.members, m)
		i = skipSpace(p.data, i)
		if p.data[i] == '}' {
			n.end = i + 1
			return n, n.end
		}
		i++ // the comma
	}
}

func (p *treeParser) array(i int) (node, int) {
	n := node{kind: kindArray, start: i}
	i = skipSpace(p.data, i+1)
	if p.data[i] == ']' {
		n.end = i + 1
		return n, n.end
	}
	for {
		var e node
		e, i = p.value(i)
		n.elems = append(n.elems, e)
		i = skipSpace(p.data, i)
		if p.data[i] == ']' {
			n.end = i + 1
			return n, n.end
		}
		i++
	}
}
