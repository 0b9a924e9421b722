package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/dockercfg"
	"github.com/spf13/cobra"
)

type dockercfgCreateOptions struct {
	registry      string
	username      string
	passwordStdin bool
	output        string
	legacy        bool
}

func newDockercfgCreateCommand(s *streams) *cobra.Command {
	opts := &dockercfgCreateOptions{}
	cmd := &cobra.Command{
		Use:   "create --registry R --username U --password-stdin [-o PATH]",
		Short: "Write a config.json with one registry's credentials, as docker login would",
		Long: `Write a Docker config.json holding the credentials for one registry, as
"docker login --password-stdin" would store them, without a network or a
Docker daemon. The password is read from standard input (never from the
command line). PATH is written with mode 0600; when it exists and is a
valid dockercfg, the registry is added to it (or replaced), as docker login
does. Without -o, the config goes to standard output.`,
		Example: `  printf '%s' "$QUAY_TOKEN" | shipseal dockercfg create --registry quay.io --username 'myorg+ci' --password-stdin -o dockercfg.json
  shipseal encrypt dockercfg.json dockercfg.encrypted && rm dockercfg.json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runDockercfgCreate(s, opts) },
	}
	f := cmd.Flags()
	f.StringVar(&opts.registry, "registry", "docker.io", "the registry: a host name with an optional port, or a URL")
	f.StringVar(&opts.username, "username", "", "the user name (required)")
	f.BoolVar(&opts.passwordStdin, "password-stdin", false, "read the password or token from standard input (required)")
	f.StringVarP(&opts.output, "output", "o", stdio, "write to this file")
	f.BoolVar(&opts.legacy, "legacy", false, "write the legacy .dockercfg form ({REGISTRY: {auth}}) instead of config.json")
	return cmd
}

func runDockercfgCreate(s *streams, opts *dockercfgCreateOptions) error {
	if !opts.passwordStdin {
		return withHint(usageErrorf("the password must come from standard input: pass --password-stdin"),
			`printf '%%s' "$TOKEN" | shipseal dockercfg create --registry R --username U --password-stdin -o dockercfg.json`)
	}
	if opts.username == "" {
		return usageErrorf("missing --username")
	}
	if strings.Contains(opts.username, ":") {
		return usageErrorf("the user name %q holds a colon, which auth (user:password) cannot carry", opts.username)
	}
	if err := dockercfg.CheckRegistry(opts.registry); err != nil {
		return usageError{err}
	}
	password, err := readPassword(s.in)
	if err != nil {
		return err
	}

	cfg := &dockercfg.Config{Format: dockercfg.FormatConfigJSON}
	if opts.legacy {
		cfg.Format = dockercfg.FormatLegacy
	}
	if opts.output != stdio {
		existing, err := readExistingConfig(opts.output)
		if err != nil {
			return err
		}
		if existing != nil {
			if opts.legacy && existing.Format != dockercfg.FormatLegacy {
				return fmt.Errorf("%s is a config.json: --legacy cannot add to it", opts.output)
			}
			cfg = existing
		}
	}
	// The key docker login stores, letter case kept: docker pull looks
	// it up as the image names the host. An entry for the same registry
	// under another spelling (Registry.Example.com, a URL) is replaced,
	// key included, rather than kept beside it (DC017).
	key := dockercfg.LoginKey(opts.registry)
	if e := cfg.Lookup(key); e != nil {
		e.Registry = key
	}
	cfg.Set(key, dockercfg.AuthConfig{Username: opts.username, Password: password})
	return writeDockercfg(s, cfg, opts.output)
}

// readPassword reads a password from standard input as docker login
// --password-stdin does: all of it, without one final line ending.
func readPassword(in io.Reader) (string, error) {
	data, err := io.ReadAll(in)
	if err != nil {
		return "", fmt.Errorf("reading the password from standard input: %w", err)
	}
	password := strings.TrimSuffix(strings.TrimSuffix(string(data), "\n"), "\r")
	if password == "" {
		// Nothing was given where something is required: a usage error,
		// as docker login makes it.
		return "", withHint(usageErrorf("the password on standard input is empty"),
			`pipe it in: printf '%%s' "$TOKEN" | shipseal dockercfg create --registry R --username U --password-stdin`)
	}
	return password, nil
}

// readExistingConfig reads the dockercfg at path to add to it, or returns
// nil when there is none.
func readExistingConfig(path string) (*dockercfg.Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if errors.Is(err, syscall.EISDIR) {
		// An output, not an input: openOutput's error, with its hint.
		return nil, &outputDirError{dir: path, suggest: "dockercfg.json"}
	}
	if err != nil {
		return nil, inputError(path, err)
	}
	cfg, err := dockercfg.Parse(data)
	if err != nil {
		return nil, withHint(fmt.Errorf("%s exists and is not a valid dockercfg, so it cannot be added to: %w", path, err),
			"run `shipseal validate %s`, or write to another file", path)
	}
	return cfg, nil
}

// writeDockercfg checks cfg and writes it, with mode 0600, to name.
func writeDockercfg(s *streams, cfg *dockercfg.Config, name string) error {
	data, err := cfg.Marshal(cfg.Format)
	if err != nil {
		return err
	}
	// What shipseal writes, shipseal must accept.
	if _, r := dockercfg.Validate(displayName(name), data, dockercfg.Options{}); !r.Valid() {
		diag.WriteText(s.err, []*diag.Report{r})
		return errContentInvalid
	}
	// create and inline do not take charge of interrupts: a signal ends
	// them at once, in any wait.
	out, err := openOutput(context.Background(), s, name, "dockercfg.json", secretOutput)
	if err != nil {
		return err
	}
	defer out.Abort()
	if _, err := out.Write(data); err != nil {
		return writingError(out.name, err)
	}
	if err := out.Commit(); err != nil {
		return err
	}
	if name != stdio {
		infof(s.err, "wrote %s (%d %s)", name, len(cfg.Auths), plural(len(cfg.Auths), "registry", "registries"))
		warnf(s.err, "%s holds the credentials unencrypted: encrypt it with `shipseal encrypt %s %s`, then delete it", name, name, encryptedName(name))
	}
	return nil
}

// encryptedName is where to encrypt the plaintext dockercfg name to:
// dockercfg.encrypted beside it, the name the docs and Codeship's
// encrypted_dockercfg_path examples use, unless that is name itself.
func encryptedName(name string) string {
	enc := filepath.Join(filepath.Dir(name), "dockercfg.encrypted")
	if filepath.Clean(name) == enc {
		return name + ".encrypted"
	}
	return enc
}
