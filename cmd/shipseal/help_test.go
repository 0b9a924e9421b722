package main

import (
	"io"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestHelpHasExamples checks that every command a user can see shows
// examples in its --help.
func TestHelpHasExamples(t *testing.T) {
	root := newRootCommand(&streams{in: strings.NewReader(""), out: io.Discard, err: io.Discard})
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if !sub.IsAvailableCommand() {
				continue
			}
			if sub.Example == "" {
				t.Errorf("%q has no examples in its help", sub.CommandPath())
			}
			walk(sub)
		}
	}
	walk(root)
}
