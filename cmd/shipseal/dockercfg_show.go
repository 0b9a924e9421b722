package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/dockercfg"
	"github.com/shipseal/shipseal/validate"
	"github.com/spf13/cobra"
	"github.com/tidwall/gjson"
)

type dockercfgShowOptions struct {
	key    keyOptions
	query  string
	format string
}

func newDockercfgShowCommand(s *streams) *cobra.Command {
	opts := &dockercfgShowOptions{}
	cmd := &cobra.Command{
		Use:   "show FILE",
		Short: "Show a dockercfg's registries and users, secrets masked",
		Long: `Show which registries a dockercfg holds credentials for, with which user
names and which fields, and the credential helpers it names. Each registry
names the helper docker would ask for it (its credHelpers entry, else
credsStore), which holds its credentials. Secrets (auth, password,
identitytoken, registrytoken) are shown as ****. An encrypted file is
decrypted in memory with the project key, never on disk.

--query takes a gjson path (https://github.com/tidwall/gjson/blob/master/SYNTAX.md)
over the --format json document, and prints what it matches. A malformed
path is a usage error (exit 2); one that matches nothing exits 1.

jet has no equivalent: "jet decrypt dockercfg.encrypted dockercfg.json"
and reading it shows the secrets themselves, and leaves them on disk.`,
		Example: `  shipseal dockercfg show dockercfg.encrypted
  shipseal dockercfg show --format json ~/.docker/config.json
  shipseal dockercfg show --query 'registries.#.username' dockercfg.encrypted
  shipseal dockercfg show --query 'registries.#(key=="quay.io").username' dockercfg.encrypted
  # the registries whose credentials are in a credential helper, not the file
  shipseal dockercfg show --query 'registries.#(fields.#==0)#.registry' ~/.docker/config.json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErrorf("want one FILE, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return runDockercfgShow(s, opts, args[0]) },
	}
	f := cmd.Flags()
	opts.key.register(f, s)
	f.StringVar(&opts.query, "query", "", "print only what this gjson path matches (syntax: docs/dockercfg.md)")
	f.StringVar(&opts.format, "format", "text", "output format: text or json")
	return cmd
}

// dockercfgSummary is what show prints: nothing secret, only whether a
// secret field is set.
type dockercfgSummary struct {
	File        string            `json:"file"`
	Format      string            `json:"format"`
	Encrypted   bool              `json:"encrypted"`
	Valid       bool              `json:"valid"`
	Registries  []registrySummary `json:"registries"`
	CredsStore  string            `json:"credsStore,omitempty"`
	CredHelpers map[string]string `json:"credHelpers,omitempty"`
}

type registrySummary struct {
	Registry string   `json:"registry"`
	Key      string   `json:"key"`
	Username string   `json:"username,omitempty"`
	Fields   []string `json:"fields"`
	// Helper is the credential helper docker asks for this registry
	// instead of reading the fields, and HelperFrom where the config
	// names it: "credHelpers" or "credsStore".
	Helper        string `json:"helper,omitempty"`
	HelperFrom    string `json:"helperFrom,omitempty"`
	Auth          string `json:"auth,omitempty"`
	Password      string `json:"password,omitempty"`
	IdentityToken string `json:"identitytoken,omitempty"`
	RegistryToken string `json:"registrytoken,omitempty"`
	Email         string `json:"email,omitempty"`
	ServerAddress string `json:"serveraddress,omitempty"`
}

func runDockercfgShow(s *streams, opts *dockercfgShowOptions, name string) error {
	if opts.format != "text" && opts.format != "json" {
		return usageErrorf("unknown --format %q: want text or json", opts.format)
	}
	if opts.query != "" {
		if err := checkQuery(opts.query); err != nil {
			return withHint(usageErrorf("invalid query %q: %w", opts.query, err), "see docs/dockercfg.md for the syntax")
		}
	}
	data, err := readAll(s, name)
	if err != nil {
		return err
	}
	vopts := dockercfg.Options{}
	if name != stdio {
		vopts.Path = name
	}
	encrypted := validate.IsEncrypted(data)
	if encrypted {
		found, err := opts.key.find()
		if err != nil {
			return err
		}
		plain, _, err := validate.Decrypt(data, found.Key)
		if err != nil {
			return fmt.Errorf("decrypting %s: %w", displayName(name), err)
		}
		data = plain
		vopts = dockercfg.Options{Decrypted: true, KeyFingerprint: found.Key.Fingerprint()}
	}
	cfg, r := dockercfg.Validate(displayName(name), data, vopts)
	if cfg == nil {
		diag.WriteText(s.err, []*diag.Report{r})
		if r.WrongKey() {
			return errCannotDecrypt
		}
		return errContentInvalid
	}
	if !r.Valid() {
		errs, _ := r.Count()
		warnf(s.err, "%s has %d %s: `shipseal validate %s` explains %s", displayName(name), errs, plural(errs, "error", "errors"),
			displayName(name), plural(errs, "it", "them"))
	}
	sum := summarize(cfg, displayName(name), encrypted, r.Valid())
	doc, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		return err
	}
	var out string
	switch {
	case opts.query != "":
		res := gjson.GetBytes(doc, opts.query)
		if !res.Exists() {
			return withHint(fmt.Errorf("the query %q matches nothing", opts.query),
				"see the fields with `shipseal dockercfg show --format json %s`", displayName(name))
		}
		out = res.String() + "\n"
		if res.IsObject() || res.IsArray() {
			out = res.Raw + "\n"
		}
	case opts.format == "json":
		out = string(doc) + "\n"
	default:
		out = showText(sum)
	}
	// The summary holds no secret; masking it anyway costs nothing and
	// covers a user name that is somebody's password.
	_, err = fmt.Fprint(s.out, r.Source.Mask(out))
	return err
}

func summarize(cfg *dockercfg.Config, name string, encrypted, valid bool) dockercfgSummary {
	sum := dockercfgSummary{File: name, Format: cfg.Format.String(), Encrypted: encrypted, Valid: valid,
		Registries: []registrySummary{}, CredsStore: cfg.CredsStore}
	if len(cfg.CredHelpers) > 0 {
		// A registry key is shown without the password it may hold.
		sum.CredHelpers = make(map[string]string, len(cfg.CredHelpers))
		for r, h := range cfg.CredHelpers {
			sum.CredHelpers[dockercfg.RedactRegistry(r)] = h
		}
	}
	set := func(fields *[]string, name, value string) string {
		if value == "" {
			return ""
		}
		*fields = append(*fields, name)
		return value
	}
	for _, e := range cfg.Auths {
		rs := registrySummary{Registry: dockercfg.RedactRegistry(e.Registry), Key: dockercfg.RedactKey(e.Registry, e.Key), Fields: []string{}}
		a := e.AuthConfig
		masked := func(v string) string {
			if v == "" {
				return ""
			}
			return diag.Mask
		}
		rs.Auth = masked(set(&rs.Fields, "auth", a.Auth))
		rs.Username = set(&rs.Fields, "username", a.Username)
		rs.Password = masked(set(&rs.Fields, "password", a.Password))
		rs.Email = set(&rs.Fields, "email", a.Email)
		rs.IdentityToken = masked(set(&rs.Fields, "identitytoken", a.IdentityToken))
		rs.RegistryToken = masked(set(&rs.Fields, "registrytoken", a.RegistryToken))
		rs.ServerAddress = set(&rs.Fields, "serveraddress", a.ServerAddress)
		if user, _, err := a.Credentials(); err == nil && user != "" {
			rs.Username = user
		}
		rs.Helper, rs.HelperFrom = helperOf(cfg, e.Registry)
		sum.Registries = append(sum.Registries, rs)
	}
	return sum
}

// helperOf says which credential helper docker asks for registry, and
// which setting names it: its credHelpers entry, else credsStore. As in
// docker's configfile, a credHelpers entry of "" means the file's own
// credentials, whatever credsStore says.
func helperOf(cfg *dockercfg.Config, registry string) (helper, from string) {
	key := dockercfg.Normalize(registry)
	for r, h := range cfg.CredHelpers {
		if dockercfg.Normalize(r) == key {
			if h == "" {
				return "", ""
			}
			return h, "credHelpers"
		}
	}
	if cfg.CredsStore != "" {
		return cfg.CredsStore, "credsStore"
	}
	return "", ""
}

func showText(sum dockercfgSummary) string {
	var b strings.Builder
	enc := ""
	if sum.Encrypted {
		enc = ", encrypted"
	}
	fmt.Fprintf(&b, "%s: %s%s, %d %s\n", sum.File, sum.Format, enc, len(sum.Registries), plural(len(sum.Registries), "registry", "registries"))
	for _, r := range sum.Registries {
		fmt.Fprintf(&b, "  %s\n", r.Registry)
		if r.Key != r.Registry {
			fmt.Fprintf(&b, "    matches:  %s\n", r.Key)
		}
		if r.Username != "" {
			fmt.Fprintf(&b, "    username: %s\n", r.Username)
		}
		var fields []string
		for _, f := range r.Fields {
			switch f {
			case "auth", "password", "identitytoken", "registrytoken":
				f += " " + diag.Mask
			}
			fields = append(fields, f)
		}
		if len(fields) == 0 {
			fields = []string{"none"}
		}
		fmt.Fprintf(&b, "    fields:   %s\n", strings.Join(fields, ", "))
		if r.Email != "" {
			fmt.Fprintf(&b, "    email:    %s\n", r.Email)
		}
		switch {
		case r.Helper == "":
		case len(r.Fields) == 0 || (len(r.Fields) == 1 && r.Fields[0] == "email"):
			fmt.Fprintf(&b, "    helper:   docker-credential-%s (%s) holds the credentials\n", r.Helper, r.HelperFrom)
		default:
			fmt.Fprintf(&b, "    helper:   docker-credential-%s (%s): where it is installed, docker asks it instead of the fields above\n", r.Helper, r.HelperFrom)
		}
	}
	if sum.CredsStore != "" {
		fmt.Fprintf(&b, "  credsStore: %s (docker-credential-%s)\n", sum.CredsStore, sum.CredsStore)
	}
	if len(sum.CredHelpers) > 0 {
		fmt.Fprintf(&b, "  credHelpers:\n")
		for _, r := range slices.Sorted(maps.Keys(sum.CredHelpers)) {
			if h := sum.CredHelpers[r]; h != "" {
				fmt.Fprintf(&b, "    %s: %s (docker-credential-%s)\n", r, h, h)
			} else {
				fmt.Fprintf(&b, "    %s: \"\" (none: the file's own credentials)\n", r)
			}
		}
	}
	return b.String()
}
