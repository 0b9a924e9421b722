package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/dockercfg"
	"github.com/shipseal/shipseal/generator"
	"github.com/spf13/cobra"
)

func init() { commands = append(commands, newGenerateCommand) }

type generateOptions struct {
	key        keyOptions
	source     string
	fromFile   string
	fromHelper string
	registries []string
	format     string
	mode       string
	cacheDir   string
	maxAge     time.Duration
}

func newGenerateCommand(s *streams) *cobra.Command {
	opts := &generateOptions{}
	cmd := &cobra.Command{
		Use:   "generate PATH",
		Short: "Write a ready dockercfg to PATH (Codeship's dockercfg_service)",
		Long: `Resolve registry credentials from the first configured source, validate them
and write a dockercfg to PATH atomically with mode 0600. On any failure PATH
is left as it was. Logs (on standard error) name the source and the
registries, never a secret.

Sources, in precedence order:
  1. an encrypted dockercfg: --from-file, $SHIPSEAL_DOCKERCFG, or
     /etc/shipseal/dockercfg.encrypted if it exists; the key found as
     every command finds it (--key-path, $SHIPSEAL_KEY as base64,
     $SHIPSEAL_KEY_PATH, then codeship.aes; see docs/cli.md)
  2. $DOCKER_AUTH_CONFIG: a whole dockercfg as JSON
  3. $DOCKER_REGISTRY, $DOCKER_USERNAME, $DOCKER_PASSWORD (and $DOCKER_EMAIL)
  4. --from-helper NAME --registry R...: docker-credential-NAME get

--cache-dir (or $SHIPSEAL_CACHE_DIR) reuses the last dockercfg generated from
the same inputs while it is younger than --max-age; runs sharing the directory
take turns.

Exit codes: 0 written, 1 failure, 2 usage or configuration (conflicting or
incomplete sources), 3 key missing or malformed, 4 cannot decrypt, 5 the
credentials are not a valid dockercfg. See docs/generator.md.`,
		Example: `  # Codeship's dockercfg_service runs the image with the path as its argument:
  docker run --rm -v /tmp:/opt/data -e SHIPSEAL_KEY shipseal /opt/data/dockercfg
  DOCKER_REGISTRY=registry.example.com DOCKER_USERNAME=ci DOCKER_PASSWORD=… shipseal generate out/dockercfg
  shipseal generate --from-helper ecr-login --registry 123456789012.dkr.ecr.us-east-1.amazonaws.com --cache-dir /cache out/dockercfg`,
		Args: func(cmd *cobra.Command, args []string) error {
			switch {
			case len(args) == 0:
				fmt.Fprint(s.err, cmd.UsageString())
				return withHint(usageErrorf("missing the output PATH"),
					"give the path to write the dockercfg to, as Codeship's dockercfg_service does: /opt/data/dockercfg")
			case len(args) > 1:
				return usageErrorf("too many arguments: generate writes one PATH")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return runGenerate(cmd, s, opts, args[0]) },
	}
	f := cmd.Flags()
	opts.key.register(f, s)
	f.StringVar(&opts.source, "source", "", "use only this source: file, auth-config, env or helper (default: the first configured)")
	f.StringVar(&opts.fromFile, "from-file", "", "the encrypted dockercfg (default: $SHIPSEAL_DOCKERCFG, then "+generator.DefaultFile+")")
	f.StringVar(&opts.fromHelper, "from-helper", "", "ask docker-credential-NAME for the --registry credentials")
	f.StringArrayVar(&opts.registries, "registry", nil, "a registry to ask the helper about (repeatable)")
	f.StringVar(&opts.format, "format", "config.json", `the file's form: "config.json" ({"auths": …}) or "legacy" (.dockercfg)`)
	f.StringVar(&opts.mode, "mode", "0600", "the file's permission bits, in octal")
	f.StringVar(&opts.cacheDir, "cache-dir", "", "reuse and keep the last generated dockercfg here (default: $SHIPSEAL_CACHE_DIR; no cache if unset)")
	f.DurationVar(&opts.maxAge, "max-age", generator.DefaultMaxAge, "how long a cached dockercfg is reused")
	return cmd
}

func runGenerate(cmd *cobra.Command, s *streams, opts *generateOptions, path string) (err error) {
	// generate may wait, from its start, where no other command does: on
	// its input (a named pipe), the key, a credential helper, the cache
	// lock, PATH (a named pipe). The generator gives up every such wait
	// when the context ends, and writes PATH only if no signal came first,
	// so a signal at any point stops the run, which then says that PATH
	// was left as it was.
	ctx := cmd.Context()
	takeInterrupts(ctx)
	defer func() { err = outputLeft(err, path) }()
	g := &generator.Generator{
		File:       opts.fromFile,
		KeyPath:    opts.key.path,
		Helper:     opts.fromHelper,
		Registries: opts.registries,
		CacheDir:   opts.cacheDir,
		MaxAge:     opts.maxAge,
		Infof:      func(format string, args ...any) { infof(s.err, format, args...) },
		Warnf:      func(format string, args ...any) { warnf(s.err, format, args...) },
	}
	if opts.source != "" {
		src, err := generator.ParseSource(opts.source)
		if err != nil {
			return withHint(usageError{err}, "%s", generator.Hint(err))
		}
		g.Source = src
	}
	switch opts.format {
	case "config.json", "json":
		g.Format = dockercfg.FormatConfigJSON
	case "legacy", "dockercfg":
		g.Format = dockercfg.FormatLegacy
	default:
		return usageErrorf(`--format %q: want "config.json" or "legacy"`, opts.format)
	}
	mode, err := strconv.ParseUint(opts.mode, 8, 32)
	if err != nil || mode == 0 || mode > 0o777 {
		return usageErrorf("--mode %q: want octal permission bits such as 0600", opts.mode)
	}
	g.Mode = os.FileMode(mode)
	if g.Mode&0o077 != 0 {
		warnf(s.err, "--mode %#o lets other users read the credentials", g.Mode)
	}
	if opts.maxAge <= 0 {
		return usageErrorf("--max-age %s: want a positive duration such as 1h", opts.maxAge)
	}

	res, err := g.Generate(ctx, path)
	if err != nil {
		return generateError(s, err)
	}
	if res.Report != nil && len(res.Report.Diagnostics) > 0 {
		diag.WriteText(s.err, []*diag.Report{res.Report})
	}
	from := ""
	if res.Cached {
		from = " from the cache"
	}
	infof(s.err, "wrote %s%s (%s, mode %#o) for %d %s: %s", res.Path, from, res.Format, res.Mode,
		len(res.Registries), plural(len(res.Registries), "registry", "registries"), strings.Join(res.Registries, ", "))
	return nil
}

// generateError maps the generator's errors to the documented exit codes.
func generateError(s *streams, err error) error {
	var invalid *generator.InvalidError
	switch {
	case errors.As(err, &invalid):
		diag.WriteText(s.err, []*diag.Report{invalid.Report})
		code := exitInvalid
		if errors.Is(err, crypto.ErrWrongKey) {
			code = exitDecrypt
		}
		return exitError{code: code, msg: err.Error() + "; nothing was written"}
	case errors.Is(err, generator.ErrInvalid):
		invalid := exitError{code: exitInvalid, msg: err.Error() + "; nothing was written"}
		if h := generator.Hint(err); h != "" {
			return withHint(invalid, "%s", h)
		}
		return invalid
	case errors.Is(err, generator.ErrConfig):
		err = usageError{err}
	}
	if h := generator.Hint(err); h != "" {
		return withHint(err, "%s", h)
	}
	return err
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
