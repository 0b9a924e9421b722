package generator

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/docker/docker-credential-helpers/client"
	"github.com/docker/docker-credential-helpers/credentials"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/dockercfg"
	"github.com/shipseal/shipseal/projectkey"
	"github.com/shipseal/shipseal/validate"
)

// Source is where credentials come from.
type Source string

// The sources, in precedence order.
const (
	SourceFile       Source = "file"
	SourceAuthConfig Source = "auth-config"
	SourceEnv        Source = "env"
	SourceHelper     Source = "helper"
)

// Sources lists every source in precedence order.
var Sources = []Source{SourceFile, SourceAuthConfig, SourceEnv, SourceHelper}

// ParseSource parses a --source value.
func ParseSource(s string) (Source, error) {
	for _, src := range Sources {
		if string(src) == s {
			return src, nil
		}
	}
	return "", &configError{
		msg:  fmt.Sprintf("unknown source %q", s),
		hint: "give one of file, auth-config, env, helper",
	}
}

// The environment variables the generator reads.
const (
	EnvDockercfg  = "SHIPSEAL_DOCKERCFG"
	EnvCacheDir   = "SHIPSEAL_CACHE_DIR"
	EnvAuthConfig = "DOCKER_AUTH_CONFIG"
	EnvRegistry   = "DOCKER_REGISTRY"
	EnvUsername   = "DOCKER_USERNAME"
	EnvPassword   = "DOCKER_PASSWORD"
	EnvEmail      = "DOCKER_EMAIL"
)

// DefaultFile is where the image looks for an encrypted dockercfg when no
// other path is given: a custom image adds one with
// "COPY dockercfg.encrypted /etc/shipseal/".
const DefaultFile = "/etc/shipseal/dockercfg.encrypted"

// Credentials are what a source resolved to.
type Credentials struct {
	Source Source
	// Origin says where they came from, for logs; it never holds a secret.
	Origin string
	Config *dockercfg.Config
	// Report holds the source's validation warnings, or is nil.
	Report *diag.Report
}

// plan is the chosen source with its inputs read, before the expensive or
// dynamic part (decrypting, asking a helper) is done.
type plan struct {
	source Source
	origin string
	// inputs identify everything the result depends on, for the cache key.
	inputs [][]byte
	// resolve does the rest; a helper it runs is killed when ctx is done.
	resolve func(ctx context.Context) (*Credentials, error)
	// ignored lists the other configured sources, for warnings.
	ignored []string
	// notes say how the source's values were read (a registry written
	// under another key), for the log.
	notes []string
}

// cacheKey names the inputs without holding them.
func (p *plan) cacheKey(format dockercfg.Format) string {
	h := sha256.New()
	fmt.Fprintf(h, "shipseal generate v1\x00%s\x00%s\x00%d\x00", p.source, p.origin, format)
	for _, in := range p.inputs {
		fmt.Fprintf(h, "%d\x00", len(in))
		h.Write(in)
	}
	return fmt.Sprintf("%x", h.Sum(nil)[:12])
}

// configured is one source whose flags or variables are set.
type configured struct {
	source Source
	by     string // "$DOCKER_AUTH_CONFIG", "--from-file", ...
}

func (g *Generator) getenv(name string) string {
	if g.Getenv != nil {
		return g.Getenv(name)
	}
	return os.Getenv(name)
}

func (g *Generator) defaultFile() string {
	if g.DefaultFile != "" {
		return g.DefaultFile
	}
	return DefaultFile
}

// envCredentialVars are source 3's variables, required ones first.
var envCredentialVars = []string{EnvRegistry, EnvUsername, EnvPassword, EnvEmail}

// configuredSources lists the sources that are set, in precedence order.
func (g *Generator) configuredSources() []configured {
	var list []configured
	switch {
	case g.File != "":
		list = append(list, configured{SourceFile, "--from-file " + g.File})
	case g.getenv(EnvDockercfg) != "":
		list = append(list, configured{SourceFile, "$" + EnvDockercfg})
	default:
		if st, err := os.Stat(g.defaultFile()); err == nil && !st.IsDir() {
			list = append(list, configured{SourceFile, g.defaultFile()})
		}
	}
	if strings.TrimSpace(g.getenv(EnvAuthConfig)) != "" {
		list = append(list, configured{SourceAuthConfig, "$" + EnvAuthConfig})
	}
	var set []string
	for _, v := range envCredentialVars {
		if g.getenv(v) != "" {
			set = append(set, "$"+v)
		}
	}
	if len(set) > 0 {
		list = append(list, configured{SourceEnv, join(set)})
	}
	if g.Helper != "" {
		list = append(list, configured{SourceHelper, "--from-helper " + g.Helper})
	}
	return list
}

// plan picks the source and reads its inputs.
func (g *Generator) plan() (*plan, error) {
	chosen, explicit, err := g.selectedSource()
	if err != nil {
		return nil, err
	}
	all := g.configuredSources()
	if chosen == "" {
		if len(all) == 0 {
			return nil, &configError{
				msg: "no credentials configured",
				hint: fmt.Sprintf("set $%s (with $%s or $%s), $%s, or $%s, $%s and $%s, or use --from-helper NAME --registry R; "+
					"see docs/generator.md", EnvDockercfg, projectkey.EnvKey, projectkey.EnvKeyPath, EnvAuthConfig, EnvRegistry, EnvUsername, EnvPassword),
			}
		}
		chosen = all[0].source
	}
	var ignored []string
	for _, c := range all {
		if c.source == chosen {
			continue
		}
		why := describe(chosen) + " takes precedence"
		if explicit != "" {
			why = explicit + " selects " + describe(chosen)
		}
		ignored = append(ignored, fmt.Sprintf("ignoring %s: %s", c.by, why))
	}
	var p *plan
	switch chosen {
	case SourceFile:
		p, err = g.planFile()
	case SourceAuthConfig:
		p, err = g.planAuthConfig()
	case SourceEnv:
		p, err = g.planEnv()
	case SourceHelper:
		p, err = g.planHelper()
	default:
		panic("generator: internal error: unknown source " + string(chosen))
	}
	if err != nil {
		return nil, err
	}
	p.ignored = ignored
	return p, nil
}

// selectedSource returns the source the flags select, if any, and the flag
// that selected it.
func (g *Generator) selectedSource() (Source, string, error) {
	if g.File != "" && g.Helper != "" {
		return "", "", &configError{
			msg:  "--from-file and --from-helper both select a source",
			hint: "give one of them",
		}
	}
	var chosen Source
	var by string
	switch {
	case g.File != "":
		chosen, by = SourceFile, "--from-file"
	case g.Helper != "":
		chosen, by = SourceHelper, "--from-helper"
	}
	if g.Source != "" {
		if chosen != "" && chosen != g.Source {
			return "", "", &configError{
				msg:  fmt.Sprintf("--source %s conflicts with %s, which selects %s", g.Source, by, describe(chosen)),
				hint: "give one of them",
			}
		}
		chosen, by = g.Source, "--source "+string(g.Source)
	}
	if len(g.Registries) > 0 && chosen != SourceHelper {
		return "", "", &configError{
			msg:  "--registry is only used with --from-helper",
			hint: "give --from-helper NAME to ask a credential helper for the registries, or drop --registry",
		}
	}
	if chosen == SourceHelper && g.Helper == "" {
		return "", "", &configError{
			msg:  "--source helper needs --from-helper NAME",
			hint: "name the helper: --from-helper ecr-login runs docker-credential-ecr-login",
		}
	}
	return chosen, by, nil
}

func describe(s Source) string {
	switch s {
	case SourceFile:
		return "the encrypted dockercfg"
	case SourceAuthConfig:
		return "$" + EnvAuthConfig
	case SourceEnv:
		return "the $" + EnvRegistry + "/$" + EnvUsername + "/$" + EnvPassword + " credentials"
	case SourceHelper:
		return "the credential helper"
	}
	return string(s)
}

func join(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// Source 1: an encrypted dockercfg.

func (g *Generator) planFile() (*plan, error) {
	path, by := g.File, "--from-file"
	if path == "" {
		if path = g.getenv(EnvDockercfg); path != "" {
			by = "$" + EnvDockercfg
		} else {
			path, by = g.defaultFile(), ""
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		what := "the encrypted dockercfg " + path
		if by != "" {
			what += " (" + by + ")"
		}
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, &hinted{fmt.Errorf("cannot read %s: no such file", what),
				"check the path; in the image, COPY the file to " + DefaultFile + " or mount it and set $" + EnvDockercfg}
		case errors.Is(err, fs.ErrPermission):
			return nil, &hinted{fmt.Errorf("cannot read %s: permission denied", what),
				"make the file readable by the user the generator runs as"}
		}
		return nil, fmt.Errorf("cannot read %s: %w", what, err)
	}
	keys := projectkey.Finder{Path: g.KeyPath, Getenv: g.Getenv, Warnf: g.warnf}
	found, err := keys.Find()
	if err != nil {
		if errors.Is(err, projectkey.ErrNoKey) {
			return nil, &hinted{fmt.Errorf("the encrypted dockercfg %s needs the project key: %w", path, err),
				fmt.Sprintf("pass the key's base64 text in $%s (from an encrypted_env_file), or mount the key file and set $%s",
					projectkey.EnvKey, projectkey.EnvKeyPath)}
		}
		return nil, fmt.Errorf("the key for %s: %w", path, err)
	}
	origin := "encrypted dockercfg " + path
	if by != "" {
		origin += " (" + by + ")"
	}
	origin += ", " + found.Key.String() + " from " + found.Origin
	key := found.Key
	return &plan{
		source: SourceFile,
		origin: origin,
		inputs: [][]byte{[]byte(path), data, []byte(key.Fingerprint())},
		resolve: func(context.Context) (*Credentials, error) {
			plain, version, err := validate.Decrypt(data, key)
			if err != nil {
				return nil, fmt.Errorf("decrypting %s: %w", path, err)
			}
			if version == crypto.V1 {
				// v1 has no checksum: a wrong key shows as random bytes.
				if err := crypto.CheckText(plain); err != nil {
					return nil, &hinted{fmt.Errorf("decrypting %s with %s: %w (wrong key?)", path, key, err),
						"check that the key is the project's that encrypted the file"}
				}
			}
			cfg, rep := dockercfg.Validate(path, plain, dockercfg.Options{Decrypted: true, KeyFingerprint: key.Fingerprint()})
			if !rep.Valid() {
				ie := &InvalidError{What: path, Report: rep}
				if rep.WrongKey() {
					ie.err = crypto.ErrWrongKey
				}
				return nil, ie
			}
			return &Credentials{Source: SourceFile, Origin: origin, Config: cfg, Report: rep}, nil
		},
	}, nil
}

// Source 2: $DOCKER_AUTH_CONFIG.

func (g *Generator) planAuthConfig() (*plan, error) {
	text := g.getenv(EnvAuthConfig)
	name := "$" + EnvAuthConfig
	if strings.TrimSpace(text) == "" {
		return nil, &configError{msg: name + " is empty", hint: "set it to a whole dockercfg as JSON: {\"auths\": {...}}"}
	}
	return &plan{
		source: SourceAuthConfig,
		origin: name,
		inputs: [][]byte{[]byte(text)},
		resolve: func(context.Context) (*Credentials, error) {
			cfg, rep := dockercfg.Validate(name, []byte(text), dockercfg.Options{})
			if !rep.Valid() {
				return nil, &InvalidError{What: name, Report: rep}
			}
			return &Credentials{Source: SourceAuthConfig, Origin: name, Config: cfg, Report: rep}, nil
		},
	}, nil
}

// Source 3: $DOCKER_REGISTRY, $DOCKER_USERNAME, $DOCKER_PASSWORD.

func (g *Generator) planEnv() (*plan, error) {
	vals := make(map[string]string, len(envCredentialVars))
	var set, missing []string
	for _, v := range envCredentialVars {
		vals[v] = g.getenv(v)
		switch {
		case vals[v] != "":
			set = append(set, "$"+v)
		case v != EnvEmail:
			missing = append(missing, "$"+v)
		}
	}
	if len(missing) > 0 {
		msg := "incomplete credentials: " + join(missing) + map[bool]string{true: " is", false: " are"}[len(missing) == 1] + " not set"
		if len(set) > 0 {
			msg = "incomplete credentials: " + join(set) + map[bool]string{true: " is", false: " are"}[len(set) == 1] +
				" set but " + join(missing) + map[bool]string{true: " is", false: " are"}[len(missing) == 1] + " not"
		}
		return nil, &configError{
			msg:  msg,
			hint: fmt.Sprintf("set all of $%s, $%s and $%s (for Docker Hub, %s=docker.io), or unset them", EnvRegistry, EnvUsername, EnvPassword, EnvRegistry),
		}
	}
	registry := strings.TrimSpace(vals[EnvRegistry])
	key := dockercfg.LoginKey(registry)
	if err := dockercfg.CheckRegistry(key); err != nil {
		// docker's ConvertToHostname keeps a user name and part of a
		// password when the password holds a '/': say what is wrong with
		// the value as given (masked), never with what it became.
		if whole := dockercfg.CheckRegistry(registry); whole != nil {
			err = whole
		}
		// Content, not configuration: exit 5 like any invalid dockercfg.
		return nil, &hinted{
			fmt.Errorf("$%s cannot be used: %v: %w", EnvRegistry, err, ErrInvalid),
			fmt.Sprintf("set $%s to the registry's host name and port only (e.g. registry.example.com:5000); a user name and password go in $%s and $%s", EnvRegistry, EnvUsername, EnvPassword),
		}
	}
	var notes []string
	if key != registry {
		notes = append(notes, fmt.Sprintf("$%s %s is written as %s, the key docker login stores its credentials under", EnvRegistry, dockercfg.RedactRegistry(registry), dockercfg.RedactKey(registry, key)))
	}
	origin := "$" + EnvRegistry + ", $" + EnvUsername + ", $" + EnvPassword
	if vals[EnvEmail] != "" {
		origin += ", $" + EnvEmail
	}
	return &plan{
		source: SourceEnv,
		origin: origin,
		notes:  notes,
		inputs: [][]byte{[]byte(vals[EnvRegistry]), []byte(vals[EnvUsername]), []byte(vals[EnvPassword]), []byte(vals[EnvEmail])},
		resolve: func(context.Context) (*Credentials, error) {
			if strings.Contains(vals[EnvUsername], ":") {
				// Content, not configuration: exit 5 like any invalid dockercfg.
				return nil, &hinted{
					fmt.Errorf("$%s holds a colon, which a dockercfg cannot represent (docker splits its \"auth\" field, user:password, at the first colon): %w", EnvUsername, ErrInvalid),
					"a registry user name cannot contain ':'; check that $" + EnvUsername + " holds only the user name, not user:password",
				}
			}
			cfg := &dockercfg.Config{Format: dockercfg.FormatConfigJSON}
			cfg.Set(key, dockercfg.AuthConfig{Username: vals[EnvUsername], Password: vals[EnvPassword], Email: vals[EnvEmail]})
			return &Credentials{Source: SourceEnv, Origin: origin, Config: cfg}, nil
		},
	}, nil
}

// Source 4: a credential helper.

// helperName is what may follow "docker-credential-": no path. It is
// compiled on first use, not at every start of the shipseal command.
var helperName = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
})

func (g *Generator) planHelper() (*plan, error) {
	name := g.Helper
	if !helperName().MatchString(name) {
		return nil, &configError{
			msg:  fmt.Sprintf("--from-helper %q is not a helper name", name),
			hint: "give the part after docker-credential-: --from-helper ecr-login runs docker-credential-ecr-login from $PATH",
		}
	}
	if len(g.Registries) == 0 {
		return nil, &configError{
			msg:  "--from-helper " + name + " needs at least one --registry",
			hint: "name each registry to ask the helper about: --registry 123456789012.dkr.ecr.us-east-1.amazonaws.com",
		}
	}
	seen := map[string]string{}
	var keys []string
	for _, r := range g.Registries {
		// The helper is asked, and the file written, under the key
		// docker login stores and docker pull looks up, as
		// $DOCKER_REGISTRY is; two that differ only in letter case are
		// still the same registry to shipseal's validation (DC017).
		key := dockercfg.LoginKey(strings.TrimSpace(r))
		if key == "" {
			return nil, &configError{msg: "--registry is empty", hint: "give a registry host name"}
		}
		if prev, ok := seen[dockercfg.Normalize(key)]; ok {
			return nil, &configError{msg: fmt.Sprintf("--registry %s and --registry %s name the same registry", prev, r), hint: "give each registry once"}
		}
		seen[dockercfg.Normalize(key)] = r
		keys = append(keys, key)
	}
	program := "docker-credential-" + name
	origin := "credential helper " + program
	inputs := [][]byte{[]byte(name)}
	for _, k := range keys {
		inputs = append(inputs, []byte(k))
	}
	return &plan{
		source: SourceHelper,
		origin: origin,
		inputs: inputs,
		resolve: func(ctx context.Context) (*Credentials, error) {
			var prog client.ProgramFunc
			if g.HelperProgram != nil {
				prog = g.HelperProgram(name)
			} else {
				if _, err := exec.LookPath(program); err != nil {
					return nil, &hinted{fmt.Errorf("%s is not installed: %w", program, err),
						"install the helper where the generator runs (a custom image based on shipseal's must add it, the base image has none)"}
				}
				prog = helperProgram(ctx, program)
			}
			cfg := &dockercfg.Config{Format: dockercfg.FormatConfigJSON}
			for _, key := range keys {
				if ctx.Err() != nil {
					return nil, context.Cause(ctx)
				}
				c, err := client.Get(prog, key)
				// Old helpers (Debian's docker-credential-pass 0.6) answer an
				// unknown server with empty credentials and success.
				if err == nil && c.Secret == "" {
					err = credentials.NewErrCredentialsNotFound()
				}
				if err != nil {
					if credentials.IsErrCredentialsNotFound(err) {
						return nil, &hinted{fmt.Errorf("%s has no credentials for %s", program, key),
							"log in to the registry with that helper first (docker login stores them), or check the registry name"}
					}
					return nil, fmt.Errorf("%s get %s: %w", program, key, err)
				}
				a := dockercfg.AuthConfig{Username: c.Username, Password: c.Secret}
				if c.Username == "<token>" {
					// docker's convention for an identity token.
					a = dockercfg.AuthConfig{IdentityToken: c.Secret}
				}
				cfg.Set(key, a)
			}
			return &Credentials{Source: SourceHelper, Origin: origin, Config: cfg}, nil
		},
	}, nil
}

// helperProgram runs program as docker's client.NewShellProgramFunc does
// (its messages on our standard error), but kills it once ctx is done: a
// helper that waits for ever (a network that does not answer, a prompt
// nobody sees) must not make the generator deaf to Ctrl-C.
func helperProgram(ctx context.Context, program string) client.ProgramFunc {
	return func(args ...string) client.Program {
		cmd := exec.CommandContext(ctx, program, args...)
		cmd.Stderr = os.Stderr
		// A child of the helper that holds its output open must not hold
		// up the end of the run either.
		cmd.WaitDelay = helperWaitDelay
		return helperCmd{cmd}
	}
}

// helperWaitDelay is how long a killed helper's output may stay open.
const helperWaitDelay = 2 * time.Second

// helperCmd is an exec.Cmd as a client.Program.
type helperCmd struct{ *exec.Cmd }

func (c helperCmd) Input(in io.Reader) { c.Stdin = in }

// hinted is an error with advice.
type hinted struct {
	err  error
	hint string
}

func (e *hinted) Error() string { return e.err.Error() }
func (e *hinted) Unwrap() error { return e.err }
func (e *hinted) Hint() string  { return e.hint }
