// Package credhelper keeps Docker registry credentials in an encrypted
// dockercfg and serves them through Docker's credential-helper protocol;
// cmd/docker-credential-shipseal is Helper behind credentials.Serve.
//
// The store is an ordinary file encrypted with the project key (jet's v1
// or v2 format, see package crypto) holding a dockercfg in either form
// (config.json or legacy .dockercfg, see package dockercfg), so every
// shipseal command reads it too. Registries are matched leniently, whatever
// their scheme, path or letter case (dockercfg.Normalize).
//
// Storing and erasing change one registry and nothing else: the decrypted
// file is edited as text, so every other entry, field, key order and
// indentation stays byte for byte, and the result is parsed and checked
// before it replaces the store. The file keeps its format version and mode;
// the plaintext never touches the disk, since it is encrypted in memory
// into the atomic file that replaces the store. Writers take turns on a
// lock on the store's directory.
//
// See docs/credential-helper.md for setup and security notes.
package credhelper
