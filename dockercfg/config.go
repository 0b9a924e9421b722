package dockercfg

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/shipseal/shipseal/diag"
)

// Format is one of the two file forms docker has read.
type Format int

const (
	// FormatConfigJSON is ~/.docker/config.json:
	// {"auths": {REGISTRY: {...}}, "credsStore": ..., "credHelpers": ...}.
	FormatConfigJSON Format = iota + 1
	// FormatLegacy is ~/.dockercfg, read by docker before v23 and still by
	// Codeship: {REGISTRY: {"auth": ..., "email": ...}}.
	FormatLegacy
)

func (f Format) String() string {
	switch f {
	case FormatConfigJSON:
		return "config.json"
	case FormatLegacy:
		return "legacy .dockercfg"
	}
	return fmt.Sprintf("format(%d)", int(f))
}

// AuthConfig is one registry's credentials as the file holds them. Auth is
// base64 of "user:password"; when it is set, docker ignores Username and
// Password.
type AuthConfig struct {
	Auth          string `json:"auth,omitempty"`
	Username      string `json:"username,omitempty"`
	Password      string `json:"password,omitempty"`
	Email         string `json:"email,omitempty"`
	IdentityToken string `json:"identitytoken,omitempty"`
	RegistryToken string `json:"registrytoken,omitempty"`
	ServerAddress string `json:"serveraddress,omitempty"`
}

// Credentials returns the user name and password docker would use: those
// decoded from Auth when it is set, else Username and Password. An empty
// password is fine beside an identity token: docker login with one (Azure,
// for one) stores the user that way.
func (a AuthConfig) Credentials() (username, password string, err error) {
	if a.Auth == "" {
		return a.Username, a.Password, nil
	}
	username, password, err = DecodeAuth(a.Auth)
	if errors.Is(err, ErrAuthEmptyPassword) && a.IdentityToken != "" {
		err = nil
	}
	return username, password, err
}

// Empty is true when the entry holds no credential at all ({} is what
// docker login leaves in the file when a credential helper keeps the
// secret).
func (a AuthConfig) Empty() bool {
	return a.Auth == "" && a.Username == "" && a.Password == "" &&
		a.IdentityToken == "" && a.RegistryToken == ""
}

// Entry is one registry of a Config.
type Entry struct {
	// Registry is the key as written in the file.
	Registry string
	// Key is Normalize(Registry): what shipseal matches it by (docker
	// matches Registry, as written).
	Key string
	AuthConfig
}

// Field is a top-level field that shipseal does not model, kept as written
// so that writing the file back keeps it.
type Field struct {
	Name  string
	Value json.RawMessage
}

// Config is a docker credentials file in either format.
type Config struct {
	Format Format
	// Auths are the registries in file order.
	Auths       []Entry
	CredsStore  string
	CredHelpers map[string]string
	// Extra holds other top-level fields (psFormat, proxies, ...) in file
	// order. Only FormatConfigJSON can hold them.
	Extra []Field
}

// Lookup returns the entry docker would use for registry, which may be
// written in any form Normalize accepts, or nil.
func (c *Config) Lookup(registry string) *Entry {
	key := Normalize(registry)
	// docker keeps the last of two keys that normalise alike.
	for i := len(c.Auths) - 1; i >= 0; i-- {
		if c.Auths[i].Key == key {
			return &c.Auths[i]
		}
	}
	return nil
}

// HelperFor returns the credential helper docker asks for registry: its
// credHelpers entry, else credsStore, else "". An entry of "" (or null)
// is an entry all the same: as docker's configfile does, it means the
// file's own credentials, whatever credsStore says. An entry spelled as
// registry is written wins over others that normalise alike (of those,
// the first in byte order, so that the answer does not change from run to
// run).
func (c *Config) HelperFor(registry string) string {
	if h, ok := c.helperEntry(registry); ok {
		return h
	}
	return c.CredsStore
}

// helperEntry returns the credHelpers entry for registry (see HelperFor),
// and whether there is one: without one, docker asks credsStore.
func (c *Config) helperEntry(registry string) (string, bool) {
	if h, ok := c.CredHelpers[registry]; ok {
		return h, true
	}
	key := Normalize(registry)
	found, first := false, ""
	for r := range c.CredHelpers {
		if (!found || r < first) && Normalize(r) == key {
			found, first = true, r
		}
	}
	if found {
		return c.CredHelpers[first], true
	}
	return "", false
}

// Set stores credentials for registry, replacing the entry docker would
// have used for it or appending a new one.
func (c *Config) Set(registry string, auth AuthConfig) {
	if e := c.Lookup(registry); e != nil {
		e.AuthConfig = auth
		return
	}
	c.Auths = append(c.Auths, Entry{Registry: registry, Key: Normalize(registry), AuthConfig: auth})
}

// Error is the error Parse returns: the first error diagnostic, secrets
// masked.
type Error struct {
	Code    string
	Line    int
	Column  int
	Message string
	// WrongKey is set when the content looks like the result of
	// decrypting with the wrong key.
	WrongKey bool
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.Code, e.Message)
	}
	return fmt.Sprintf("%d:%d: %s: %s", e.Line, e.Column, e.Code, e.Message)
}

// Parse reads a docker credentials file in either format. It is strict: it
// fails on every problem that Validate reports as an error, and the error
// never holds a secret. Warnings do not make it fail.
func Parse(data []byte) (*Config, error) {
	cfg, r := Validate("", data, Options{})
	for _, d := range r.Diagnostics {
		if d.Severity == diag.Error {
			return nil, &Error{Code: d.Code, Line: d.Pos.Line, Column: d.Pos.Column,
				Message: r.Message(d), WrongKey: d.WrongKey}
		}
	}
	return cfg, nil
}

// Marshal writes the config in format the way docker writes config.json:
// indented with tabs, and with a trailing newline. Entries are written in
// order with "auth" encoded from the user name and password (docker's
// form); serveraddress, which docker recomputes from the key, is dropped.
// A legacy file cannot hold credsStore, credHelpers or other top-level
// fields.
func (c *Config) Marshal(format Format) ([]byte, error) {
	var b bytes.Buffer
	auths, err := c.marshalAuths()
	if err != nil {
		return nil, err
	}
	switch format {
	case FormatLegacy:
		if c.CredsStore != "" || len(c.CredHelpers) > 0 || len(c.Extra) > 0 {
			return nil, errors.New("a legacy .dockercfg cannot hold credsStore, credHelpers or other top-level fields")
		}
		b.Write(auths)
	case FormatConfigJSON:
		b.WriteString(`{"auths":`)
		b.Write(auths)
		if c.CredsStore != "" {
			b.WriteString(`,"credsStore":`)
			b.Write(mustMarshal(c.CredsStore))
		}
		if len(c.CredHelpers) > 0 {
			b.WriteString(`,"credHelpers":`)
			b.Write(mustMarshal(c.CredHelpers)) // sorted, as docker writes it
		}
		for _, f := range c.Extra {
			if !json.Valid(f.Value) {
				return nil, fmt.Errorf("field %q does not hold valid JSON", f.Name)
			}
			b.WriteByte(',')
			b.Write(mustMarshal(f.Name))
			b.WriteByte(':')
			b.Write(f.Value)
		}
		b.WriteByte('}')
	default:
		return nil, fmt.Errorf("unknown format %v", format)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b.Bytes(), "", "\t"); err != nil {
		return nil, fmt.Errorf("internal error: marshalled config is not JSON: %w", err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

func (c *Config) marshalAuths() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	seen := make(map[string]bool, len(c.Auths))
	for i, e := range c.Auths {
		if seen[e.Registry] {
			return nil, fmt.Errorf("registry %q appears twice", e.Registry)
		}
		seen[e.Registry] = true
		a := e.AuthConfig
		if a.Auth == "" && (a.Username != "" || a.Password != "") {
			a.Auth = EncodeAuth(a.Username, a.Password)
		}
		a.Username, a.Password, a.ServerAddress = "", "", ""
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(mustMarshal(e.Registry))
		b.WriteByte(':')
		b.Write(mustMarshal(a))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// mustMarshal marshals values that cannot fail to marshal: strings, string
// maps and AuthConfig. Unlike json.Marshal, it leaves <, > and & alone, as
// a person would write them.
func mustMarshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("dockercfg: internal error: " + err.Error())
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}
