// Package precommit decides whether files are fit to commit: it validates
// encrypted files (in memory, with the project key when there is one),
// plaintext dockercfg and env files, and applies the hygiene rules that
// stop a secret from leaking into git — a staged key, a plaintext
// dockercfg holding real credentials, a plaintext env file holding a
// password or a token, the plaintext twin of an encrypted file, a
// .gitignore that does not cover codeship.aes.
//
// It also finds the files to check in a git repository (the staged ones,
// read from the index, or every tracked one) and installs shipseal's plain
// git pre-commit hook. The shipseal check and shipseal hook commands are
// thin wrappers around it; docs/pre-commit.md describes the rules.
package precommit
