package precommit

// Codes of the hygiene rules. They are stable: --allow rules and pragmas
// match on them, and docs/pre-commit.md explains each with a fix. The
// validators' own codes (DCnnn, EVnnn, ENnnn) can be allowed the same way.
const (
	CodeKeyFile          = "CK001" // error: a project key file, by name or by content
	CodePlainCredentials = "CK002" // error: a plaintext dockercfg holding real credentials
	CodePlainTwin        = "CK003" // error: X beside X.encrypted
	CodeGitignore        = "CK004" // warning: .gitignore does not cover codeship.aes
	CodeNotEncrypted     = "CK005" // error: named as encrypted (X.encrypted) but plaintext
	CodePlainEnvSecret   = "CK006" // error: a plaintext env file holding a secret
	CodeLeftover         = "CK007" // warning: a temporary file of an interrupted shipseal run
)

// Codes lists every hygiene rule with a short title, in order.
var Codes = []struct{ Code, Title string }{
	{CodeKeyFile, "project key file"},
	{CodePlainCredentials, "plaintext docker credentials"},
	{CodePlainTwin, "plaintext twin of an encrypted file"},
	{CodeGitignore, ".gitignore does not cover codeship.aes"},
	{CodeNotEncrypted, "file named as encrypted holds plaintext"},
	{CodePlainEnvSecret, "plaintext env file holding a secret"},
	{CodeLeftover, "temporary file of an interrupted shipseal run"},
}
