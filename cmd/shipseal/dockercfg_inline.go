package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

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
--registry limits which registries are copied (repeat it for several).

Some helpers hand out tokens that expire within hours (ecr-login: 12 hours;
gcloud and gcr: 1 hour; acr-env: 3 hours), and so does any helper whose
secret is a JSON Web Token with an expiry: inline copies them with a
warning, since an encrypted copy stops working. On CI, use
"shipseal generate --from-helper" instead (docs/generator.md).

jet has no equivalent.`,
		Example: `  shipseal dockercfg inline -o dockercfg.json --registry ghcr.io
  shipseal encrypt dockercfg.json dockercfg.encrypted && rm dockercfg.json
  # or straight into the encrypted file, no plaintext on disk
  shipseal dockercfg inline -o - | shipseal encrypt - dockercfg.encrypted`,
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
		return withHint(usageErrorf("CONFIG and OUT are the same file (%s)", opts.output), "write to another file")
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
	vopts := dockercfg.Options{}
	if in != stdio {
		vopts.Path = in
	}
	cfg, r := dockercfg.Validate(displayName(in), data, vopts)
	if cfg == nil {
		diag.WriteText(s.err, []*diag.Report{r})
		return errContentInvalid
	}
	var answers []helperAnswer
	ask := func(helper, registry string) (dockercfg.AuthConfig, error) {
		a, err := dockercfg.ExecHelper(helper, registry)
		if err == nil {
			answers = append(answers, helperAnswer{registry, helper, a})
		}
		return a, err
	}
	out, fromHelpers, err := cfg.Inline(opts.registries, ask)
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
	if err := writeDockercfg(s, out, opts.output); err != nil {
		return err
	}
	warnExpiring(s, answers, time.Now())
	return nil
}

// shortLivedHelpers are the credential helpers known to hand out access
// tokens that expire hours after they are issued, with how long they
// last: copied into a file that is encrypted and committed, they make CI
// fail with "unauthorized" a few hours later. docs/dockercfg.md lists
// them too; keep the two in step.
var shortLivedHelpers = map[string]string{
	"ecr-login": "12 hours", // Amazon ECR authorization tokens
	"gcloud":    "1 hour",   // Google OAuth2 access tokens (gcloud auth configure-docker)
	"gcr":       "1 hour",   // the same, from docker-credential-gcr
	// Azure Container Registry tokens from a service principal. Microsoft
	// documents that the Microsoft Entra token of az acr login "must be
	// renewed every 3 hours" (https://learn.microsoft.com/azure/container-registry/container-registry-authentication,
	// the table of authentication options). acr-env gets the same kind of
	// token the same way: it exchanges the service principal's Entra token
	// for an ACR refresh token at the registry's /oauth2/exchange
	// (github.com/chrismellard/docker-credential-acr-env,
	// pkg/credhelper/helper.go).
	"acr-env": "3 hours",
}

// helperAnswer is a credential a helper handed out for a registry.
type helperAnswer struct {
	registry, helper string
	auth             dockercfg.AuthConfig
}

// warnExpiring warns about each credential that will stop working: from
// a helper of shortLivedHelpers, or a JWT with an expiry (an OAuth access
// token, whatever the helper), and says what to use on CI instead.
func warnExpiring(s *streams, answers []helperAnswer, now time.Time) {
	var helpers []string
	registries := map[string][]string{}
	for _, a := range answers {
		if life, ok := shortLivedHelpers[a.helper]; ok {
			warnf(s.err, "the credentials of %s come from docker-credential-%s, whose tokens expire %s after they are issued: a copy encrypted into the repository stops working then",
				dockercfg.RedactRegistry(a.registry), a.helper, life)
		} else if exp, ok := credentialExpiry(a.auth); ok {
			when := "expires"
			if !exp.After(now) {
				when = "expired"
			}
			warnf(s.err, "the credentials of %s from docker-credential-%s are a token that %s at %s: a copy encrypted into the repository stops working then",
				dockercfg.RedactRegistry(a.registry), a.helper, when, exp.UTC().Format("2006-01-02 15:04 MST"))
		} else {
			continue
		}
		if registries[a.helper] == nil {
			helpers = append(helpers, a.helper)
		}
		registries[a.helper] = append(registries[a.helper], a.registry)
	}
	for _, h := range helpers {
		flags := ""
		for _, r := range registries[h] {
			flags += " --registry " + dockercfg.RedactRegistry(r)
		}
		fmt.Fprintf(s.err, "shipseal: hint: on CI, have the dockercfg service ask the helper for fresh ones: `shipseal generate --from-helper %s%s PATH` (docs/generator.md)\n", h, flags)
	}
}

// credentialExpiry returns when a credential expires, if its secret is a
// JSON Web Token with an "exp" claim. Nothing else of the token is read.
func credentialExpiry(a dockercfg.AuthConfig) (time.Time, bool) {
	_, password, _ := a.Credentials()
	for _, secret := range []string{password, a.IdentityToken, a.RegistryToken} {
		if exp, ok := jwtExpiry(secret); ok {
			return exp, true
		}
	}
	return time.Time{}, false
}

func jwtExpiry(token string) (time.Time, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return time.Time{}, false
	}
	var header struct {
		Alg string `json:"alg"`
	}
	var claims struct {
		Exp *float64 `json:"exp"`
	}
	if !decodeJWTPart(parts[0], &header) || header.Alg == "" || !decodeJWTPart(parts[1], &claims) || claims.Exp == nil {
		return time.Time{}, false
	}
	return time.Unix(int64(*claims.Exp), 0), true
}

func decodeJWTPart(part string, v any) bool {
	data, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(part, "="))
	return err == nil && json.Unmarshal(data, v) == nil
}
