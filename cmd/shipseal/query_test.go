package main

import (
	"strings"
	"testing"

	"github.com/tidwall/gjson"
)

// syntaxDoc is the example document of gjson's SYNTAX.md.
const syntaxDoc = `{
  "name": {"first": "Tom", "last": "Anderson"},
  "age":37,
  "children": ["Sara","Alex","Jack"],
  "fav.movie": "Deer Hunter",
  "friends": [
    {"first": "Dale", "last": "Murphy", "age": 44, "nets": ["ig", "fb", "tw"]},
    {"first": "Roger", "last": "Craig", "age": 68, "nets": ["fb", "tw"]},
    {"first": "Jane", "last": "Murphy", "age": 47, "nets": ["ig", "tw"]}
  ],
  "vals": [{"a": 1, "b": "data"}, {"a": 2, "b": true}, {"a": 11}]
}`

// Every path of gjson's SYNTAX.md (and the ones our docs show) is
// accepted, and matches something: the check never refuses what gjson
// understands.
func TestCheckQueryAcceptsGjsonSyntax(t *testing.T) {
	for _, path := range []string{
		"name.last", "name.first", "age", "children", "children.0", "friends.1", "friends.1.first",
		"child*.2", "c?ildren.0", `fav\.movie`,
		"friends.#", "friends.#.age",
		`friends.#(last=="Murphy").first`, `friends.#(last=="Murphy")#.first`, `friends.#(age>45)#.last`,
		`friends.#(first%"D*").last`, `friends.#(first!%"D*").last`,
		`children.#(!%"*a*")`, `children.#(%"*a*")#`, `friends.#(nets.#(=="fb"))#.first`,
		`friends.#[last=="Murphy"].first`, `friends.#( last == "Murphy" ).first`,
		`vals.#(b==~true)#.a`, `vals.#(b==~false)#.a`, `vals.#(b==~null)#.a`, `vals.#(b==~*)#.a`, `vals.#(b!=~*)#.a`,
		"friends.0.first", "friends|0.first", "friends.0|first", "friends|0|first", "friends|#",
		`friends.#(last="Murphy")#`, `friends.#(last="Murphy")#.0`, `friends.#(last="Murphy")#|0`, `friends.#(last="Murphy")#|#`,
		"children.@reverse", "children.@reverse.0", "@this", "@pretty", `@pretty:{"sortKeys":true}`, "children|@reverse|0",
		`{name.first,age,"the_murphys":friends.#(last="Murphy")#.first}`, `[name.first, age]`,
		`{name.first,age,"company":!"Happysoft","employed":!true}`, "!true", "!37",
		`friends.#(age>45)`, `friends.#(last==Murphy).first`, `friends.#(last)#.first`,
	} {
		if err := checkQuery(path); err != nil {
			t.Errorf("checkQuery(%q) = %v, want nil", path, err)
		}
		if !gjson.Get(syntaxDoc, path).Exists() {
			t.Errorf("gjson finds nothing for %q: not a useful test case", path)
		}
	}
}

// What gjson cannot make sense of is refused, saying what and where.
func TestCheckQueryRefusesMalformed(t *testing.T) {
	for _, c := range []struct{ path, want string }{
		{"", "the query is empty"},
		{"registries.#(", `"#(" is never closed at offset 12`},
		{`registries.#(key=="ghcr.io"`, `"#(" is never closed`},
		{`registries.#[key=="ghcr.io"`, `"#[" is never closed`},
		{`registries.#(key=="ghcr.io)`, "string is never closed at offset 19"},
		{`registries.#(key==)`, "the query operator == has no value"},
		{`registries.#(key=="a")x`, `unexpected 'x' after ')'`},
		{`registries.#(key=="a"))`, `')' without its opening bracket`},
		{`registries.#(key~"a")`, `unexpected '"' in a name`},
		{`registries.#(key=="a" "b")`, `unexpected '"' in a query, after its value`},
		{"registries..key", "empty path component at offset 12"},
		{"registries.", "empty path component"},
		{".registries", "empty path component at offset 1"},
		{"registries|", "empty path component"},
		{`registries\`, `lone \ at the end`},
		{"registries.0.key)", `')' without its opening bracket`},
		{"registries(0)", `unexpected '(' in a name`},
		{"registries.@nope", "unknown modifier @nope at offset 12"},
		{"{credsStore,registries.#.key", `'{' is never closed at offset 1`},
		{"[credsStore", `'[' is never closed`},
		{"{credsStore registries}", "unexpected 'r' in a multipath"},
		{"{a,!nope}", "a literal must be JSON"},
		{`@pretty:{"sortKeys":}`, "invalid JSON"},
		{`@pretty:{"sortKeys":true`, `'{' is never closed`},
	} {
		err := checkQuery(c.path)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("checkQuery(%q) = %v, want an error with %q", c.path, err, c.want)
		}
	}
}
