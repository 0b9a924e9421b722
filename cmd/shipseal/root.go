package main

import (
	"context"
	"io"
	"syscall"

	"github.com/spf13/cobra"
)

// streams are the command's standard streams, so tests can replace them.
type streams struct {
	in  io.Reader
	out io.Writer
	err io.Writer
}

func newRootCommand(s *streams) *cobra.Command {
	root := &cobra.Command{
		Use:   "shipseal",
		Short: "Encrypt, decrypt and validate CI secrets, byte-compatible with Codeship's jet",
		Long: `shipseal encrypts and decrypts files with a project's AES key (codeship.aes),
in the formats Codeship's jet writes and reads, and validates Docker credential
files (dockercfg) and env files before they break a build.

Exit codes: 0 ok, 1 failure, 2 usage, 3 key missing or malformed,
4 cannot decrypt (wrong key, corrupt, not encrypted), 5 invalid content,
128+N stopped by signal N (130 Ctrl-C, 143 SIGTERM), as a shell reports
it: shipseal dies of the signal after cleaning up, like sudo and timeout.`,
		Version:       versionString(),
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetIn(s.in)
	root.SetOut(s.out)
	root.SetErr(s.err)
	root.SetVersionTemplate("shipseal {{.Version}}\n")
	root.SetFlagErrorFunc(flagError)
	for _, newCommand := range commands {
		root.AddCommand(newCommand(s))
	}
	return root
}

// commands holds every subcommand's constructor. Each command's file adds
// its own in an init function, so adding a command touches only its file.
var commands []func(*streams) *cobra.Command

// execute runs the command line and returns the process exit code, 128+N
// for a run that signal N stopped. All errors are printed here, in one
// voice.
func execute(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	code, _ := run(args, stdin, stdout, stderr)
	return code
}

// run is execute that also returns the signal that stopped the run, if
// one did, for main to end the process by.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int, sig syscall.Signal) {
	s := &streams{in: stdin, out: stdout, err: stderr}
	root := newRootCommand(s)
	root.SetArgs(args)
	ctx, stop := notifyInterrupt(context.Background())
	defer stop()
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK, 0
	}
	cmd, _, ferr := root.Find(args)
	if ferr != nil {
		// cobra's own error for a mistyped command is a usage error.
		err = usageErrorf("%v", err)
		cmd = root
	}
	return report(stderr, err, cmd.CommandPath()), signalOf(err)
}
