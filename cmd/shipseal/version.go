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

// versionJSON is version --format json: fields are only ever added.
type versionJSON struct {
	Version string   `json:"version"`
	Go      string   `json:"go"`
	OS      string   `json:"os"`
	Arch    string   `json:"arch"`
	Formats []string `json:"formats"` // the encrypted formats read and written
}

func runVersion(s *streams, opts *versionOptions) error {
	switch opts.format {
	case "text":
		fmt.Fprintf(s.out, "shipseal %s\n", versionString())
	case "json":
		// Indented and in this order, like every other --format json.
		enc := json.NewEncoder(s.out)
		enc.SetIndent("", "  ")
		return enc.Encode(versionJSON{Version: versionString(), Go: runtime.Version(),
			OS: runtime.GOOS, Arch: runtime.GOARCH, Formats: []string{"v1", "v2"}})
	default:
		return usageErrorf("unknown --format %q: want text or json", opts.format)
	}
	return nil
}
