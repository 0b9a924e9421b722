package main

import (
	"strings"

	"github.com/spf13/cobra"
)

// Argument checks that fail as usage errors (exit 2).

func noArgs(_ *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErrorf("unexpected argument %q", args[0])
	}
	return nil
}

func maxArgs(n int) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) > n {
			return usageErrorf("too many arguments: want at most %d, got %d", n, len(args))
		}
		return nil
	}
}

func minArgs(n int) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) < n {
			return usageErrorf("missing argument: want at least %d", n)
		}
		return nil
	}
}

// subcommandArgs refuses, as a usage error naming the subcommands, an
// argument given to a command group: without it cobra answers "shipseal
// hook instal" with the group's help and exit 0, and a script carries on.
func subcommandArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	var names []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	want := names[len(names)-1]
	if len(names) > 1 {
		want = strings.Join(names[:len(names)-1], ", ") + " or " + want
	}
	return usageErrorf("unknown command %q for %q: want %s", args[0], cmd.CommandPath(), want)
}
