package credhelper

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/docker/docker-credential-helpers/credentials"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/dockercfg"
	"github.com/shipseal/shipseal/projectkey"
)

// tokenUsername is the user name docker sends and expects for an identity
// token (an OAuth refresh token) instead of a password.
const tokenUsername = "<token>"

// Helper serves the registry credentials of one encrypted dockercfg. It
// implements the credentials.Helper interface of
// github.com/docker/docker-credential-helpers, so credentials.Serve turns
// it into a docker-credential-* program.
//
// Its errors are one line and never hold a secret; an unknown registry is
// credentials.NewErrCredentialsNotFound(), which docker treats as "not
// logged in".
type Helper struct {
	// Path is the encrypted dockercfg; empty means DefaultPath().
	Path string
	// Keys finds the project key, as shipseal's commands do; its NoFlag
	// is always taken as set, since docker passes the helper no flags.
	Keys projectkey.Finder
}

var _ credentials.Helper = (*Helper)(nil)

func (h *Helper) path() (string, error) {
	if h.Path != "" {
		return h.Path, nil
	}
	return DefaultPath()
}

func (h *Helper) key() (*crypto.Key, error) {
	keys := h.Keys
	keys.NoFlag = true // docker runs the helper without flags
	found, err := keys.Find()
	if err != nil {
		// The error about a key's text in $SHIPSEAL_KEY_PATH says itself
		// where the key goes.
		if errors.Is(err, projectkey.ErrNoKey) && !errors.Is(err, projectkey.ErrKeyNotPath) {
			return nil, fmt.Errorf("%w; set $%s (a key file) or $%s (the base64 key) in the environment docker runs in",
				err, projectkey.EnvKeyPath, projectkey.EnvKey)
		}
		return nil, err
	}
	return found.Key, nil
}

func (h *Helper) read() (*contents, error) {
	path, err := h.path()
	if err != nil {
		return nil, err
	}
	return read(path, h.key)
}

// Get returns the user name and password (or "<token>" and the identity
// token) stored for serverURL, matched as docker matches registries.
func (h *Helper) Get(serverURL string) (username, secret string, err error) {
	c, err := h.read()
	if err != nil {
		return "", "", err
	}
	e := c.cfg.Lookup(serverURL)
	if e == nil {
		return "", "", credentials.NewErrCredentialsNotFound()
	}
	return entryCredentials(e)
}

func entryCredentials(e *dockercfg.Entry) (username, secret string, err error) {
	if e.IdentityToken != "" {
		return tokenUsername, e.IdentityToken, nil
	}
	username, secret, err = e.Credentials()
	if err != nil || username == "" {
		// parse has rejected entries that do not decode; what is left
		// holds no user name (a registry token alone, say), which docker
		// cannot use from a helper.
		return "", "", credentials.NewErrCredentialsNotFound()
	}
	return username, secret, nil
}

// List returns every registry in the store, as written in it, with its
// user name.
func (h *Helper) List() (map[string]string, error) {
	c, err := h.read()
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(c.cfg.Auths))
	for i := range c.cfg.Auths {
		if user, _, err := entryCredentials(&c.cfg.Auths[i]); err == nil {
			out[c.cfg.Auths[i].Registry] = user
		}
	}
	return out, nil
}

// Add stores credentials, replacing those of the same registry. Every
// other part of the decrypted store stays as it was, byte for byte. A
// store that does not exist is created (format v2, mode 0600, its
// directory 0700); an existing one keeps its format version and mode.
func (h *Helper) Add(creds *credentials.Credentials) error {
	if creds.ServerURL == "" {
		return credentials.NewErrCredentialsMissingServerURL()
	}
	if creds.Username == "" {
		return credentials.NewErrCredentialsMissingUsername()
	}
	if err := dockercfg.CheckRegistry(creds.ServerURL); err != nil {
		return fmt.Errorf("cannot store credentials: %w", err)
	}
	if creds.Secret == "" {
		return fmt.Errorf("refusing to store an empty password for %s: registries refuse one", creds.ServerURL)
	}
	if creds.Username != tokenUsername && strings.Contains(creds.Username, ":") {
		return fmt.Errorf("cannot store the user name for %s: docker's auth field cannot hold a user name with a colon", creds.ServerURL)
	}
	return h.update(true, creds.ServerURL, func(c *contents) ([]byte, error) {
		entry := dockercfg.AuthConfig{Auth: dockercfg.EncodeAuth(creds.Username, creds.Secret)}
		if creds.Username == tokenUsername {
			entry = dockercfg.AuthConfig{IdentityToken: creds.Secret}
		}
		if old := c.cfg.Lookup(creds.ServerURL); old != nil {
			entry.Email = old.Email // a legacy .dockercfg keeps one beside auth
		}
		return setEntry(c, creds.ServerURL, marshal(entry))
	}, func(cfg *dockercfg.Config) error {
		e := cfg.Lookup(creds.ServerURL)
		if e == nil {
			return errors.New("the registry is not in the result")
		}
		if user, secret, err := entryCredentials(e); err != nil || user != creds.Username || secret != creds.Secret {
			return errors.New("the result does not give back the stored credentials")
		}
		return nil
	})
}

// Delete removes the credentials of serverURL. Deleting a registry that
// is not stored is credentials.NewErrCredentialsNotFound().
func (h *Helper) Delete(serverURL string) error {
	return h.update(false, serverURL, func(c *contents) ([]byte, error) {
		if c.cfg.Lookup(serverURL) == nil {
			return nil, credentials.NewErrCredentialsNotFound()
		}
		return deleteEntries(c, serverURL)
	}, func(cfg *dockercfg.Config) error {
		if cfg.Lookup(serverURL) != nil {
			return errors.New("the registry is still in the result")
		}
		return nil
	})
}

// update rewrites the store under a lock: edit returns the new plaintext,
// and check verifies the parsed result before it replaces the store. Every
// registry that edit was not meant to touch must come out unchanged.
// With create, a store that does not exist is created.
func (h *Helper) update(create bool, registry string, edit func(*contents) ([]byte, error), check func(*dockercfg.Config) error) error {
	path, err := h.path()
	if err != nil {
		return err
	}
	// The lock is on the directory of the file the rename replaces: a
	// store reached through a symbolic link must take the same lock as
	// the same store named directly.
	real, err := realPath(path, maxLinks)
	if err != nil {
		return accessError("lock", path, err)
	}
	unlock, err := lock(real, create)
	if err != nil {
		return err
	}
	defer unlock()
	c, err := read(path, h.key)
	if err != nil {
		return err
	}
	plain, err := edit(c)
	if err != nil {
		return err
	}
	if c.key == nil { // a new store
		if c.key, err = h.key(); err != nil {
			return fmt.Errorf("cannot create the credential store %s: %w", path, err)
		}
	}
	cfg, err := parse(plain, c.key)
	if err != nil {
		return fmt.Errorf("cannot change the credentials of %s: the store would not be a valid dockercfg: %w", registry, err)
	}
	if err := check(cfg); err != nil {
		return fmt.Errorf("internal error: editing the credentials of %s in %s: %w; the store is unchanged, please report this", registry, path, err)
	}
	if !sameOthers(c.cfg, cfg, registry) {
		return fmt.Errorf("internal error: editing the credentials of %s in %s changed other registries; the store is unchanged, please report this", registry, path)
	}
	if c.exists && bytes.Equal(plain, c.plain) {
		// Nothing changed (the same docker login again): encrypting anew
		// would change every byte (a new IV), and git would show a
		// committed store modified for nothing.
		return nil
	}
	return c.write(plain)
}

// setEntry returns the store's plaintext with entry (compact JSON) as the
// value of registry: in place of the entry docker would use for it, or
// appended under the registry's name as given.
func setEntry(c *contents, registry string, entry []byte) ([]byte, error) {
	plain := c.plain
	if !c.exists || len(trimJSONSpace(plain)) == 0 {
		plain = newStore
	}
	root, regs, err := registries(plain, c.cfg.Format)
	if err != nil {
		return nil, err
	}
	if regs == nil { // a config.json without "auths"
		auths := []byte("{" + string(marshal(registry)) + ":" + string(entry) + "}")
		if i := root.last("auths"); i >= 0 {
			return replaceValue(plain, root, i, auths), nil // "auths": null
		}
		return appendMember(plain, root, "auths", auths), nil
	}
	key := dockercfg.Normalize(registry)
	for i := len(regs.members) - 1; i >= 0; i-- {
		if dockercfg.Normalize(regs.members[i].key) == key {
			return replaceValue(plain, regs, i, entry), nil
		}
	}
	return appendMember(plain, regs, registry, entry), nil
}

// deleteEntries returns the store's plaintext without any entry that
// docker would use for registry.
func deleteEntries(c *contents, registry string) ([]byte, error) {
	plain := c.plain
	key := dockercfg.Normalize(registry)
	for {
		_, regs, err := registries(plain, c.cfg.Format)
		if err != nil || regs == nil {
			return plain, err
		}
		i := len(regs.members) - 1
		for i >= 0 && dockercfg.Normalize(regs.members[i].key) != key {
			i--
		}
		if i < 0 {
			return plain, nil
		}
		plain = removeMember(plain, regs, i)
	}
}

// sameOthers reports whether every registry but registry has the same
// name and credentials, in the same order, before and after an edit.
func sameOthers(before, after *dockercfg.Config, registry string) bool {
	key := dockercfg.Normalize(registry)
	others := func(cfg *dockercfg.Config) []dockercfg.Entry {
		var out []dockercfg.Entry
		for _, e := range cfg.Auths {
			if e.Key != key {
				out = append(out, e)
			}
		}
		return out
	}
	return reflect.DeepEqual(others(before), others(after)) &&
		before.CredsStore == after.CredsStore &&
		reflect.DeepEqual(before.CredHelpers, after.CredHelpers) &&
		reflect.DeepEqual(before.Extra, after.Extra)
}
