package dockercfg

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/docker/docker-credential-helpers/client"
	"github.com/docker/docker-credential-helpers/credentials"
)

// ErrNotFound is what a Helper returns when it holds no credentials for a
// registry.
var ErrNotFound = errors.New("credentials not found")

// Helper asks the credential helper docker-credential-NAME for the
// credentials of serverURL. It returns ErrNotFound when it has none.
type Helper func(name, serverURL string) (AuthConfig, error)

// tokenUsername is the user name a helper stores an identity token under,
// as docker does.
const tokenUsername = "<token>"

// ExecHelper is the Helper that runs docker-credential-NAME from PATH,
// through docker's own client library. A "credentials not found" answer
// and an empty user name and secret (what older helpers, such as Debian's
// docker-credential-pass 0.6, answer instead) both give ErrNotFound.
func ExecHelper(name, serverURL string) (AuthConfig, error) {
	program := "docker-credential-" + name
	creds, err := client.Get(client.NewShellProgramFunc(program), serverURL)
	if credentials.IsErrCredentialsNotFound(err) {
		return AuthConfig{}, ErrNotFound
	}
	if err != nil {
		return AuthConfig{}, fmt.Errorf("%s: %w", program, err)
	}
	if creds.Username == "" && creds.Secret == "" {
		return AuthConfig{}, ErrNotFound
	}
	if creds.Username == tokenUsername {
		return AuthConfig{IdentityToken: creds.Secret}, nil
	}
	return AuthConfig{Username: creds.Username, Password: creds.Secret}, nil
}

// MissingError lists the registries Inline found no credentials for.
type MissingError struct {
	// Registries maps each registry to the helper asked, or "" when no
	// helper was configured for it.
	Registries map[string]string
}

func (e *MissingError) Error() string {
	var parts []string
	for r, h := range e.Registries {
		if h == "" {
			parts = append(parts, fmt.Sprintf("%s (no credentials and no credential helper)", RedactRegistry(r)))
		} else {
			parts = append(parts, fmt.Sprintf("%s (docker-credential-%s has none)", RedactRegistry(r), h))
		}
	}
	slices.Sort(parts)
	return "no credentials for " + strings.Join(parts, ", ")
}

// Inline returns a self-contained config.json holding, inline, the
// credentials docker would use for each registry: asked from the
// credential helper where one is configured (falling back to inline
// credentials the helper does not have), else taken from the file. Only
// "auths" is kept: credsStore, credHelpers and other settings are left
// out, as CI has no helpers. registries limits which registries (in any
// spelling Normalize accepts); empty means every registry the config
// names, in auths or credHelpers. fromHelpers counts the credentials that
// came from helpers.
func (c *Config) Inline(registries []string, ask Helper) (out *Config, fromHelpers int, err error) {
	var names []string // as written in the config, or as given
	seen := map[string]bool{}
	add := func(name string) {
		if key := Normalize(name); !seen[key] {
			seen[key] = true
			names = append(names, name)
		}
	}
	if len(registries) > 0 {
		for _, r := range registries {
			if err := CheckRegistry(r); err != nil {
				return nil, 0, err
			}
			if e := c.Lookup(r); e != nil {
				add(e.Registry)
			} else {
				add(helperKey(c, r))
			}
		}
	} else {
		for _, e := range c.Auths {
			add(e.Registry)
		}
		helpers := make([]string, 0, len(c.CredHelpers))
		for r := range c.CredHelpers {
			helpers = append(helpers, r)
		}
		slices.Sort(helpers)
		for _, r := range helpers {
			add(r)
		}
	}

	out = &Config{Format: FormatConfigJSON}
	missing := map[string]string{}
	for _, name := range names {
		var inline AuthConfig
		if e := c.Lookup(name); e != nil {
			inline = e.AuthConfig
			inline.ServerAddress = ""
		}
		helper := c.HelperFor(name)
		if helper != "" {
			got, err := ask(helper, name)
			switch {
			case err == nil:
				got.Email = inline.Email
				out.Set(name, got)
				fromHelpers++
				continue
			case !errors.Is(err, ErrNotFound):
				return nil, 0, fmt.Errorf("asking for the credentials of %s: %w", RedactRegistry(name), err)
			}
		}
		if inline.Empty() {
			missing[name] = helper
			continue
		}
		out.Set(name, inline)
	}
	if len(missing) > 0 {
		return nil, 0, &MissingError{Registries: missing}
	}
	return out, fromHelpers, nil
}

// helperKey returns the spelling of registry that the config's
// credHelpers uses, so the helper is asked under the key it stored, or
// else the key docker login stores registry under (LoginKey).
func helperKey(c *Config, registry string) string {
	key := Normalize(registry)
	for r := range c.CredHelpers {
		if Normalize(r) == key {
			return r
		}
	}
	return LoginKey(registry)
}
