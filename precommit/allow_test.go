package precommit

import (
	"strings"
	"testing"

	"github.com/shipseal/shipseal/diag"
)

func TestParseAllow(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Allow
		wantErr string
	}{
		{in: "CK003:testdata/**", want: Allow{"CK003", "testdata/**"}},
		{in: "ev005:.env.example", want: Allow{"EV005", ".env.example"}},
		{in: "DC020:a:b", want: Allow{"DC020", "a:b"}},
		{in: "*:testdata/**", want: Allow{"*", "testdata/**"}},
		{in: "CK*:x", wantErr: "is not a diagnostic code"},
		{in: "CK001", wantErr: "is not CODE:GLOB"},
		{in: "CK001:", wantErr: "is not CODE:GLOB"},
		{in: "C1:x", wantErr: "is not a diagnostic code"},
		{in: "CK001:[", wantErr: "bad glob"},
	} {
		got, err := ParseAllow(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseAllow(%q) = %v, %v; want an error containing %q", tc.in, got, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseAllow(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestAllowMatches(t *testing.T) {
	for _, tc := range []struct {
		rule, code, name string
		want             bool
	}{
		{"CK001:testdata/**", "CK001", "testdata/keys/a.aes", true},
		{"CK001:testdata/**", "CK001", "testdata/a.aes", true},
		{"CK001:testdata/**", "CK001", "src/testdata/a.aes", false},
		{"CK001:**/testdata/**", "CK001", "src/testdata/a.aes", true},
		{"CK001:**/testdata/**", "CK001", "testdata/a.aes", true},
		{"CK001:testdata/**", "CK002", "testdata/a.aes", false}, // another code
		{"CK001:*.key", "CK001", "deep/dir/x.key", true},        // no slash: base name anywhere
		{"CK001:*.key", "CK001", "x.key.bak", false},
		{"CK002:docs/*.json", "CK002", "docs/a.json", true},
		{"CK002:docs/*.json", "CK002", "docs/sub/a.json", false},
		{"CK002:./docs/a.json", "CK002", "docs/a.json", true},
		{"CK002:docs/a.json", "CK002", "./docs/a.json", true},
		{"CK002:a/**/b", "CK002", "a/b", true},
		{"CK002:a/**/b", "CK002", "a/x/y/b", true},
		{"CK002:a/**/b", "CK002", "a/x/y/c", false},
		{"*:testdata/**", "DC001", "testdata/fuzz/x", true},
		{"*:testdata/**", "CK001", "src/x", false},
	} {
		a, err := ParseAllow(tc.rule)
		if err != nil {
			t.Fatal(err)
		}
		if got := a.Matches(tc.code, tc.name); got != tc.want {
			t.Errorf("%v.Matches(%s, %s) = %v, want %v", a, tc.code, tc.name, got, tc.want)
		}
	}
}

func TestPragmas(t *testing.T) {
	p := parsePragmas([]byte(strings.Join([]string{
		"# shipseal:allow EV005",           // 1
		"=1",                               // 2: allowed EV005
		"A=1",                              // 3
		"  #shipseal:allow ev016,EV009",    // 4
		"# shipseal:allow EV012",           // 5: stacked
		"B=x # kept",                       // 6: EV016 EV009 EV012
		"# shipseal:allow-file CK003",      // 7
		"# shipseal:allowed EV001",         // 8: not a pragma
		"C=1",                              // 9
		"D=# shipseal:allow EV001 (value)", // 10: not a comment
		"E=1",                              // 11
	}, "\n")))
	for _, tc := range []struct {
		code string
		line int
		want bool
	}{
		{"EV005", 2, true},
		{"EV005", 3, false},
		{"EV016", 6, true}, {"EV009", 6, true}, {"EV012", 6, true},
		{"EV016", 3, false},
		{"CK003", 0, true}, {"CK003", 11, true},
		{"EV001", 9, false}, {"EV001", 11, false},
	} {
		d := diag.Diagnostic{Code: tc.code, Pos: diag.Position{Line: tc.line}}
		if got := p.allows(d); got != tc.want {
			t.Errorf("%s at line %d allowed = %v, want %v", tc.code, tc.line, got, tc.want)
		}
	}
}

func TestApplyAllowsLeavesNotes(t *testing.T) {
	r := &diag.Report{File: "testdata/a.env"}
	r.Add(diag.Errorf("EV005", diag.Position{Line: 2, Column: 1}, "", "empty name"),
		diag.Errorf("CK003", diag.Position{}, "", "twin"),
		diag.Warnf("EV016", diag.Position{Line: 3, Column: 1}, "", "inline comment"))
	applyAllows(r, []Allow{{"CK003", "testdata/**"}}, pragmas{file: map[string]bool{}, lines: map[int]map[string]bool{3: {"EV016": true}}})
	if len(r.Diagnostics) != 1 || r.Diagnostics[0].Code != "EV005" {
		t.Fatalf("diagnostics after allows = %+v, want only EV005", r.Diagnostics)
	}
	want := []string{"CK003 allowed by --allow CK003:testdata/**", "EV016 at line 3 allowed by a # shipseal:allow comment"}
	if strings.Join(r.Notes, "|") != strings.Join(want, "|") {
		t.Errorf("notes = %q, want %q", r.Notes, want)
	}
}
