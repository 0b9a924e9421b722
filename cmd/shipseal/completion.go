package main

import (
	"github.com/spf13/cobra"
)

func init() { commands = append(commands, newCompletionCommand) }

func newCompletionCommand(s *streams) *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print the shell completion script for shipseal",
		Long: `Print a script that makes the shell complete shipseal's commands, flags and
file names. Load it in the current shell, or install it where your shell
loads completions from.

bash needs the bash-completion package; zsh needs "autoload -U compinit;
compinit" in ~/.zshrc.`,
		Example: `  # bash, this shell only / for good
  source <(shipseal completion bash)
  shipseal completion bash > /etc/bash_completion.d/shipseal
  # zsh
  shipseal completion zsh > "${fpath[1]}/_shipseal"
  # fish
  shipseal completion fish > ~/.config/fish/completions/shipseal.fish
  # PowerShell
  shipseal completion powershell | Out-String | Invoke-Expression`,
		ValidArgs: []string{"bash", "zsh", "fish", "powershell"},
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErrorf("completion takes one shell: bash, zsh, fish or powershell")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(s.out, true)
			case "zsh":
				return root.GenZshCompletion(s.out)
			case "fish":
				return root.GenFishCompletion(s.out, true)
			case "powershell":
				return root.GenPowerShellCompletionWithDesc(s.out)
			}
			return usageErrorf("unknown shell %q: want bash, zsh, fish or powershell", args[0])
		},
	}
}
