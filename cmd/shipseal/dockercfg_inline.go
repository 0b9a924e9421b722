package main

import (
	"errors"
	"fmt"

	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/dockercfg"
	"github.com/spf13/cobra"
)

type dockercfgInlineOptions struct {
	output     string
	registries []string
}

func newDockercfgInlineCommand(s *streams) *cobra.Command {
	opts := &dockercfgInlineOptions{}
	cmd := &cobra.Command{
		Use:   "inline [CONFIG] -o OUT [--registry R]...",
		Short: "Copy credentials out of credential helpers into a self-contained config",
		Long: `After "docker login" on a machine with a credential helper (Docker Desktop,
osxkeychain, pass, ecr-login...), config.json holds only "registry": {} and
"credsStore": the secrets are in the keychain, and encrypting the file gives
CI nothing. inline asks each registry's helper (docker-credential-NAME get,
through docker's client library) and writes OUT with the credentials inline,
in "auths" only, ready to encrypt. OUT is written with mode 0600.

CONFIG defaults to $DOCKER_CONFIG/config.json, else ~/.docker/config.json.
--registry limits which registries are copied (repeat it for several).`,
		Example: `  shipseal dockercfg inline -o dockercfg.json --registry ghcr.io
  shipseal encrypt dockercfg.json dockercfg.encrypted && rm dockercfg.json`,
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runDockercfgInline(s, opts, args) },
	}
	f := cmd.Flags()
	f.StringVarP(&opts.output, "output", "o", "", `write to this file ("-" for standard output); required`)
	f.StringArrayVar(&opts.registries, "registry", nil, "copy only this registry (repeatable)")
	return cmd
}

func runDockercfgInline(s *streams, opts *dockercfgInlineOptions, args []string) error {
	if opts.output == "" {
		return usageErrorf("missing -o OUT: the file to write the self-contained config to")
	}
	in := defaultDockerConfig()
	if len(args) > 0 {
		in = args[0]
	}
	if in != stdio && opts.output != stdio && sameFile(in, opts.output) {
		return usageErrorf("CONFIG and OUT are the same file (%s): write to another file", opts.output)
	}
	for _, r := range opts.registries {
		if err := dockercfg.CheckRegistry(r); err != nil {
			return usageError{err}
		}
	}
	data, err := readAll(s, in)
	if err != nil {
		return err
	}
	cfg, r := dockercfg.Validate(displayName(in), data, dockercfg.Options{})
	if cfg == nil {
		diag.WriteText(s.err, []*diag.Report{r})
		return errContentInvalid
	}
	out, fromHelpers, err := cfg.Inline(opts.registries, dockercfg.ExecHelper)
	var missing *dockercfg.MissingError
	if errors.As(err, &missing) {
		return withHint(err, "log in to them first (`docker login REGISTRY`), or leave them out with --registry")
	}
	if err != nil {
		return withHint(err, "is the credential helper installed and on PATH, and its keychain unlocked?")
	}
	if len(out.Auths) == 0 {
		return withHint(fmt.Errorf("%s holds no registries", displayName(in)), "log in first with `docker login REGISTRY`")
	}
	if fromHelpers > 0 {
		infof(s.err, "copied %d %s from credential helpers", fromHelpers, plural(fromHelpers, "credential", "credentials"))
	}
	return writeDockercfg(s, out, opts.output)
}
