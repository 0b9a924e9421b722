package credhelper

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// The store is edited as text, not decoded and re-encoded: dockercfg's
// Marshal rewrites every entry in docker's form (auth recomputed from user
// name and password, serveraddress dropped, indentation redone), and a
// credential helper that touches one registry must leave the others as
// they were, byte for byte. So an edit finds the byte span of the member
// it changes and splices new text in, laid out like its neighbours.

// object is a JSON object with the byte spans of its members, read from a
// document that is already known to be valid JSON.
type object struct {
	start, end int // data[start] is '{', data[end-1] is '}'
	members    []member
}

// member is one key and value of an object.
type member struct {
	key      string // decoded
	start    int    // the key's opening quote
	keyEnd   int    // just past the key's closing quote
	valStart int
	valEnd   int
}

// readObject reads the object that starts at data[at] (after white
// space).
func readObject(data []byte, at int) (*object, error) {
	dec := json.NewDecoder(bytes.NewReader(data[at:]))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("not a JSON object")
	}
	obj := &object{start: at + int(dec.InputOffset()) - 1}
	for dec.More() {
		prev := at + int(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, ok := tok.(string)
		if !ok {
			return nil, errors.New("object key is not a string")
		}
		m := member{key: key, start: skipSeparators(data, prev), keyEnd: at + int(dec.InputOffset())}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		m.valEnd = at + int(dec.InputOffset())
		m.valStart = m.valEnd - len(raw)
		obj.members = append(obj.members, m)
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, err
	}
	obj.end = at + int(dec.InputOffset())
	return obj, nil
}

// last returns the index of the last member named key in any case (the
// one encoding/json, and so docker, reads), or -1.
func (o *object) last(key string) int {
	for i := len(o.members) - 1; i >= 0; i-- {
		if strings.EqualFold(o.members[i].key, key) {
			return i
		}
	}
	return -1
}

func skipSeparators(data []byte, i int) int {
	for i < len(data) && strings.IndexByte(" \t\r\n,", data[i]) >= 0 {
		i++
	}
	return i
}

// layout is how an object's members are written: each on a line of its
// own, indented, or all on the object's line.
type layout struct {
	multiline bool
	indent    string // before each member's key
	closing   string // before the closing brace
	unit      string // one more level of indentation
	colon     string // between key and value
}

// layoutOf works out obj's layout from its own members, or, for an empty
// object, from the document around it.
func layoutOf(data []byte, obj *object) layout {
	l := layout{closing: lineIndent(data, obj.start), unit: indentUnit(data), colon: ": "}
	if len(obj.members) == 0 {
		l.multiline = bytes.IndexByte(data, '\n') >= 0
		l.indent = l.closing + l.unit
		if !l.multiline {
			l.colon = ":"
		}
		return l
	}
	first := obj.members[0]
	l.colon = string(data[first.keyEnd:first.valStart])
	before := data[obj.start+1 : first.start]
	nl := bytes.LastIndexByte(before, '\n')
	if nl < 0 {
		l.indent = string(before) // compact: whatever follows '{'
		return l
	}
	l.multiline = true
	l.indent = string(before[nl+1:])
	if last := obj.members[len(obj.members)-1]; bytes.IndexByte(data[last.valEnd:obj.end-1], '\n') >= 0 {
		l.closing = string(data[bytes.LastIndexByte(data[:obj.end-1], '\n')+1 : obj.end-1])
	}
	if u, ok := strings.CutPrefix(l.indent, l.closing); ok && u != "" {
		l.unit = u
	}
	return l
}

// lineIndent returns the white space that starts the line holding
// data[i].
func lineIndent(data []byte, i int) string {
	start := bytes.LastIndexByte(data[:i], '\n') + 1
	end := start
	for end < i && (data[end] == ' ' || data[end] == '\t') {
		end++
	}
	return string(data[start:end])
}

// indentUnit guesses one level of the document's indentation from its
// first indented line; a tab, as docker writes, when there is none.
func indentUnit(data []byte) string {
	for i := bytes.IndexByte(data, '\n'); i >= 0 && i+1 < len(data); {
		j := i + 1
		for j < len(data) && (data[j] == ' ' || data[j] == '\t') {
			j++
		}
		if j > i+1 {
			return string(data[i+1 : j])
		}
		next := bytes.IndexByte(data[j:], '\n')
		if next < 0 {
			break
		}
		i = j + next
	}
	return "\t"
}

// format lays out a compact JSON value: as it is, or over several lines
// for a member whose key line is indented by indent.
func (l layout) format(value []byte, multiline bool, indent string) []byte {
	if !multiline {
		return value
	}
	var b bytes.Buffer
	if err := json.Indent(&b, value, indent, l.unit); err != nil {
		panic("credhelper: internal error: formatting a value that is not JSON: " + err.Error())
	}
	return b.Bytes()
}

// splice returns data with data[start:end] replaced by text.
func splice(data []byte, start, end int, text ...[]byte) []byte {
	out := make([]byte, 0, len(data)+64)
	out = append(out, data[:start]...)
	for _, t := range text {
		out = append(out, t...)
	}
	return append(out, data[end:]...)
}

// replaceValue replaces the value of obj's member i with value (compact
// JSON), over several lines if the old value was.
func replaceValue(data []byte, obj *object, i int, value []byte) []byte {
	m := obj.members[i]
	l := layoutOf(data, obj)
	multiline := bytes.IndexByte(data[m.valStart:m.valEnd], '\n') >= 0
	return splice(data, m.valStart, m.valEnd, l.format(value, multiline, lineIndent(data, m.start)))
}

// appendMember adds key with value (compact JSON) after obj's last member,
// laid out like it.
func appendMember(data []byte, obj *object, key string, value []byte) []byte {
	l := layoutOf(data, obj)
	k := marshal(key)
	if len(obj.members) == 0 {
		if !l.multiline {
			return splice(data, obj.start, obj.end, []byte("{"), k, []byte(l.colon), value, []byte("}"))
		}
		return splice(data, obj.start, obj.end, []byte("{\n"+l.indent), k, []byte(l.colon),
			l.format(value, true, l.indent), []byte("\n"+l.closing+"}"))
	}
	n := len(obj.members)
	last := obj.members[n-1]
	var sep string
	switch {
	case l.multiline:
		sep = ",\n" + l.indent
	case n >= 2: // as between the last two
		sep = string(data[obj.members[n-2].valEnd:last.start])
	case l.indent == "" && strings.HasSuffix(l.colon, " "): // {"a": 1} -> {"a": 1, "b": 2}
		sep = ", "
	default: // { "a": 1 } -> { "a": 1, "b": 2 }
		sep = "," + l.indent
	}
	multiline := bytes.IndexByte(data[last.valStart:last.valEnd], '\n') >= 0
	return splice(data, last.valEnd, last.valEnd, []byte(sep), k, []byte(l.colon), l.format(value, multiline, l.indent))
}

// removeMember deletes obj's member i with the separator that tied it to
// its neighbours.
func removeMember(data []byte, obj *object, i int) []byte {
	switch {
	case len(obj.members) == 1:
		return splice(data, obj.start, obj.end, []byte("{}"))
	case i > 0:
		return splice(data, obj.members[i-1].valEnd, obj.members[i].valEnd)
	default:
		return splice(data, obj.members[0].start, obj.members[1].start)
	}
}

// marshal encodes a string or an entry without escaping <, > and &, as a
// person (and dockercfg) writes them.
func marshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(fmt.Sprintf("credhelper: internal error: marshalling %T: %v", v, err))
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}
