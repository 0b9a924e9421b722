package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/dockercfg"
	"github.com/shipseal/shipseal/envfile"
	"github.com/shipseal/shipseal/projectkey"
	"github.com/shipseal/shipseal/secretdir"
	"github.com/shipseal/shipseal/validate"
	"github.com/spf13/cobra"
)

func init() { commands = append(commands, newExecCommand) }

type execOptions struct {
	key       keyOptions
	envFiles  []string
	dockercfg string
	dialect   string
}

// Exit codes of exec for a command that could not be run, as shells use.
const (
	exitCannotRun = 126
	exitNotFound  = 127
)

func newExecCommand(s *streams) *cobra.Command {
	opts := &execOptions{}
	cmd := &cobra.Command{
		Use:   "exec [--env-file FILE]... [--dockercfg FILE] -- CMD [ARGS...]",
		Short: "Run a command with decrypted secrets in its environment",
		Long: `Run CMD with the variables of the env files (encrypted or not, decrypted in
memory) added to its environment, and with --dockercfg, DOCKER_CONFIG set
to a private temporary directory (0700, on /dev/shm when there is one)
holding the decrypted credentials as config.json (0600); the directory is
removed when CMD ends. No plaintext env file is ever written. The rest of
your docker setup still applies: that config.json also gets the settings
of your own ($DOCKER_CONFIG or ~/.docker) that the dockercfg lacks
(current context, proxies, ...; never its credentials), and your CLI
plugins, contexts and buildx state are linked into the directory.

Variables from the env files override the inherited ones; later files
override earlier ones. Signals sent to shipseal (INT, TERM, HUP, QUIT,
USR1, USR2, WINCH) are passed on to CMD, and shipseal exits with CMD's exit
code; when signal N ended CMD, 128+N as a shell reports it: for INT, TERM
and HUP shipseal, once it has cleaned up, dies of the same signal (as sudo
does), so that a script stops on Ctrl-C. On a terminal, Ctrl-C, QUIT and
WINCH reach CMD from the terminal itself, once. Before CMD starts,
shipseal's own exit codes apply (3 key, 4 cannot decrypt, also for a file
named *.encrypted, *.enc or *.aes that is not encrypted, 5 invalid
content); 127 means CMD was not found, 126 that it could not be run. If
shipseal itself is killed with SIGKILL, the DOCKER_CONFIG directory cannot
be removed then: the next exec --dockercfg removes it, a minute later at
the earliest.

CMD does not inherit $SHIPSEAL_KEY and $SHIPSEAL_KEY_PATH: the project
key decrypts every secret of the project, in its whole history, and CMD
needs only the env files' variables. To pass them on anyway, name them in
an env file (a line SHIPSEAL_KEY, without "=", inherits its value).

jet has no equivalent: Codeship decrypts encrypted_env_file and
encrypted_dockercfg_path itself, in the build.`,
		Example: `  # what Codeship does with encrypted_env_file, locally
  shipseal exec --env-file env.encrypted -- ./run-tests.sh
  shipseal exec --env-file env.encrypted --dockercfg dockercfg.encrypted -- docker pull registry.example.com/app
  shipseal exec --env-file .env.encrypted -- ./deploy.sh          # read as Codeship reads it: docker's dialect
  shipseal exec --dialect compose --env-file .env.encrypted -- docker compose up   # a compose .env, sealed`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErrorf("missing the command to run, after --")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return runExec(cmd.Context(), s, opts, args) },
	}
	f := cmd.Flags()
	f.SetInterspersed(false) // everything after CMD is CMD's
	opts.key.register(f, s)
	f.StringArrayVar(&opts.envFiles, "env-file", nil, "an env file, encrypted or not, to add to CMD's environment (repeatable)")
	f.StringVar(&opts.dockercfg, "dockercfg", "", "a dockercfg, encrypted or not, for DOCKER_CONFIG")
	f.StringVar(&opts.dialect, "dialect", "auto", dialectUsage)
	return cmd
}

func runExec(ctx context.Context, s *streams, opts *execOptions, args []string) error {
	if len(opts.envFiles) == 0 && opts.dockercfg == "" {
		return usageErrorf("nothing to add: give --env-file or --dockercfg")
	}
	auto := strings.EqualFold(opts.dialect, "auto")
	d, err := envfile.ParseDialect(opts.dialect)
	if err != nil && !auto {
		return usageError{fmt.Errorf("%w, or auto", err)}
	}
	var key *crypto.Key
	open := func(name string) ([]byte, error) {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, inputError(name, err)
		}
		// Codeship cannot decrypt a file named as encrypted that is
		// not: running with it would hide that, or (empty) run the
		// command with none of its variables.
		if err := validate.CheckNamed(name, data); err != nil {
			var ne *validate.NotEncryptedError
			errors.As(err, &ne)
			return nil, withHint(fmt.Errorf("%w; the command was not run", err), "%s", ne.Hint())
		}
		if !validate.IsEncrypted(data) {
			return data, nil
		}
		if key == nil {
			found, err := opts.key.find()
			if err != nil {
				return nil, err
			}
			key = found.Key
		}
		plain, _, err := decryptText(data, key)
		if err != nil {
			return nil, fmt.Errorf("decrypting %s: %w", name, err)
		}
		return plain, nil
	}

	env := withoutKey(os.Environ())
	for _, name := range opts.envFiles {
		data, err := open(name)
		if err != nil {
			return err
		}
		fd := d
		if auto {
			fd = validate.DialectFromName(name)
		}
		file, r := envfile.Validate(name, data, envfile.Options{Dialect: fd, Lookup: os.LookupEnv})
		if file == nil {
			diag.WriteText(s.err, []*diag.Report{r})
			return withHint(exitError{code: exitInvalid, msg: name + " is not a valid env file: the command was not run"},
				"`shipseal validate %s` shows the problems again", name)
		}
		env = append(env, file.Environ(os.LookupEnv)...)
	}

	if opts.dockercfg != "" {
		data, err := open(opts.dockercfg)
		if err != nil {
			return err
		}
		cfg, r := dockercfg.Validate(opts.dockercfg, data, dockercfg.Options{})
		if cfg == nil || !r.Valid() {
			diag.WriteText(s.err, []*diag.Report{r})
			return withHint(exitError{code: exitInvalid, msg: opts.dockercfg + " is not a valid dockercfg: the command was not run"},
				"`shipseal validate %s` shows the problems again", opts.dockercfg)
		}
		if cfg.Format != dockercfg.FormatConfigJSON {
			// DOCKER_CONFIG holds config.json: a legacy file is converted.
			if data, err = cfg.Marshal(dockercfg.FormatConfigJSON); err != nil {
				return fmt.Errorf("converting %s to config.json: %w", opts.dockercfg, err)
			}
		}
		// A signal must not end shipseal before it removes the
		// directory: from here on, exec stops and cleans up.
		takeInterrupts(ctx)
		dir, err := secretdir.New("shipseal-docker-*")
		if err != nil {
			return err
		}
		defer dir.Remove()
		user := userDockerConfigDir()
		if data, err = withUserSettings(data, user); err != nil {
			warnf(s.err, "%v; %s runs without them", err, args[0])
		}
		if _, err := dir.WriteFile("config.json", data); err != nil {
			return fmt.Errorf("writing the docker config: %w", err)
		}
		if err := linkUserDockerConfig(dir, user); err != nil {
			warnf(s.err, "%v; %s runs without them", err, args[0])
		}
		env = append(env, "DOCKER_CONFIG="+dir.Path())
	}
	return runChild(ctx, s, args, env)
}

// withoutKey drops the project key's variables ($SHIPSEAL_KEY and
// $SHIPSEAL_KEY_PATH) from environ: the key decrypts every secret of the
// project, in its whole history, and the command needs only the env files'
// variables. An env file that sets them (or names them, to inherit them)
// adds them back.
func withoutKey(environ []string) []string {
	return slices.DeleteFunc(environ, func(kv string) bool {
		name, _, _ := strings.Cut(kv, "=")
		return name == projectkey.EnvKey || name == projectkey.EnvKeyPath
	})
}

// userDockerConfigDir is the docker configuration directory the command
// would use without exec, as docker/cli's config.Dir finds it:
// $DOCKER_CONFIG, else ~/.docker. It is "" when there is none.
func userDockerConfigDir() string {
	dir := os.Getenv("DOCKER_CONFIG")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".docker")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	if st, err := os.Stat(abs); err != nil || !st.IsDir() {
		return ""
	}
	return abs
}

// credentialFields are the top-level fields of a config.json that say
// where credentials are. The user's own are not carried over: the command
// must use the dockercfg's credentials, as CI would.
var credentialFields = []string{"auths", "credsStore", "credHelpers"}

// withUserSettings adds to cfg (a config.json) the settings of the user's
// own config.json in dir that cfg does not set, credentials excepted: the
// current docker context, proxies, plugin settings and the like, so that
// docker behaves under exec as it does for the user (the same engine, the
// same proxies), with the dockercfg's credentials. Docker matches field
// names in any letter case, and so does this. On an error, cfg is
// returned unchanged.
func withUserSettings(cfg []byte, dir string) ([]byte, error) {
	if dir == "" {
		return cfg, nil
	}
	name := filepath.Join(dir, "config.json")
	userData, err := os.ReadFile(name)
	if errors.Is(err, os.ErrNotExist) {
		return cfg, nil
	}
	if err != nil {
		return cfg, fmt.Errorf("cannot read docker's settings (current context, proxies) from %s: %w", name, err)
	}
	var user map[string]json.RawMessage
	if err := json.Unmarshal(userData, &user); err != nil {
		return cfg, fmt.Errorf("cannot read docker's settings (current context, proxies) from %s: it is not a JSON object", name)
	}
	var merged map[string]json.RawMessage
	if err := json.Unmarshal(cfg, &merged); err != nil {
		return cfg, fmt.Errorf("cannot add docker's settings to the dockercfg: %w", err)
	}
	set := func(field string) bool {
		for k := range merged {
			if strings.EqualFold(k, field) {
				return true
			}
		}
		return false
	}
	added := false
	for field, value := range user {
		if slices.ContainsFunc(credentialFields, func(c string) bool { return strings.EqualFold(c, field) }) || set(field) {
			continue
		}
		merged[field] = value
		added = true
	}
	if !added {
		return cfg, nil
	}
	out, err := json.MarshalIndent(merged, "", "\t")
	if err != nil {
		return cfg, fmt.Errorf("cannot add docker's settings to the dockercfg: %w", err)
	}
	return append(out, '\n'), nil
}

// linkUserDockerConfig makes everything else in the user's docker
// configuration directory (cli-plugins, contexts, buildx, ...) appear in
// dir through symbolic links, so that per-user CLI plugins (docker compose
// and buildx are often installed there) and contexts keep working.
// Removing dir removes the links, not what they point to.
func linkUserDockerConfig(dir *secretdir.Dir, user string) error {
	if user == "" {
		return nil
	}
	entries, err := os.ReadDir(user)
	if err != nil {
		return fmt.Errorf("cannot read docker's configuration directory %s (plugins, contexts): %w", user, err)
	}
	for _, e := range entries {
		// config.json is the dockercfg's; docker saves it through
		// temporary files named config.json*.
		if strings.HasPrefix(e.Name(), "config.json") {
			continue
		}
		if err := os.Symlink(filepath.Join(user, e.Name()), dir.Join(e.Name())); err != nil {
			return fmt.Errorf("cannot link docker's %s (plugins, contexts): %w", filepath.Join(user, e.Name()), err)
		}
	}
	return nil
}

// forwardSignal decides whether to pass sig on; terminalForeground is
// only asked about the terminal's signals.
func forwardSignal(sig os.Signal, terminalForeground func() bool) bool {
	return !fromTerminal[sig] || !terminalForeground()
}

// runChild runs the command, passing signals on, and returns its exit
// status as an exitError (nil for 0). A signal before the command starts
// stops exec: the command is not run.
func runChild(ctx context.Context, s *streams, args []string, env []string) error {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = s.in, s.out, s.err
	// Catch the signals before the command exists, so none is lost.
	takeInterrupts(ctx)
	sigs := make(chan os.Signal, 8)
	notifyUnlessIgnored(sigs, forwarded...)
	defer signal.Stop(sigs)
	if err := interrupted(ctx); err != nil {
		return leftBehind(err, "%s was not run", args[0])
	}
	if err := cmd.Start(); err != nil {
		return startError(args, env, err)
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case sig := <-sigs:
				if forwardSignal(sig, inTerminalForeground) {
					cmd.Process.Signal(sig)
				}
			case <-done:
				return
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	if err == nil {
		return nil
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return fmt.Errorf("running %s: %w", args[0], err)
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		// Killed by the signal too, in main, so that a script that ran
		// exec stops on Ctrl-C as it would for the command itself.
		return signalExit(ws.Signal(), "")
	}
	return exitError{code: ee.ExitCode()}
}

// maxArgStrlen is the largest single argument or NAME=value string Linux
// passes to a program (MAX_ARG_STRLEN: 32 pages), its final NUL included.
const maxArgStrlen = 32 * 4096

// startError says why the command could not be started, with what to do.
func startError(args, env []string, err error) error {
	switch {
	case errors.Is(err, syscall.E2BIG):
		size, largest, largestName := 0, 0, ""
		for _, kv := range env {
			size += len(kv) + 1
			if len(kv) > largest {
				largest = len(kv)
				largestName, _, _ = strings.Cut(kv, "=")
			}
		}
		msg := fmt.Sprintf("cannot run %s: the environment is too large for the system (E2BIG): %d bytes of variables (%d variables)",
			args[0], size, len(env))
		if largest+1 > maxArgStrlen {
			// The name only: the value is a secret.
			msg += fmt.Sprintf("; $%s alone is %d bytes", largestName, largest)
		}
		return withHint(exitError{code: exitCannotRun, msg: msg},
			"Linux takes at most 128 KiB in one variable and about 2 MiB of variables and arguments in all: "+
				"put a large value in a file and pass the file's name instead")
	case errors.Is(err, exec.ErrNotFound), errors.Is(err, os.ErrNotExist):
		return withHint(exitError{code: exitNotFound, msg: fmt.Sprintf("cannot run %s: %v", args[0], err)},
			"check the command's name and that it is on $PATH")
	case errors.Is(err, os.ErrPermission):
		return withHint(exitError{code: exitCannotRun, msg: fmt.Sprintf("cannot run %s: %v", args[0], err)},
			"check that it is executable (chmod +x %s) and that you may read its directory", args[0])
	}
	return withHint(exitError{code: exitCannotRun, msg: fmt.Sprintf("cannot run %s: %v", args[0], err)},
		"check the command's name and that it is on $PATH")
}
