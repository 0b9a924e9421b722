package precommit

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/envfile"
	"github.com/shipseal/shipseal/internal/shellquote"
)

// Rule CK006 finds secrets in a plaintext env file: a variable whose name
// says it holds a secret (DB_PASSWORD, GITHUB_TOKEN, STRIPE_API_KEY) with a
// value that is not a placeholder, or any variable whose value has the
// shape of a known credential (an AWS access key id, a GitHub or Slack
// token, a private key, a URL with a password). Only files named as env
// files get it: every file of a project is checked, and shell scripts,
// .properties and INI files are NAME=value lines too, but finding secrets
// in any file is a secret scanner's job, not a check of env files.

// envSecrets returns a CK006 diagnostic for each variable of the env file
// data that holds a secret. f is data as validation parsed it, in the
// file's dialect (validate.PlainEnv), or nil when the parser refused it
// (its errors are reported already): data is then read line by line,
// leniently, so that a syntax error elsewhere does not hide a password.
// src is the file's source, for positions. encrypted is the name that
// the hints give the encrypted file (see encryptedName).
//
// A value that holds the project key (project, which may be nil) is left
// to rule CK001, which says what it is: the project key, not "a key".
func envSecrets(name, encrypted string, data []byte, f *envfile.File, src *diag.Source, project *keyNeedles) []diag.Diagnostic {
	if templateName(name) {
		return nil
	}
	var entries []envfile.Entry
	if f != nil {
		entries = f.Entries
	} else {
		entries = scanEnv(data)
	}
	var out []diag.Diagnostic
	for _, e := range entries {
		if e.Inherit || project != nil && strings.Contains(e.Value, string(project.text)) {
			continue
		}
		what := envSecretKind(e.Name, e.Value)
		if what == "" {
			continue
		}
		pos := diag.Position{}
		if src != nil {
			pos = src.Position(nameOffset(src, data, e))
		}
		out = append(out, diag.Errorf(CodePlainEnvSecret, pos,
			fmt.Sprintf("commit the encrypted file only: shipseal encrypt %s %s, then git rm --cached %[1]s and add it to .gitignore; "+
				"if it was ever pushed, change the secret (an example with placeholder values belongs in .env.example)",
				shellquote.Quote(name), shellquote.Quote(encrypted)),
			"%s holds %s in plaintext: anyone who can read the repository can use it", shownVariable(e.Name), diag.Phrase(what)))
	}
	return out
}

// templateWords name a file as a template of an env file, with
// placeholders where the secrets go: .env.example, .env.sample,
// env.template, prod.env.dist, example.env.
var templateWords = map[string]bool{
	"example": true, "examples": true, "sample": true, "samples": true,
	"template": true, "tmpl": true, "tpl": true, "dist": true,
}

func templateName(name string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(path.Base(name)), func(r rune) bool {
		return r == '.' || r == '-' || r == '_'
	}) {
		if templateWords[w] {
			return true
		}
	}
	return false
}

// scanEnv reads NAME=value lines without a dialect's rules: an optional
// "export ", surrounding whitespace and line ends dropped, and lines that
// are not assignments skipped.
func scanEnv(data []byte) []envfile.Entry {
	var out []envfile.Entry
	for n, line := range bytes.Split(data, []byte("\n")) {
		t := string(line)
		if n == 0 {
			t = strings.TrimPrefix(t, "\ufeff")
		}
		t = strings.TrimSpace(t)
		if t == "" || t[0] == '#' {
			continue
		}
		if rest, ok := strings.CutPrefix(t, "export"); ok && rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
			t = strings.TrimSpace(rest)
		}
		k, v, ok := strings.Cut(t, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" || strings.ContainsAny(k, " \t") {
			continue
		}
		out = append(out, envfile.Entry{Name: k, Value: v, Line: n + 1})
	}
	return out
}

// nameOffset returns the offset of e's name on its line (after any
// indentation or "export "), or of the line when the name is not there.
func nameOffset(src *diag.Source, data []byte, e envfile.Entry) int {
	start := src.LineStart(e.Line)
	end := len(data)
	if i := bytes.IndexByte(data[start:], '\n'); i >= 0 {
		end = start + i
	}
	line := data[start:end]
	// Skip "export" when it is the keyword, not the name.
	from := 0
	if t := bytes.TrimLeft(line, " \t\ufeff"); bytes.HasPrefix(t, []byte("export")) && e.Name != "export" {
		from = len(line) - len(t) + len("export")
	}
	if i := bytes.Index(line[from:], []byte(e.Name)); i >= 0 {
		return start + from + i
	}
	return start
}

// shownVariable is a variable's name as a message shows it: names are not
// secrets, but text that only sits where a name goes might be. A name is
// quoted from the file (masked like any quote); "a variable" is
// shipseal's own words.
func shownVariable(name string) any {
	if len(name) > 64 {
		return diag.Phrase("a variable")
	}
	for _, r := range name {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.') {
			return diag.Phrase("a variable")
		}
	}
	return name
}

// envSecretKind says what secret the variable name=value holds ("a
// password", "a GitHub token"), or "" when it holds none: its value is a
// placeholder or a reference, or neither its name nor its value's shape
// says it is a secret.
func envSecretKind(name, value string) string {
	v := bareValue(value)
	if envPlaceholder(v) {
		return ""
	}
	if what := secretShape(v); what != "" {
		return what
	}
	return secretByName(name, v)
}

// bareValue is a value without surrounding whitespace and quotes, and
// without a comment after it: the docker dialect keeps all of them, but
// whether a value is a secret does not depend on them.
func bareValue(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') {
		if i := strings.IndexByte(v[1:], v[0]); i >= 0 {
			return v[1 : 1+i]
		}
	}
	if i := strings.Index(v, " #"); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	return v
}

// placeholderWords are values that stand for a secret without being one,
// compared in lower case without '-', '_' and spaces (change-me, NOT_SET).
var placeholderWords = map[string]bool{
	"changeme": true, "changeit": true, "replaceme": true, "fixme": true, "todo": true, "tbd": true,
	"password": true, "passwd": true, "pass": true, "secret": true, "token": true, "apikey": true,
	"example": true, "sample": true, "dummy": true, "fake": true, "placeholder": true, "redacted": true,
	"test": true, "testing": true, "foo": true, "bar": true, "foobar": true,
	"none": true, "null": true, "nil": true, "undefined": true, "empty": true, "notset": true, "unset": true,
	"true": true, "false": true, "yes": true, "no": true, "on": true, "off": true,
}

// envPlaceholder is true for a value that is no secret: empty; a mask
// (xxxx, ****, ...); a word from placeholderWords; "your-api-key",
// "token-goes-here"; a reference to a secret kept elsewhere ($VAR, ${VAR},
// $(command), {{ .Values.x }}, <password>, 1Password's op://, an AWS ARN,
// vault:); a value encrypted in place (dotenvx's encrypted:, sops' ENC[).
func envPlaceholder(v string) bool {
	lower := strings.ToLower(v)
	switch {
	case strings.Trim(v, "xX*.•#-_ ") == "":
		return true
	case reference(v):
		return true
	case strings.HasPrefix(v, "<") && strings.HasSuffix(v, ">"),
		strings.HasPrefix(v, "{{") && strings.HasSuffix(v, "}}"):
		return true
	case strings.HasPrefix(lower, "op://"), strings.HasPrefix(lower, "arn:"), strings.HasPrefix(lower, "vault:"),
		strings.HasPrefix(lower, "encrypted:"), strings.HasPrefix(v, "ENC["):
		return true
	case len(lower) > 5 && strings.HasPrefix(lower, "your") && strings.ContainsRune("-_ .", rune(lower[4])),
		len(lower) > 5 && strings.HasSuffix(lower, "here") && strings.ContainsRune("-_ .", rune(lower[len(lower)-5])):
		return true
	}
	return placeholderWord(lower)
}

// placeholderWord looks a lower-case value up in placeholderWords, without
// its '-', '_' and spaces.
func placeholderWord(lower string) bool {
	var b [16]byte
	n := 0
	for i := 0; i < len(lower); i++ {
		switch c := lower[i]; {
		case c == '-' || c == '_' || c == ' ':
		case n == len(b):
			return false // longer than any of the words
		default:
			b[n] = c
			n++
		}
	}
	return placeholderWords[string(b[:n])]
}

// reference is true for $NAME, ${...} and $(...) as the whole value.
func reference(v string) bool {
	rest, ok := strings.CutPrefix(v, "$")
	switch {
	case !ok || rest == "":
		return false
	case rest[0] == '{':
		return strings.HasSuffix(rest, "}")
	case rest[0] == '(':
		return strings.HasSuffix(rest, ")")
	}
	for i, r := range rest {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

type secretPattern struct {
	what string
	re   *regexp.Regexp
}

// secretPatterns are the shapes of credentials that are secrets whatever
// the variable is called. They are compiled on first use.
var secretPatterns = sync.OnceValue(func() []secretPattern {
	return []secretPattern{
		{"a private key", regexp.MustCompile(`-----BEGIN[A-Z0-9 ]* PRIVATE KEY(?: BLOCK)?-----`)},
		{"an AWS access key id", regexp.MustCompile(`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`)},
		{"a GitHub token", regexp.MustCompile(`\b(?:gh[pousr]_[0-9A-Za-z]{36,}|github_pat_[0-9A-Za-z_]{22,})`)},
		{"a Slack token", regexp.MustCompile(`\bxox[abeoprs]-[0-9A-Za-z-]{10,}`)},
	}
})

// urlPassword finds scheme://user:password@ and gives the password.
var urlPassword = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\b[A-Za-z][A-Za-z0-9+.-]*://[^\s/:@]*:([^\s/@]+)@`)
})

// secretShape says which known credential v holds, or "".
func secretShape(v string) string {
	for _, p := range secretPatterns() {
		if p.re.MatchString(v) {
			return p.what
		}
	}
	if strings.Contains(v, "://") {
		if m := urlPassword().FindStringSubmatch(v); m != nil && !envPlaceholder(m[1]) {
			return "a URL with a password"
		}
	}
	return ""
}

// metaWords end the name of a variable that is about a secret rather
// than the secret itself: PASSWORD_FILE=/run/secrets/db, TOKEN_URL,
// TOKEN_TTL, SECRET_NAME, AWS_ACCESS_KEY_ID.
var metaWords = map[string]bool{
	"ID": true, "IDS": true, "NAME": true, "FILE": true, "PATH": true, "DIR": true, "LOCATION": true,
	"URL": true, "URI": true, "ENDPOINT": true, "HOST": true, "PORT": true, "ISSUER": true, "AUDIENCE": true,
	"SCOPE": true, "SCOPES": true, "HEADER": true, "PARAM": true, "FIELD": true, "PREFIX": true, "SUFFIX": true,
	"TTL": true, "EXPIRY": true, "EXPIRES": true, "EXPIRE": true, "EXPIRATION": true, "LIFETIME": true, "TIMEOUT": true,
	"LENGTH": true, "LEN": true, "MIN": true, "MAX": true, "SIZE": true, "COUNT": true, "ROUNDS": true,
	"ENABLED": true, "DISABLED": true, "ENABLE": true, "DISABLE": true, "REQUIRED": true,
	"TYPE": true, "FORMAT": true, "ALGORITHM": true, "ALG": true, "POLICY": true, "VERSION": true, "REGION": true, "ARN": true,
}

// keyQualifiers make NAME_KEY a secret key whatever its value looks like:
// API_KEY, ACCESS_KEY, PRIVATE_KEY, APP_KEY (Laravel's).
var keyQualifiers = map[string]bool{
	"API": true, "ACCESS": true, "PRIVATE": true, "SECRET": true, "AUTH": true, "APP": true, "MASTER": true,
	"ENCRYPTION": true, "SIGNING": true, "CLIENT": true, "SERVICE": true, "ACCOUNT": true,
}

// secretByName says what secret a variable's name says it holds, given
// its (bare, non-placeholder) value v, or "".
func secretByName(name, v string) string {
	upper := strings.ToUpper(name)
	if upper == "PWD" || upper == "OLDPWD" {
		return "" // the shell's working directories
	}
	words := strings.FieldsFunc(upper, func(r rune) bool { return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') })
	if len(words) == 0 || len(words) > 1 && metaWords[words[len(words)-1]] {
		return ""
	}
	for _, w := range words {
		if w == "PUBLIC" || w == "PUBLISHABLE" || w == "PUB" {
			return "" // NEXT_PUBLIC_API_KEY, STRIPE_PUBLISHABLE_KEY: public by design
		}
	}
	for i, w := range words {
		switch {
		case endsWithWord(w, "PASSWORD", "PASSWD", "PASSPHRASE") || w == "PASS" || w == "PWD":
			return "a password"
		case endsWithWord(w, "SECRET"):
			return "a secret"
		case endsWithWord(w, "TOKEN"):
			return "a token"
		case endsWithWord(w, "APIKEY", "ACCESSKEY", "PRIVATEKEY"),
			(w == "KEY" || w == "KEYS") && i > 0 && keyQualifiers[words[i-1]]:
			return "a key"
		}
	}
	// Any other NAME_KEY may be a cache key, a sort key or an S3 object
	// key: only a value that looks random makes it a secret.
	if words[len(words)-1] == "KEY" && randomLooking(v) {
		return "a key"
	}
	return ""
}

// endsWithWord is true when w is one of words, or ends with one
// (DBPASSWORD, GITHUBTOKEN), or is its plural.
func endsWithWord(w string, words ...string) bool {
	w = strings.TrimSuffix(w, "S")
	for _, s := range words {
		if strings.HasSuffix(w, s) {
			return true
		}
	}
	return false
}

// randomLooking is true for a value that looks generated: at least 16
// characters, no spaces, letters and digits mixed, not a URL.
func randomLooking(v string) bool {
	if len(v) < 16 || strings.ContainsAny(v, " \t") || strings.Contains(v, "://") {
		return false
	}
	var letter, digit bool
	for _, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z':
			letter = true
		}
	}
	return letter && digit
}
