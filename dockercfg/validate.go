package dockercfg

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/internal/shellquote"
)

// Options say how Validate reads its input.
type Options struct {
	// Decrypted is set when the data was just decrypted: content that
	// is not text or does not start like JSON then means the key is
	// probably wrong, and the diagnostic says so (WrongKey).
	Decrypted bool
	// KeyFingerprint names the key that decrypted the data.
	KeyFingerprint string
	// Path is the file the data was read from, as a command would name
	// it, for the commands that hints suggest (`shipseal dockercfg
	// inline PATH -o OUT` for DC016). Leave it empty when the data is no
	// plain file of its own: standard input, a variable, content
	// decrypted in memory.
	Path string
}

// Validate checks a docker credentials file and reports every problem it
// finds, with secrets masked. It returns the config when the file could be
// read as one, even if it has errors, and nil when it could not (syntax
// errors, wrong encoding, unknown format).
func Validate(name string, data []byte, opts Options) (*Config, *diag.Report) {
	src := diag.NewSource(name, data)
	v := &validator{
		data: data,
		opts: opts,
		src:  src,
		r:    &diag.Report{File: name, Kind: "dockercfg", Source: src},
	}
	// Secrets are found when the report is first printed or masked: a
	// valid file prints nothing, and finding the ~27,000 secrets of a
	// 1 MiB config would be most of its validation. They are marked by
	// their look, without trusting the document's structure (an excerpt
	// of a file that is not JSON must hide them too, and so must one of a
	// valid file whose keys are odd: {"a\"password": "…"} is a field
	// named a"password), then by the document's structure.
	src.FindSecretsLater(func() {
		src.AddPublicWords(publicWords...)
		maskLexically(src, data)
		if v.root != nil {
			v.markSecrets(v.root)
		}
	})
	cfg := v.run()
	// Report in file order; diagnostics about the whole file come first.
	sort.SliceStable(v.r.Diagnostics, func(i, j int) bool {
		return v.r.Diagnostics[i].Pos.Offset < v.r.Diagnostics[j].Pos.Offset
	})
	return cfg, v.r
}

type validator struct {
	data []byte
	opts Options
	src  *diag.Source
	r    *diag.Report
	cfg  *Config
	root *node // the document, when it is JSON
	buf  []byte
}

func (v *validator) pos(offset int) diag.Position { return v.src.Position(offset) }

func (v *validator) errorf(code string, offset int, hint, format string, args ...any) {
	v.r.Add(diag.Errorf(code, v.pos(offset), hint, format, args...))
}

func (v *validator) warnf(code string, offset int, hint, format string, args ...any) {
	v.r.Add(diag.Warnf(code, v.pos(offset), hint, format, args...))
}

// wrongKey reports content that a right key would not have decrypted to.
func (v *validator) wrongKey(offset int, what diag.Phrase) {
	key := diag.Phrase("the key")
	if v.opts.KeyFingerprint != "" {
		key = diag.Phrase("key " + v.opts.KeyFingerprint)
	}
	d := diag.Errorf(CodeNotText, v.pos(offset),
		"decrypt with the key this file was encrypted with; a wrong or truncated key decrypts to random bytes",
		"decrypted content %s: was it encrypted with %s? (wrong key?)", what, key)
	d.WrongKey = true
	v.r.Add(d)
}

func (v *validator) run() *Config {
	data := v.data
	if len(bytes.TrimSpace(data)) == 0 {
		what := "file is empty"
		if len(data) > 0 {
			what = "file holds only white space"
		}
		if v.opts.Decrypted {
			what = "decrypted content is empty"
		}
		v.r.Add(diag.Errorf(CodeEmpty, diag.Position{},
			"write one with `shipseal dockercfg create`, or copy a docker config.json", "%s", what))
		return nil
	}
	if kind := utf16Kind(data); kind != "" {
		// No position: an excerpt of UTF-16 would show secrets that the
		// masking, which reads UTF-8, cannot recognise.
		v.r.Add(diag.Errorf(CodeUTF16, diag.Position{},
			"re-save as UTF-8 without a byte order mark (PowerShell 7: `Out-File -Encoding utf8NoBOM`; or `iconv -f UTF-16 -t UTF-8`)",
			"file is %s text; docker reads only UTF-8", kind))
		return nil
	}
	start := 0
	if bytes.HasPrefix(data, utf8BOM) {
		v.errorf(CodeBOM, 0, "re-save as UTF-8 without a byte order mark (BOM)",
			"file starts with a UTF-8 byte order mark, which docker's JSON parser rejects")
		start = len(utf8BOM)
	}
	first := skipSpace(data, start)
	if first < len(data) && data[first] != '{' && data[first] != '[' {
		// Not JSON at all: an env file, YAML, random bytes. Masking by
		// field name cannot find the secrets in those, so excerpts hide
		// everything from the first character on.
		v.src.MarkSecret(first, len(data))
	}
	if at := firstNonText(data, start); at >= 0 {
		// The excerpt may show text before the bad byte: a document
		// followed by pasted env lines holds unquoted secrets.
		maskBareWords(v.src, data, start)
		what := diag.Phrase(fmt.Sprintf("is not text (byte 0x%02x at %s)", data[at], v.pos(at)))
		switch {
		case v.opts.Decrypted:
			v.wrongKey(at, what)
		case data[at] >= 0x80:
			v.errorf(CodeNotText, at, "re-save the file as UTF-8; if it is encrypted, validate it with its key",
				"file is not UTF-8 text (byte 0x%02x at %s; Latin-1 or another legacy encoding?)", data[at], v.pos(at))
		default:
			v.errorf(CodeNotText, at, "if the file is encrypted, validate it with its key",
				"file %s", what)
		}
		return nil
	}
	if v.opts.Decrypted && first < len(data) && data[first] != '{' && data[first] != '[' {
		v.wrongKey(first, diag.Phrase(fmt.Sprintf("does not start like JSON (%q at %s)", data[first], v.pos(first))))
		return nil
	}
	root, ok := parse(data, start)
	if !ok {
		maskBareWords(v.src, data, start)
		var raw json.RawMessage
		err := json.Unmarshal(data[start:], &raw)
		if err == nil {
			panic("dockercfg: internal error: the parser rejects JSON that encoding/json accepts")
		}
		v.syntaxError(start, err)
		return nil
	}
	v.root = root
	defer v.checkDuplicateKeys(root, registriesOf(root))
	if root.kind != kindObject {
		v.errorf(CodeTopNotObject, root.start, `a docker config is an object: {"auths": {"registry.example.com": {"auth": "…"}}}`,
			"top level is %s, not an object", root.kind)
		return nil
	}
	v.cfg = &Config{}
	switch {
	case isConfigJSON(root):
		v.cfg.Format = FormatConfigJSON
		v.configJSON(root)
	case isLegacy(root):
		v.cfg.Format = FormatLegacy
		v.entries(root)
	default:
		v.errorf(CodeUnknownFormat, root.start,
			`config.json holds {"auths": {REGISTRY: {...}}}; a legacy .dockercfg holds {REGISTRY: {"auth": "…", "email": "…"}}`,
			"unknown format: neither a config.json (no \"auths\", \"credsStore\" or \"credHelpers\") nor a legacy .dockercfg (not registries with credentials)")
		return nil
	}
	v.checkHelpers(root)
	return v.cfg
}

// syntaxError explains an encoding/json syntax error at its place in the
// file.
func (v *validator) syntaxError(start int, err error) {
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		v.errorf(CodeSyntax, start, "", "not valid JSON: %v", err)
		return
	}
	// Offset counts the bytes read, including the offending one.
	at := start + int(se.Offset) - 1
	msg := diag.Phrase(se.Error()) // encoding/json's words, and a character
	if strings.HasSuffix(string(msg), "unexpected end of JSON input") {
		v.errorf(CodeSyntax, len(v.data), "the file is cut short, or a closing brace, bracket or quote is missing",
			"unexpected end of JSON input")
		return
	}
	if !strings.HasSuffix(string(msg), "after top-level value") {
		hint := "fix the JSON syntax at this place"
		switch {
		case strings.Contains(string(msg), "in string literal"):
			hint = "a string must end on the line it starts; close the quote or escape the character"
		case strings.Contains(string(msg), "after object key:value pair"):
			hint = "separate fields with a comma"
		case strings.Contains(string(msg), "looking for beginning of object key string"):
			hint = "object keys are double-quoted strings, and the last field has no comma after it"
		case strings.Contains(string(msg), "looking for beginning of value"):
			hint = "a value is a double-quoted string, a number, true, false, null, an object or an array; the last item has no comma after it"
		}
		v.errorf(CodeSyntax, at, hint, "%s", msg)
		return
	}
	// Where does the first value end? Decode reads exactly one value.
	dec := json.NewDecoder(bytes.NewReader(v.data[start:]))
	var first json.RawMessage
	if err := dec.Decode(&first); err != nil {
		v.errorf(CodeTrailingData, at, "", "%s", msg)
		return
	}
	firstStart := skipSpace(v.data, start)
	end := start + int(dec.InputOffset()) - 1 // the value's last byte
	c := v.data[at]
	if !strings.ContainsRune("{[}],", rune(c)) {
		// Neither JSON nor a second document: text pasted after this
		// one (env lines, YAML), whose quoted values lexical masking
		// does not take for secrets.
		v.src.MarkSecret(at, len(v.data))
	}
	what := diag.Phrase("value")
	switch v.data[firstStart] {
	case '{':
		what = "object"
	case '[':
		what = "array"
	}
	hint := fmt.Sprintf("delete what follows the end of the document at %s", v.pos(end))
	switch c {
	case '{', '[':
		hint = `two JSON documents in one file? Keep one, or move the second one's registries into the first one's "auths"`
	case '}', ']':
		hint = "an extra closing brace: delete it, or look before it for a brace that closes an object too early"
	case ',':
		hint = fmt.Sprintf("the top-level %s ends too early: the brace at %s closes it, so what follows is outside; delete that brace", what, v.pos(end))
	}
	v.errorf(CodeTrailingData, at, hint,
		"%s: the JSON %s that starts at %s ends at %s, and %q follows at %s",
		msg, what, v.pos(firstStart), v.pos(end), c, v.pos(at))
}

// markSecrets marks the value of every secret field, wherever it is, and
// every string that is base64 of user:password.
func (v *validator) markSecrets(n *node) {
	switch n.kind {
	case kindObject:
		for im := range n.members {
			m := &n.members[im]
			v.markEscapedUserinfo(m.keyStart, m.key)
			if isSecretField(m.key) {
				switch m.val.kind {
				case kindString:
					// maskLexically marked the value of a key
					// written without escapes; the decoded value
					// differs only when it has escapes.
					if bytes.IndexByte(v.data[m.keyStart:stringEnd(v.data, m.keyStart)], '\\') >= 0 {
						v.src.MarkSecret(m.val.start+1, m.val.end-1)
					}
					if bytes.IndexByte(v.data[m.val.start:m.val.end], '\\') >= 0 {
						v.src.AddSecretValue(m.val.str)
					}
					// Messages may quote the password an auth
					// decodes to, whatever its bytes.
					if strings.EqualFold(m.key, "auth") {
						if _, pass, _ := DecodeAuth(m.val.str); pass != "" {
							v.src.AddSecretValue(pass)
						}
					}
				case kindNumber, kindBool:
					v.src.MarkSecret(m.val.start, m.val.end)
				}
			}
			v.markSecrets(&m.val)
		}
	case kindArray:
		for ie := range n.members {
			v.markSecrets(&n.members[ie].val)
		}
	case kindString:
		// maskLexically has seen the string as written; only an
		// escaped one can decode differently.
		if bytes.IndexByte(v.data[n.start:n.end], '\\') >= 0 && isBase64([]byte(n.str)) {
			addEncodedCredential(v.src, []byte(n.str), n.start+1, n.end-1, true)
		}
		v.markEscapedUserinfo(n.start, n.str)
	}
}

// markEscapedUserinfo marks the string at quote, which decodes to s, when
// s is a URL with a password in it ("https://robot:s3cret@…") written
// with escapes: maskLexically has marked the password of one written
// without them.
func (v *validator) markEscapedUserinfo(quote int, s string) {
	if strings.IndexByte(s, '@') < 0 {
		return
	}
	end := stringEnd(v.data, quote)
	if bytes.IndexByte(v.data[quote:end], '\\') < 0 {
		return
	}
	if start, stop, ok := passwordIn(s); ok {
		v.src.MarkSecret(quote+1, end-1)
		v.src.AddSecretValue(s[start:stop])
	}
}

// checkDuplicateKeys reports every key that an object holds twice:
// encoding/json, and so docker, silently keeps the last one.
// Duplicate registries in regs are reported by entries instead.
func (v *validator) checkDuplicateKeys(n, regs *node) {
	switch n.kind {
	case kindArray:
		for ie := range n.members {
			v.checkDuplicateKeys(&n.members[ie].val, regs)
		}
	case kindObject:
		if len(n.members) > 1 && (regs == nil || n.start != regs.start) {
			for i, j := range duplicates(n.members) {
				v.errorf(CodeDuplicateKey, n.members[i].keyStart, "delete one of them; docker uses the last one",
					"key %q appears twice in this object, first at %s", RedactRegistry(n.members[i].key), v.pos(n.members[j].keyStart))
			}
		}
		for im := range n.members {
			m := &n.members[im]
			v.checkDuplicateKeys(&m.val, regs)
		}
	}
}

// duplicates yields, for each member whose key an earlier member has, its
// index and the earlier one's. Small objects (entries) are compared
// directly: a map for each of thousands of two-field entries costs more
// than the rest of validation.
func duplicates(members []member) iter.Seq2[int, int] {
	return func(yield func(int, int) bool) {
		if len(members) <= 8 {
			for i := 1; i < len(members); i++ {
				for j := i - 1; j >= 0; j-- {
					if members[j].key == members[i].key {
						if !yield(i, j) {
							return
						}
						break
					}
				}
			}
			return
		}
		seen := make(map[string]int, len(members))
		for i, m := range members {
			if j, ok := seen[m.key]; ok && !yield(i, j) {
				return
			}
			seen[m.key] = i
		}
	}
}

// configKnown are the top-level fields of docker's config.json besides
// auths, credsStore and credHelpers, with the type docker decodes them
// into. shipseal keeps them as they are, but a value of another type makes
// docker fail to read the whole file.
var configKnown = map[string]valueType{
	"HttpHeaders": typeStringMap, "psFormat": typeString, "imagesFormat": typeString,
	"networksFormat": typeString, "pluginsFormat": typeString, "volumesFormat": typeString,
	"statsFormat": typeString, "detachKeys": typeString, "serviceInspectFormat": typeString,
	"servicesFormat": typeString, "tasksFormat": typeString, "secretFormat": typeString,
	"configFormat": typeString, "nodesFormat": typeString, "pruneFilters": typeStringArray,
	"proxies": typeObjectMap, "currentContext": typeString, "cliPluginsExtraDirs": typeStringArray,
	"plugins": typeObjectMap, "aliases": typeStringMap, "features": typeStringMap,
}

// publicWords are the words of the format: field names and JSON's
// literals. A password that is one of them is masked where it stands, not
// wherever the field name shows.
var publicWords = func() []string {
	words := append([]string{"auths", "credsStore", "credHelpers", "true", "false", "null"}, entryFields[:]...)
	for f := range configKnown {
		words = append(words, f)
	}
	return words
}()

type valueType int

const (
	typeString valueType = iota
	typeStringMap
	typeStringArray
	typeObjectMap // an object of objects of strings
)

func (t valueType) String() string {
	switch t {
	case typeString:
		return "a string"
	case typeStringMap:
		return "an object of strings"
	case typeStringArray:
		return "an array of strings"
	}
	return "an object of objects"
}

// typeOK reports whether n decodes into t the way encoding/json does (null
// decodes into anything), and where it does not.
func typeOK(n *node, t valueType) (int, bool) {
	if n.kind == kindNull {
		return 0, true
	}
	switch t {
	case typeString:
		return n.start, n.kind == kindString
	case typeStringArray:
		if n.kind != kindArray {
			return n.start, false
		}
		for ie := range n.members {
			if at, ok := typeOK(&n.members[ie].val, typeString); !ok {
				return at, false
			}
		}
	case typeStringMap, typeObjectMap:
		if n.kind != kindObject {
			return n.start, false
		}
		inner := typeString
		if t == typeObjectMap {
			inner = typeStringMap
		}
		for im := range n.members {
			m := &n.members[im]
			if at, ok := typeOK(&m.val, inner); !ok {
				return at, false
			}
		}
	}
	return 0, true
}

// canonicalField returns the spelling in names that name matches as
// encoding/json matches struct fields (exactly, else ignoring case), or "".
func canonicalField(name string, names ...string) string {
	for _, n := range names {
		if n == name {
			return n
		}
	}
	for _, n := range names {
		if strings.EqualFold(n, name) {
			return n
		}
	}
	return ""
}

// registriesOf returns the object whose keys are registries: "auths" in a
// config.json, the top level of a legacy file, or nil.
func registriesOf(root *node) *node {
	if root.kind != kindObject {
		return nil
	}
	if isConfigJSON(root) {
		for i := len(root.members) - 1; i >= 0; i-- {
			if m := &root.members[i]; canonicalField(m.key, "auths") != "" && m.val.kind == kindObject {
				return &m.val
			}
		}
		return nil
	}
	return root
}

func isConfigJSON(root *node) bool {
	if len(root.members) == 0 {
		return true
	}
	for im := range root.members {
		m := &root.members[im]
		if canonicalField(m.key, "auths", "credsStore", "credHelpers") != "" {
			return true
		}
		if _, ok := configKnown[m.key]; ok {
			return true
		}
	}
	return false
}

// isLegacy is true for {REGISTRY: {...}, ...}: every key looks like a
// registry, or some entries hold credential fields.
func isLegacy(root *node) bool {
	hosts, creds := 0, 0
	for im := range root.members {
		m := &root.members[im]
		if registryKeyProblem(m.key) == "" && (strings.ContainsAny(m.key, ".:") || strings.HasPrefix(m.key, "localhost")) {
			hosts++
		}
		if m.val.kind != kindObject {
			continue
		}
		for k := range m.val.members {
			if canonicalField(m.val.members[k].key, entryFields[:]...) != "" {
				creds++
				break
			}
		}
	}
	return hosts == len(root.members) || creds > 0
}

func (v *validator) configJSON(root *node) {
	var auths *member
	seen := map[string]int{}
	for i := range root.members {
		m := &root.members[i]
		name := canonicalField(m.key, "auths", "credsStore", "credHelpers")
		if name == "" {
			if t, ok := configKnown[m.key]; ok {
				if at, ok := typeOK(&m.val, t); !ok {
					v.errorf(CodeWrongType, at, "docker fails to read a config whose fields have the wrong type",
						"%q must be %s", RedactRegistry(m.key), t)
				}
			} else {
				v.warnf(CodeUnknownField, m.keyStart, "docker ignores it; delete it if it is a typo",
					"unknown top-level field %q", RedactRegistry(m.key))
			}
			v.cfg.Extra = append(v.cfg.Extra, Field{Name: m.key, Value: json.RawMessage(v.data[m.val.start:m.val.end])})
			continue
		}
		if name != m.key {
			v.warnf(CodeFieldCase, m.keyStart, fmt.Sprintf("write %q", name),
				"field %q is spelled %q by docker (docker accepts it, other tools may not)", RedactRegistry(m.key), name)
		}
		if j, ok := seen[name]; ok && root.members[j].key != m.key {
			v.errorf(CodeDuplicateKey, m.keyStart, "delete one of them; docker merges or overwrites them",
				"field %q repeats %q (at %s): docker does not tell field names apart by case", RedactRegistry(m.key), root.members[j].key, v.pos(root.members[j].keyStart))
		}
		seen[name] = i
		switch name {
		case "auths":
			auths = m
		case "credsStore":
			if m.val.kind == kindString {
				v.cfg.CredsStore = m.val.str
			} else if m.val.kind != kindNull {
				v.errorf(CodeWrongType, m.val.start, `write the helper's name, e.g. "desktop" for docker-credential-desktop`,
					"credsStore must be a string, not %s", m.val.kind)
			}
		case "credHelpers":
			v.credHelpers(&m.val)
		}
	}
	if auths == nil || auths.val.kind == kindNull {
		return
	}
	if auths.val.kind != kindObject {
		v.errorf(CodeAuthsNotObject, auths.val.start, `write "auths": {"registry.example.com": {"auth": "…"}}`,
			"auths must be an object of registries, not %s", auths.val.kind)
		return
	}
	v.entries(&auths.val)
}

func (v *validator) credHelpers(n *node) {
	switch n.kind {
	case kindNull:
		return
	case kindObject:
	default:
		v.errorf(CodeWrongType, n.start, `write "credHelpers": {"registry.example.com": "helper-name"}`,
			"credHelpers must be an object, not %s", n.kind)
		return
	}
	v.cfg.CredHelpers = make(map[string]string, len(n.members))
	for im := range n.members {
		m := &n.members[im]
		if m.val.kind != kindString && m.val.kind != kindNull {
			v.errorf(CodeWrongType, m.val.start, `write the helper's name, e.g. "ecr-login" for docker-credential-ecr-login`,
				"credHelpers entry %q must be a string, not %s", RedactRegistry(m.key), m.val.kind)
			continue
		}
		v.cfg.CredHelpers[m.key] = m.val.str
	}
}

// entryFields are the fields of a registry entry, spelled as docker does.
var entryFields = [...]string{"auth", "username", "password", "email", "identitytoken", "registrytoken", "serveraddress"}

// Indexes into entryFields.
const (
	fieldAuth = iota
	fieldUsername
	fieldPassword
	fieldEmail
	fieldIdentityToken
	fieldRegistryToken
	fieldServerAddress
)

// entryField returns the index of the entry field that name matches as
// encoding/json matches struct fields (exactly, else ignoring case), or -1.
func entryField(name string) int {
	for i, f := range entryFields {
		if f == name {
			return i
		}
	}
	for i, f := range entryFields {
		if strings.EqualFold(f, name) {
			return i
		}
	}
	return -1
}

// entries reads the registries of obj: the value of "auths", or the top
// level of a legacy file.
func (v *validator) entries(obj *node) {
	byKey := make(map[string]int, len(obj.members))
	// byRegistry indexes v.cfg.Auths by the key as written. Only a key
	// that normalises like an earlier one can be in it already, so it is
	// made when the first such key comes.
	var byRegistry map[string]int
	v.cfg.Auths = make([]Entry, 0, len(obj.members))
	for i := range obj.members {
		m := &obj.members[i]
		e := Entry{Registry: m.key, Key: Normalize(m.key)}
		j, seen := byKey[e.Key]
		if _, at := userinfo(m.key); at >= 0 {
			v.userinfoKey(m)
		} else if problem := registryKeyProblem(m.key); problem != "" {
			v.errorf(CodeBadRegistryKey, m.keyStart, `write a host name, optionally with a port, scheme and path: "registry.example.com:5000" or "https://index.docker.io/v1/"`,
				"registry key %q is not a host name or URL: %s", RedactRegistry(m.key), problem)
		} else if seen && obj.members[j].key == m.key {
			v.errorf(CodeDuplicateReg, m.keyStart, "keep one entry per registry: docker uses the last one",
				"registry %q appears twice, first at %s", RedactRegistry(m.key), v.pos(obj.members[j].keyStart))
		} else if seen {
			v.errorf(CodeDuplicateReg, m.keyStart, "keep one entry per registry: docker picks one of them at random",
				"registry %q is the same registry as %q (at %s): both are %s", RedactRegistry(m.key), RedactRegistry(obj.members[j].key), v.pos(obj.members[j].keyStart), RedactKey(m.key, e.Key))
		}
		byKey[e.Key] = i
		switch m.val.kind {
		case kindObject:
		case kindNull:
			v.errorf(CodeEntryNotObject, m.val.start, `write {"auth": "…"}, or delete the registry`,
				"entry for %q is null, not an object with credentials", RedactRegistry(m.key))
			continue
		default:
			v.errorf(CodeEntryNotObject, m.val.start, `write {"auth": "…"}`,
				"entry for %q must be an object, not %s", RedactRegistry(m.key), m.val.kind)
			continue
		}
		e.AuthConfig = v.entry(m)
		if seen && byRegistry == nil {
			byRegistry = make(map[string]int, len(obj.members))
			for k := range v.cfg.Auths {
				byRegistry[v.cfg.Auths[k].Registry] = k
			}
		}
		if k, ok := byRegistry[m.key]; ok {
			v.cfg.Auths[k] = e // encoding/json keeps the last one
			continue
		}
		if byRegistry != nil {
			byRegistry[m.key] = len(v.cfg.Auths)
		}
		v.cfg.Auths = append(v.cfg.Auths, e)
	}
}

// userinfoKey reports a registry key that holds a user name, or a user
// name and password, before its host: "https://robot:s3cret@host:5000".
// Docker logs in with the entry's credentials, never with those. It looks
// a registry up by its key as written, then by each key's
// credentials.ConvertToHostname, which drops the user name and password
// from a URL: such a key then works, for any registry but Docker Hub
// (whose key docker looks up as written only). Without a scheme, or when
// net/url cannot read the URL, they stay part of the host name, and the
// key never matches.
func (v *validator) userinfoKey(m *member) {
	what := diag.Phrase(userinfoWhat(m.key))
	bare := withoutUserinfo(m.key)
	problem := registryKeyProblem(bare)
	host := hostOf(m.key)
	if problem == "" && host == hostOf(bare) && Normalize(m.key) != DockerHubKey {
		v.warnf(CodeRegistryUserinfo, m.keyStart,
			`write the key without them, as docker login does ("registry.example.com:5000"); the credentials belong in the entry's "auth"`,
			"registry key %q holds %s, which docker ignores: it matches the key by its host, %s, and logs in with the entry's credentials",
			RedactRegistry(m.key), what, RedactRegistry(host))
		return
	}
	v.errorf(CodeRegistryUserinfo, m.keyStart,
		`write the key as docker login does, a host name with its port ("registry.example.com:5000", or "https://index.docker.io/v1/" for Docker Hub); the credentials belong in the entry's "auth" (`+"`shipseal dockercfg create`"+` writes it)`,
		"registry key %q holds %s, so docker never matches it with a registry", RedactRegistry(m.key), what)
	if problem != "" {
		v.errorf(CodeBadRegistryKey, m.keyStart, `write a host name, optionally with a port, scheme and path: "registry.example.com:5000" or "https://index.docker.io/v1/"`,
			"registry key %q is not a host name or URL: %s", RedactRegistry(m.key), problem)
	}
}

// entry reads and checks the fields of one registry entry.
func (v *validator) entry(reg *member) AuthConfig {
	var a AuthConfig
	var fields [len(entryFields)]*member // the last of each
	wrongType := false
	for i := range reg.val.members {
		m := &reg.val.members[i]
		f := entryField(m.key)
		if f < 0 {
			v.warnf(CodeUnknownField, m.keyStart, "docker ignores it; delete it if it is a typo",
				"unknown field %q in the entry for %q", RedactRegistry(m.key), RedactRegistry(reg.key))
			continue
		}
		name := entryFields[f]
		if name != m.key {
			v.warnf(CodeFieldCase, m.keyStart, fmt.Sprintf("write %q", name),
				"field %q is spelled %q by docker (docker accepts it, other tools may not)", RedactRegistry(m.key), name)
		}
		if prev := fields[f]; prev != nil && prev.key != m.key {
			v.errorf(CodeDuplicateKey, m.keyStart, "delete one of them; docker uses the last one",
				"field %q repeats %q (at %s): docker does not tell field names apart by case", RedactRegistry(m.key), prev.key, v.pos(prev.keyStart))
		}
		fields[f] = m
		if m.val.kind != kindString && m.val.kind != kindNull {
			v.errorf(CodeWrongType, m.val.start, "docker fails to read a config whose fields have the wrong type; quote the value",
				"%q in the entry for %q must be a string, not %s", RedactRegistry(m.key), RedactRegistry(reg.key), m.val.kind)
			wrongType = true
			continue
		}
		s := m.val.str
		switch f {
		case fieldAuth:
			a.Auth = s
		case fieldUsername:
			a.Username = s
		case fieldPassword:
			a.Password = s
		case fieldEmail:
			a.Email = s
		case fieldIdentityToken:
			a.IdentityToken = s
		case fieldRegistryToken:
			a.RegistryToken = s
		case fieldServerAddress:
			a.ServerAddress = s
		}
	}
	if !wrongType {
		v.checkCredentials(reg, a, &fields)
	}
	return a
}

// decodeAuth is DecodeAuth of the value of the auth field m, without
// allocating: user and password are in v.buf until the next call.
func (v *validator) decodeAuth(m *member) (user, password []byte, err error) {
	raw := v.data[m.val.start+1 : m.val.end-1]
	if bytes.IndexByte(raw, '\\') >= 0 {
		raw = []byte(m.val.str)
	}
	n := base64.StdEncoding.DecodedLen(len(raw))
	v.buf = slices.Grow(v.buf[:0], n)[:n]
	n, err = base64.StdEncoding.Decode(v.buf, raw)
	if err != nil {
		return nil, nil, ErrAuthNotBase64
	}
	return splitAuth(v.buf[:n])
}

func (v *validator) checkCredentials(reg *member, a AuthConfig, fields *[len(entryFields)]*member) {
	at := func(f int) int {
		if m := fields[f]; m != nil {
			return m.val.start
		}
		return reg.keyStart
	}
	if a.Auth != "" {
		// The password is found as a secret with the others, if a
		// message needs masking (Validate).
		user, pass, err := v.decodeAuth(fields[fieldAuth])
		if errors.Is(err, ErrAuthEmptyPassword) && a.IdentityToken != "" {
			err = nil // as AuthConfig.Credentials
		}
		switch {
		case errors.Is(err, ErrAuthNotBase64):
			v.errorf(CodeAuthNotBase64, at(fieldAuth), "auth is base64 of user:password: `printf '%s' 'user:password' | base64 -w0`, or use `shipseal dockercfg create`",
				"auth of %q is not valid base64", RedactRegistry(reg.key))
		case errors.Is(err, ErrAuthNoColon):
			v.errorf(CodeAuthNoColon, at(fieldAuth), "auth is base64 of user:password, with a colon between them: encode both, not the password alone",
				"auth of %q does not decode to user:password (no colon)", RedactRegistry(reg.key))
		case errors.Is(err, ErrAuthEmptyUser):
			v.errorf(CodeEmptyCredential, at(fieldAuth), "encode user:password with both parts filled in",
				"auth of %q decodes to an empty user name", RedactRegistry(reg.key))
		case errors.Is(err, ErrAuthEmptyPassword):
			v.errorf(CodeEmptyCredential, at(fieldAuth), "encode user:password with both parts filled in; registries refuse an empty password",
				"auth of %q decodes to user %q with an empty password", RedactRegistry(reg.key), string(user))
		case err == nil:
			// A warning: docker decodes auth and overwrites username
			// and password with what it holds, so the file works.
			const hint = "delete username and password, or make them agree: other tools may read them instead of auth"
			if a.Username != "" && a.Username != string(user) {
				v.warnf(CodeAuthMismatch, at(fieldUsername), hint,
					"username %q of %q disagrees with the user %q in its auth; docker uses auth", a.Username, RedactRegistry(reg.key), string(user))
			}
			if a.Password != "" && a.Password != string(pass) {
				v.warnf(CodeAuthMismatch, at(fieldPassword), hint,
					"password of %q disagrees with the password in its auth; docker uses auth", RedactRegistry(reg.key))
			}
		}
		return
	}
	switch {
	case a.Username != "" && a.Password == "" && a.IdentityToken == "":
		v.errorf(CodeEmptyCredential, at(fieldUsername), `add "password", or write the credentials with `+"`shipseal dockercfg create`",
			"entry for %q has user %q but no password", RedactRegistry(reg.key), a.Username)
	case a.Password != "" && a.Username == "":
		v.errorf(CodeEmptyCredential, at(fieldPassword), `add "username"`,
			"entry for %q has a password but no user name", RedactRegistry(reg.key))
	case a.Empty():
		// Reported by checkHelpers when a helper holds these
		// credentials.
		if v.cfg.HelperFor(reg.key) == "" {
			v.errorf(CodeNoCredential, reg.keyStart, `add "auth" (base64 of user:password), or delete the registry`,
				"entry for %q holds no credential", RedactRegistry(reg.key))
		}
	}
}

// heldHint is DC016's hint for credentials that helper holds: the command
// that copies them into a file of their own, naming this file when it is
// one; for shipseal's own helper, the encrypted store that holds them
// already.
func (v *validator) heldHint(helper string) string {
	if helper == "shipseal" {
		return "docker-credential-shipseal keeps them in an encrypted dockercfg already, the file $SHIPSEAL_DOCKERCFG names " +
			"(by default shipseal/dockercfg.encrypted in your configuration directory; see docs/credential-helper.md): " +
			"have CI use that file (encrypted_dockercfg_path, or `shipseal generate --from-file`), not this one"
	}
	config, out := "~/.docker/config.json", "dockercfg.json"
	if v.opts.Path != "" {
		config = shellquote.Quote(v.opts.Path)
		if filepath.Clean(v.opts.Path) == out {
			out = "dockercfg.inline.json"
		}
	}
	return "the credentials are in the helper's store on the machine that ran `docker login`, so this file gives CI nothing: " +
		"there, run `shipseal dockercfg inline " + config + " -o " + out + "` to copy them into a file of their own, and encrypt that"
}

// helperReason says what docker does when a helper is named for a registry
// whose credentials the file holds too (docker/cli's configfile and
// credentials.nativeStore): it runs the helper, and where the helper is
// not installed, docker 28's pull ignores the error and uses the file's
// credentials, which GetAuthConfig returns beside it, while docker 29's
// RetrieveAuthTokenFromImage returns the error.
const helperReason = diag.Phrase(`where it is installed, docker asks it instead of this file (and sends no credentials if it has none); ` +
	`on CI it usually is not, and then docker 28 uses this file but docker 29 fails to pull ("error getting credentials")`)

// checkHelpers reports registries whose credentials a credential helper
// holds, and files without any credentials.
func (v *validator) checkHelpers(root *node) {
	cfg := v.cfg
	// The registries that the file lists, and those it holds credentials
	// for, by Normalize. Only a file that names a helper needs them.
	var listed, inline map[string]bool
	if cfg.CredsStore != "" || len(cfg.CredHelpers) > 0 {
		listed, inline = make(map[string]bool, len(cfg.Auths)), make(map[string]bool, len(cfg.Auths))
		for _, e := range cfg.Auths {
			listed[e.Key] = true
			if !e.Empty() {
				inline[e.Key] = true
			}
		}
	}
	obj := registriesOf(root)
	if obj != nil && (cfg.CredsStore != "" || len(cfg.CredHelpers) > 0) {
		for im := range obj.members {
			m := &obj.members[im]
			if m.val.kind != kindObject {
				continue
			}
			if h := v.cfg.HelperFor(m.key); h != "" && !inline[Normalize(m.key)] {
				v.errorf(CodeHelperHeld, m.keyStart, v.heldHint(h),
					"credentials for %q are held by credential helper %q (docker-credential-%s), not in this file", RedactRegistry(m.key), h, h)
			}
		}
	}
	helpers := root.get("credHelpers")
	if helpers != nil && helpers.val.kind == kindObject {
		for im := range helpers.val.members {
			m := &helpers.val.members[im]
			h := cfg.CredHelpers[m.key]
			if h == "" || listed[Normalize(m.key)] {
				if h != "" && inline[Normalize(m.key)] {
					v.warnf(CodeHelperSet, m.keyStart, `delete the credHelpers entry (or set it to "", which means this file) so that docker uses the credentials in this file wherever it runs`,
						"credHelpers sends %q to docker-credential-%s: %s", RedactRegistry(m.key), h, helperReason)
				}
				continue
			}
			v.errorf(CodeHelperHeld, m.keyStart, v.heldHint(h),
				"credentials for %q are held by credential helper %q (docker-credential-%s), not in this file", RedactRegistry(m.key), h, h)
		}
	}
	if store := root.get("credsStore"); store != nil && cfg.CredsStore != "" {
		// The registries with credentials in this file that docker asks
		// credsStore for: those without a credHelpers entry. An entry
		// of "" means this file, and one naming a helper is reported
		// above.
		var viaStore []string
		for _, e := range cfg.Auths {
			if _, ok := cfg.helperEntry(e.Registry); !ok && !e.Empty() {
				viaStore = append(viaStore, e.Registry)
			}
		}
		if len(viaStore) > 0 {
			list, args := registryList(viaStore)
			v.warnf(CodeHelperSet, store.keyStart, `delete "credsStore" so that docker uses the credentials in this file wherever it runs`,
				"credsStore sends "+list+" to docker-credential-%s: %s", append(args, cfg.CredsStore, helperReason)...)
		} else if len(cfg.Auths) == 0 {
			v.errorf(CodeHelperHeld, store.keyStart, v.heldHint(cfg.CredsStore),
				"credsStore %q (docker-credential-%s) holds all credentials; this file holds none", cfg.CredsStore, cfg.CredsStore)
		}
	}
	if len(cfg.Auths) == 0 && cfg.CredsStore == "" && len(cfg.CredHelpers) == 0 && v.r.Valid() {
		v.errorf(CodeNoCredentials, root.start, "add a registry with `shipseal dockercfg create --registry R --username U --password-stdin`",
			"file holds no registry credentials")
	}
}

// registryList is a format that quotes the first registries of names
// and counts the rest (`"a.io", "b.io", "c.io" and 2 more`), and its
// arguments: each registry is one, so that masking sees only what the
// file holds, never the words between.
func registryList(names []string) (string, []any) {
	const shown = 3
	var format strings.Builder
	var args []any
	for i, n := range names[:min(len(names), shown)] {
		switch {
		case i == 0:
		case i == len(names)-1:
			format.WriteString(" and ")
		default:
			format.WriteString(", ")
		}
		format.WriteString("%q")
		args = append(args, RedactRegistry(n))
	}
	if len(names) > shown {
		format.WriteString(" and %d more")
		args = append(args, len(names)-shown)
	}
	return format.String(), args
}
