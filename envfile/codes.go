package envfile

// Diagnostic codes. They are stable: scripts and --allow rules match on
// them, and docs/envfile.md explains each with an example and a fix.
const (
	CodeNotUTF8       = "EV001" // error: bytes that are not UTF-8 (on decrypted input: wrong key?)
	CodeUTF16         = "EV002" // error: the file is UTF-16
	CodeBOM           = "EV003" // warning: UTF-8 byte order mark
	CodeNUL           = "EV004" // error: NUL byte
	CodeEmptyName     = "EV005" // error: =value with no name
	CodeNameSpace     = "EV006" // error: whitespace in a name
	CodeNotPortable   = "EV007" // warning: name outside [A-Za-z_][A-Za-z0-9_]*
	CodeExport        = "EV008" // error: "export " prefix in the docker dialect
	CodeQuotes        = "EV009" // warning: quotes that the docker dialect keeps
	CodeCR            = "EV010" // warning: carriage return inside a value
	CodeCRLF          = "EV011" // warning: Windows (CRLF) line ends
	CodeDuplicate     = "EV012" // warning: a name set twice; the earlier line is shadowed
	CodeValueOnly     = "EV013" // warning or error: a line that is only a value, or lines that continue a value
	CodeLineTooLong   = "EV014" // error: a line longer than docker reads
	CodeSpaceInValue  = "EV015" // warning: value starts or ends with whitespace the docker dialect keeps
	CodeInlineComment = "EV016" // warning: " #" in a docker value, kept as part of it
	CodeDollarDocker  = "EV017" // warning: ${VAR} in the docker dialect, kept literally
	CodeUnterminated  = "EV020" // error: quoted value without its closing quote
	CodeNameChar      = "EV021" // error: character that compose refuses in a name
	CodeBadTemplate   = "EV022" // error: malformed ${...}
	CodeRequired      = "EV023" // error: ${VAR:?msg} or ${VAR?msg} with VAR missing; a warning when VAR is the environment's
	CodeUnset         = "EV024" // warning: $VAR or ${VAR} with VAR not set, or not the file's
	CodeAfterQuote    = "EV025" // error: text after a closing quote
)
