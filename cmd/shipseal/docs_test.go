package main

import (
	"io"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// TestCLIDocListsEveryFlag checks docs/cli.md against the commands
// themselves: every command a user can run has a row in its tables whose
// first cell names it ("`shipseal rekey …"), and that row names each of
// the command's flags (--name, or its one-letter form).
func TestCLIDocListsEveryFlag(t *testing.T) {
	doc, err := os.ReadFile("../../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	// The table rows, and the first cell of each; a | inside a cell is
	// written \|.
	type row struct{ first, line string }
	var rows []row
	cellEnd := regexp.MustCompile(`[^\\] \|`)
	for _, line := range strings.Split(string(doc), "\n") {
		if cell, ok := strings.CutPrefix(line, "| "); ok {
			if end := cellEnd.FindStringIndex(cell); end != nil {
				rows = append(rows, row{cell[:end[0]+1], line})
			}
		}
	}
	root := newRootCommand(&streams{in: strings.NewReader(""), out: io.Discard, err: io.Discard})
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if !sub.IsAvailableCommand() {
				continue
			}
			walk(sub)
			if !sub.Runnable() {
				continue
			}
			name := "`" + sub.CommandPath()
			var line string
			for _, r := range rows {
				if i := strings.Index(r.first, name); i >= 0 && (len(r.first) == i+len(name) || strings.ContainsRune(" `", rune(r.first[i+len(name)]))) {
					line = r.line
					break
				}
			}
			if line == "" {
				t.Errorf("docs/cli.md has no row for %s", sub.CommandPath())
				return
			}
			sub.Flags().VisitAll(func(f *pflag.Flag) {
				if f.Name == "help" {
					return
				}
				long := regexp.MustCompile(`--` + regexp.QuoteMeta(f.Name) + `([^a-z0-9-]|$)`)
				short := f.Shorthand != "" && regexp.MustCompile(`[\s\[|`+"`"+`]-`+regexp.QuoteMeta(f.Shorthand)+`([^A-Za-z0-9-]|$)`).MatchString(line)
				if !long.MatchString(line) && !short {
					t.Errorf("docs/cli.md's row for %s does not list --%s:\n%s", sub.CommandPath(), f.Name, line)
				}
			})
		}
	}
	walk(root)
}
