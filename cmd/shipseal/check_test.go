package main

import (
	"io"
	"strings"
	"testing"

	"github.com/shipseal/shipseal/precommit"
)

// TestCheckHelpListsEveryRule checks that check --help names every hygiene
// rule precommit has, with its title.
func TestCheckHelpListsEveryRule(t *testing.T) {
	help := newCheckCommand(&streams{in: strings.NewReader(""), out: io.Discard, err: io.Discard}).Long
	for _, c := range precommit.Codes {
		if !strings.Contains(help, c.Code+"  "+c.Title) {
			t.Errorf("check --help does not list %s (%s)", c.Code, c.Title)
		}
	}
}
