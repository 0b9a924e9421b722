package dockercfg

// Diagnostic codes. They are stable: scripts and --allow rules match on
// them, and docs/dockercfg.md explains each with an example and a fix.
const (
	CodeSyntax           = "DC001" // not valid JSON
	CodeTrailingData     = "DC002" // something follows the top-level value
	CodeNotText          = "DC003" // binary, or (decrypted) not JSON at all: wrong key?
	CodeEmpty            = "DC004" // empty file
	CodeBOM              = "DC005" // UTF-8 byte order mark
	CodeUTF16            = "DC006" // UTF-16 text
	CodeTopNotObject     = "DC007" // top level is not an object
	CodeAuthsNotObject   = "DC008" // "auths" is not an object
	CodeEntryNotObject   = "DC009" // a registry entry is not an object
	CodeUnknownFormat    = "DC010" // neither config.json nor legacy .dockercfg
	CodeAuthNotBase64    = "DC011" // "auth" is not base64
	CodeAuthNoColon      = "DC012" // "auth" does not decode to user:password
	CodeEmptyCredential  = "DC013" // empty user name or password
	CodeAuthMismatch     = "DC014" // "auth" disagrees with "username"/"password"
	CodeNoCredential     = "DC015" // an entry without any credential
	CodeHelperHeld       = "DC016" // credentials live in a credential helper, not in the file
	CodeDuplicateReg     = "DC017" // a registry twice, literally or after normalisation
	CodeDuplicateKey     = "DC018" // a JSON key twice in one object
	CodeBadRegistryKey   = "DC019" // a registry key that is not a host or URL
	CodeUnknownField     = "DC020" // a field docker does not know (warning)
	CodeWrongType        = "DC021" // a known field with a value of the wrong type
	CodeHelperSet        = "DC022" // credsStore/credHelpers set beside inline credentials (warning)
	CodeNoCredentials    = "DC023" // the file holds no registry at all
	CodeFieldCase        = "DC024" // a field spelled in another case than docker's (warning)
	CodeRegistryUserinfo = "DC025" // a registry key with a user name (and password) before its host
)

// Codes lists every diagnostic code with a short title, in order.
var Codes = []struct{ Code, Title string }{
	{CodeSyntax, "syntax error"},
	{CodeTrailingData, "data after the top-level value"},
	{CodeNotText, "not text, or decrypted content that is not JSON (wrong key?)"},
	{CodeEmpty, "empty file"},
	{CodeBOM, "UTF-8 byte order mark"},
	{CodeUTF16, "UTF-16 text"},
	{CodeTopNotObject, "top level is not an object"},
	{CodeAuthsNotObject, "auths is not an object"},
	{CodeEntryNotObject, "registry entry is not an object"},
	{CodeUnknownFormat, "unknown format"},
	{CodeAuthNotBase64, "auth is not base64"},
	{CodeAuthNoColon, "auth has no colon"},
	{CodeEmptyCredential, "empty user name or password"},
	{CodeAuthMismatch, "auth disagrees with username/password"},
	{CodeNoCredential, "entry without a credential"},
	{CodeHelperHeld, "credentials held by a credential helper"},
	{CodeDuplicateReg, "duplicate registry"},
	{CodeDuplicateKey, "duplicate JSON key"},
	{CodeBadRegistryKey, "registry key is not a host or URL"},
	{CodeUnknownField, "unknown field"},
	{CodeWrongType, "field of the wrong type"},
	{CodeHelperSet, "credential helper configured beside inline credentials"},
	{CodeNoCredentials, "no registry credentials"},
	{CodeFieldCase, "field name in another case than docker's"},
	{CodeRegistryUserinfo, "user name and password in a registry key"},
}
