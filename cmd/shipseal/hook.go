package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"github.com/shipseal/shipseal/precommit"
	"github.com/spf13/cobra"
)

func init() { commands = append(commands, newHookCommand) }

type hookOptions struct {
	force bool
	allow []string
}

func newHookCommand(s *streams) *cobra.Command {
	opts := &hookOptions{}
	cmd := &cobra.Command{
		Use:   "hook",
		Short: "Install or remove the plain git pre-commit hook that runs shipseal check",
		Long: `Manage a plain git pre-commit hook that runs "shipseal check" on the staged
files before every commit, for teams that do not use the pre-commit framework
(those add the shipseal-check hook to .pre-commit-config.yaml instead).

The hook goes where git runs hooks from: core.hooksPath when it is set, else
.git/hooks. shipseal never replaces or removes a hook it did not write.`,
		Example: `  shipseal hook install     # then every git commit runs shipseal check
  shipseal hook uninstall`,
		Args: subcommandArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	install := &cobra.Command{
		Use:   "install [--force] [--allow CODE:GLOB]...",
		Short: "Install the pre-commit hook",
		Long: `Install the pre-commit hook. An earlier shipseal hook is replaced; any other
hook is left alone unless --force is given, and then it is moved aside to
pre-commit.shipseal-backup, which "shipseal hook uninstall" puts back.
--allow rules are passed on to every "shipseal check" the hook runs.`,
		Example: `  shipseal hook install
  shipseal hook install --allow 'CK003:testdata/**'`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runHookInstall(s, opts) },
	}
	install.Flags().BoolVar(&opts.force, "force", false, "replace a pre-commit hook that shipseal did not write (it is kept as a backup)")
	install.Flags().StringArrayVar(&opts.allow, "allow", nil, "allow diagnostic CODE on files matching GLOB in every check (repeatable)")
	uninstall := &cobra.Command{
		Use:   "uninstall",
		Short: "Remove the pre-commit hook",
		Long: `Remove shipseal's pre-commit hook, and put back the hook that install --force
moved aside, if any. A hook that shipseal did not write is left alone.`,
		Example: `  shipseal hook uninstall`,
		Args:    noArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return runHookUninstall(s) },
	}
	cmd.AddCommand(install, uninstall)
	return cmd
}

func hookRepo() (*precommit.Repo, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	repo, err := precommit.OpenRepo(wd)
	if err != nil {
		return nil, withHint(err, "run shipseal hook inside the git repository to protect")
	}
	return repo, nil
}

func runHookInstall(s *streams, opts *hookOptions) error {
	var args []string
	for _, a := range opts.allow {
		if _, err := precommit.ParseAllow(a); err != nil {
			return usageError{err}
		}
		args = append(args, "--allow", a)
	}
	repo, err := hookRepo()
	if err != nil {
		return err
	}
	hook, backup, err := repo.InstallHook(hookFallbackBinary(), args, opts.force)
	if err != nil {
		return foreignHookHint(err)
	}
	if backup != "" {
		warnf(s.err, "moved the existing hook to %s; shipseal hook uninstall puts it back", backup)
	}
	if rel, err := filepath.Rel(repo.Root, hook); err != nil || strings.HasPrefix(rel, "..") {
		warnf(s.err, "the hook is outside this repository (core.hooksPath): it runs in every repository that uses %s", filepath.Dir(hook))
	}
	infof(s.err, "installed the pre-commit hook %s: every commit now runs shipseal check", hook)
	return nil
}

func runHookUninstall(s *streams) error {
	repo, err := hookRepo()
	if err != nil {
		return err
	}
	hook, restored, err := repo.UninstallHook()
	switch {
	case errors.Is(err, precommit.ErrNoHook):
		infof(s.err, "no pre-commit hook to remove (%s does not exist)", hook)
		return nil
	case err != nil:
		return foreignHookHint(err)
	}
	infof(s.err, "removed the pre-commit hook %s", hook)
	if restored != "" {
		infof(s.err, "put back the hook that install --force had moved aside")
	}
	return nil
}

func foreignHookHint(err error) error {
	var fe *precommit.ForeignHookError
	switch {
	case !errors.As(err, &fe):
		return err
	case fe.Framework:
		return withHint(err, "this repository uses the pre-commit framework: add the shipseal-check hook to .pre-commit-config.yaml instead (see docs/pre-commit.md)")
	}
	return withHint(err, "shipseal leaves hooks it did not write alone: add `shipseal check` to that hook yourself, "+
		"or replace it with shipseal hook install --force (it keeps the old one as a backup)")
}

// hookFallbackBinary is the binary the hook runs when shipseal is not on
// PATH: this one, if it is really called shipseal (not a test binary).
func hookFallbackBinary() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	if exe, err = filepath.EvalSymlinks(exe); err != nil || filepath.Base(exe) != "shipseal" {
		return ""
	}
	return exe
}
