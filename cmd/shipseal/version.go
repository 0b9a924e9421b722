package main

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=…"; otherwise
// the module version from the build info is used.
var version = ""

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func init() { commands = append(commands, newVersionCommand) }

type versionOptions struct{ format string }

func newVersionCommand(s *streams) *cobra.Command {
	opts := &versionOptions{}
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print shipseal's version",
		Example: `  shipseal version
  shipseal version --format json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runVersion(s, opts) },
	}
	cmd.Flags().StringVar(&opts.format, "format", "text", "output format: text or json")
	return cmd
}

func runVersion(s *streams, opts *versionOptions) error {
	switch opts.format {
	case "text":
		fmt.Fprintf(s.out, "shipseal %s\n", versionString())
	case "json":
		return json.NewEncoder(s.out).Encode(map[string]any{
			"version": versionString(), "go": runtime.Version(),
			"os": runtime.GOOS, "arch": runtime.GOARCH, "formats": []string{"v1", "v2"},
		})
	default:
		return usageErrorf("unknown --format %q: want text or json", opts.format)
	}
	return nil
}
