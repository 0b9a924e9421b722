package main

import (
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
)

func init() { commands = append(commands, newDockercfgCommand) }

func newDockercfgCommand(s *streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "dockercfg",
		Short: "Create, inline and show Docker credential files",
		Long: `Work with the Docker credential files Codeship pulls private images with
(config.json or the legacy .dockercfg). "shipseal validate" checks them; see
docs/dockercfg.md for the formats and every diagnostic.`,
		Example: `  # a config for CI from scratch, then sealed
  printf '%s' "$TOKEN" | shipseal dockercfg create --registry ghcr.io --username octocat --password-stdin -o dockercfg.json
  # after docker login on a laptop with a credential helper
  shipseal dockercfg inline -o dockercfg.json
  shipseal dockercfg show dockercfg.encrypted`,
		Args: subcommandArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newDockercfgCreateCommand(s), newDockercfgInlineCommand(s), newDockercfgShowCommand(s))
	return cmd
}

// defaultDockerConfig is where docker keeps its config.json:
// $DOCKER_CONFIG/config.json, else ~/.docker/config.json.
func defaultDockerConfig() string {
	if dir := os.Getenv("DOCKER_CONFIG"); dir != "" {
		return filepath.Join(dir, "config.json")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(".docker", "config.json")
	}
	return filepath.Join(home, ".docker", "config.json")
}
