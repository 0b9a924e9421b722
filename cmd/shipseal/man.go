//go:build man

// The man command is built only with -tags man (make man), so that cobra's
// man page generator and the markdown and YAML packages it pulls in stay
// out of the shipped binary: their package inits cost start-up time.

package main

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

func init() { commands = append(commands, newManCommand) }

func newManCommand(s *streams) *cobra.Command {
	return &cobra.Command{
		Use:    "man DIR",
		Short:  "Write a man page for every command into DIR (make man)",
		Hidden: true,
		Long: `Write shipseal.1, shipseal-encrypt.1, ... into DIR, generated from the
commands' own help. The date is $SOURCE_DATE_EPOCH when set, so that the
pages are reproducible.`,
		Example: `  go run -tags man ./cmd/shipseal man man/ && man man/shipseal-edit.1`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErrorf("man takes one DIR")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return runMan(s, cmd.Root(), args[0]) },
	}
}

func runMan(s *streams, root *cobra.Command, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	date := time.Now()
	if epoch := os.Getenv("SOURCE_DATE_EPOCH"); epoch != "" {
		sec, err := strconv.ParseInt(epoch, 10, 64)
		if err != nil {
			return usageErrorf("SOURCE_DATE_EPOCH=%q is not a number of seconds", epoch)
		}
		date = time.Unix(sec, 0).UTC()
	}
	root.DisableAutoGenTag = true
	header := &doc.GenManHeader{
		Title:   "SHIPSEAL",
		Section: "1",
		Source:  "shipseal " + versionString(),
		Manual:  "shipseal manual",
		Date:    &date,
	}
	if err := doc.GenManTree(root, header, dir); err != nil {
		return fmt.Errorf("writing man pages to %s: %w", dir, err)
	}
	infof(s.err, "wrote the man pages to %s", dir)
	return nil
}
