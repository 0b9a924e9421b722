package precommit

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path"
	"strings"

	"github.com/shipseal/shipseal/atomicfile"
	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/dockercfg"
	"github.com/shipseal/shipseal/internal/shellquote"
	"github.com/shipseal/shipseal/projectkey"
	"github.com/shipseal/shipseal/validate"
)

// MaxSize is the largest file whose content Check looks at. Secret files
// are small; a larger file only gets the rules that need its name.
const MaxSize = 16 << 20

// Checker checks files before they are committed. The zero value checks
// without a key and without exceptions.
type Checker struct {
	// Validate configures validation. Its Key gives the project key, to
	// decrypt encrypted files and to look for the key itself in every
	// file; it is called once for the search, and again for each
	// encrypted or key-shaped file. A Key that returns projectkey.ErrNoKey
	// (or a nil Key) means encrypted content is not checked, and the
	// report says so. With its AutoDialect, every env file, encrypted or
	// not, is read in the dialect validate.DialectFromName gives its name;
	// the CK006 search reads it the same way.
	Validate validate.Options
	// Allow are the --allow exceptions.
	Allow []Allow
	// Exists says whether a file of the project exists (tracked, staged or
	// in the work tree); the plaintext twin rule asks it about the names
	// the encrypted file of X.ext may have (X.ext.encrypted, X.encrypted:
	// see encryptedNames). Nil means the work tree, relative to the
	// working directory.
	Exists func(name string) bool

	// The project key's text and bytes, to look for in every file;
	// looked up on first use.
	leakLooked bool
	leak       *keyNeedles
}

// twinSuffixes mark an encrypted file whose plaintext twin must not be
// committed beside it.
var twinSuffixes = []string{".encrypted", ".enc"}

// encryptedNames returns, in order, the names that the encrypted file of
// the plaintext name may have: name with a suffix (app.env.encrypted,
// app.env.enc), as shipseal names it, then name with its extension
// replaced by one (dockercfg.encrypted for dockercfg.json), as the README
// and jet's docs pair them. The extension is replaced only in a name with
// one dot, that of the extension, so that the last part of .env.local or
// app.env.local, which names a variant rather than a format, is not taken
// for one (.env.encrypted is not the encrypted .env.local); and not in a
// template's name (env.example beside env.encrypted is its example, as
// for CK006).
func encryptedNames(name string) []string {
	var names []string
	for _, s := range twinSuffixes {
		names = append(names, name+s)
	}
	base := path.Base(name)
	if stem := strings.TrimSuffix(base, path.Ext(base)); stem != "" && stem != base && !strings.Contains(stem, ".") && !templateName(name) {
		for _, s := range twinSuffixes {
			names = append(names, path.Join(path.Dir(name), stem+s))
		}
	}
	return names
}

// Check checks one file: name is its path (slash-separated, relative to
// the repository root), data its content, or nil when the file is larger
// than MaxSize. It returns nil when the file is none of shipseal's
// business: not a secret of a kind it knows, and no rule applies. The
// error is a key that could not be loaded (malformed, unreadable); a
// missing key is not an error.
//
// A Checker is not safe for concurrent use.
func (c *Checker) Check(name string, data []byte) (*diag.Report, error) {
	return c.finish(c.check(name, data))
}

// CheckLink checks a symbolic link, whose target is given: git commits the
// path the link points to, not the content there, so only the rules about
// a key in that text apply. Validation and the rules about names do not: a
// link named codeship.aes holds no key, and a link named X beside
// X.encrypted is not its plaintext.
func (c *Checker) CheckLink(name string, target []byte) (*diag.Report, error) {
	r, err := c.keyContent(name, target, false)
	if r == nil && err == nil {
		r = c.projectKeyIn(nil, name, target)
	}
	return c.finish(r, err)
}

// finish applies --strict and the exceptions to a report.
func (c *Checker) finish(r *diag.Report, err error) (*diag.Report, error) {
	if r == nil || err != nil {
		return nil, err
	}
	if c.Validate.Strict {
		r.Promote()
	}
	var p pragmas
	if r.Kind == string(validate.Env) && r.Source != nil {
		p = parsePragmas(r.Source.Data())
	}
	applyAllows(r, c.Allow, p)
	return r, nil
}

func (c *Checker) check(name string, data []byte) (*diag.Report, error) {
	if r, err := c.keyContent(name, data, true); r != nil || err != nil {
		return r, err
	}
	if atomicfile.IsTemp(name) && (data == nil || validate.IsEncrypted(data)) {
		// A killed run's staged file: junk, not a secret of the project
		// (a killed rekey's is encrypted with the new key, which the check
		// may not have). Plaintext in one (a killed decrypt's) is still
		// checked below.
		r := &diag.Report{File: name, Kind: string(validate.Unknown)}
		r.Add(leftoverDiag(name))
		return r, nil
	}
	r, err := c.checkContent(name, data)
	if err == nil && atomicfile.IsTemp(name) {
		if r == nil {
			r = &diag.Report{File: name, Kind: string(validate.Unknown)}
		}
		r.Diagnostics = append([]diag.Diagnostic{leftoverDiag(name)}, r.Diagnostics...)
	}
	return r, err
}

// leftoverDiag is rule CK007: a temporary file of an interrupted shipseal
// run (atomicfile.IsTemp), about to be committed.
func leftoverDiag(name string) diag.Diagnostic {
	return diag.Warnf(CodeLeftover, diag.Position{},
		fmt.Sprintf("delete it and keep it out of the commit: git rm -f -- %s (or rm -- %[1]s if git does not have it)", shellquote.Quote(name)),
		"%s is a leftover temporary file of an interrupted shipseal run, not a file of the project", diag.Phrase(path.Base(name)))
}

// checkContent applies the rules about names and content to a file that
// is not a key.
func (c *Checker) checkContent(name string, data []byte) (*diag.Report, error) {
	base := path.Base(name)
	twin := c.twinOf(name)
	if data == nil {
		if twin == "" {
			return nil, nil
		}
		r := &diag.Report{File: name, Kind: string(validate.Unknown)}
		r.Add(twinDiag(name, twin))
		return r, nil
	}
	var r *diag.Report
	switch {
	case validate.NamedEncrypted(name) || bytes.HasPrefix(bytes.TrimSpace(data), []byte("codeship:")):
		if validate.IsEncrypted(data) {
			var err error
			if r, err = validate.File(name, data, c.Validate); err != nil {
				return nil, err
			}
			return r, nil
		}
		r = c.plain(name, data, true, "")
		r.Diagnostics = append([]diag.Diagnostic{diag.Errorf(CodeNotEncrypted, diag.Position{},
			fmt.Sprintf("encrypt it (shipseal encrypt %s %s) and commit only the encrypted file",
				shellquote.Quote(path.Join(path.Dir(name), validate.BaseName(name))), shellquote.Quote(name)),
			"%s is named as an encrypted file but is not encrypted: its content would be committed in the clear", diag.Phrase(base))},
			r.Diagnostics...)
	default:
		r = c.plain(name, data, false, twin)
	}
	r = c.projectKeyIn(r, name, data)
	if twin != "" {
		if r == nil {
			r = &diag.Report{File: name, Kind: string(validate.Unknown)}
		}
		r.Diagnostics = append([]diag.Diagnostic{twinDiag(name, twin)}, r.Diagnostics...)
	}
	return r, nil
}

// plain validates plaintext by validate's rule, with check's own rules on
// top: a file that validate recognises by its name as a dockercfg or an
// env file (see metKind), or JSON with docker's shape (dockercfg.Shaped)
// that holds real credentials (CK002), whatever its name; other files
// give nil. always is for a file named as encrypted (CK005), which is
// validated as validate validates it, by validate.DetectKind. twin is the
// encrypted file of name, if there is one (see twinOf).
func (c *Checker) plain(name string, data []byte, always bool, twin string) *diag.Report {
	kind := c.Validate.Kind
	switch {
	case kind != validate.Auto:
	case always:
		kind = validate.DetectKind(name, data)
	default:
		kind = metKind(name, data)
	}
	var cfg *dockercfg.Config
	if kind == validate.Dockercfg || kind == validate.Auto && dockercfg.Shaped(data) {
		cfg, _ = dockercfg.Validate(name, data, dockercfg.Options{})
		if kind == validate.Auto && len(realCredentials(cfg, data)) > 0 {
			kind = validate.Dockercfg
		}
	}
	if kind == validate.Auto {
		return nil
	}
	opts := c.Validate
	opts.Kind = kind
	opts.Strict = false // Check promotes after the hygiene rules are in
	// The file as a command names it, for the commands that hints
	// suggest (DC016's dockercfg inline): check's names are those of the
	// repository, relative to its root, as in check's own hints.
	opts.Path = name
	// env is the env file as validation parsed it (in the dialect that
	// AutoDialect gives its name): the CK006 search reads it, not a
	// second parse.
	r, env := validate.PlainEnv(name, data, opts, nil)
	if kind == validate.Env && !always {
		// A file named as encrypted (always) is CK005 already.
		r.Add(envSecrets(name, encryptedName(name, twin), data, env, r.Source, c.projectKey())...)
	}
	if kind == validate.Dockercfg {
		regs := realCredentials(cfg, data)
		if len(regs) == 0 && !always {
			r.Diagnostics = dropCIFindings(r.Diagnostics)
		}
		hint := fmt.Sprintf("commit the encrypted file only: shipseal encrypt %s %s, then git rm --cached %[1]s "+
			"and add it to .gitignore; if it was ever pushed, change the password", shellquote.Quote(name), shellquote.Quote(encryptedName(name, twin)))
		if always {
			// CK005's fix: name is the encrypted file's.
			hint = fmt.Sprintf("encrypt it (shipseal encrypt %s %s) and commit only the encrypted file; if it was ever pushed, change the password",
				shellquote.Quote(path.Join(path.Dir(name), validate.BaseName(name))), shellquote.Quote(name))
		}
		at := quotedAt(data, regs)
		for _, reg := range regs {
			pos := diag.Position{}
			if i, ok := at[reg]; ok && r.Source != nil {
				pos = r.Source.Position(i)
			}
			// A registry is quoted from the file; someRegistry is
			// shipseal's own words.
			var shown any = reg
			if reg == someRegistry {
				shown = diag.Phrase(reg)
			}
			r.Add(diag.Errorf(CodePlainCredentials, pos, hint,
				"plaintext credentials for %s: anyone who can read the repository can log in to the registry", shown))
		}
	}
	return r
}

// ciFindings are the dockercfg findings about what a file gives CI
// rather than about what it holds: credentials that a credential helper
// keeps (DC016), a helper named beside credentials (DC022), no
// credentials at all (DC023). validate and encrypt report them, for a file
// meant to be the CI's dockercfg; check, whose job is to stop broken files
// and leaked secrets, does not for a plaintext dockercfg without
// credentials: a config.json of credHelpers or credsStore (for CI machines
// with the helper installed), or one of proxies, is a legitimate file that
// holds no secret. An encrypted dockercfg, a plaintext one with real
// credentials (CK002 already) and one named as encrypted (CK005) keep them.
var ciFindings = map[string]bool{
	dockercfg.CodeHelperHeld:    true,
	dockercfg.CodeHelperSet:     true,
	dockercfg.CodeNoCredentials: true,
}

// dropCIFindings returns ds without the ciFindings.
func dropCIFindings(ds []diag.Diagnostic) []diag.Diagnostic {
	kept := ds[:0]
	for _, d := range ds {
		if !ciFindings[d.Code] {
			kept = append(kept, d)
		}
	}
	return kept
}

// quotedAt returns the offset of the first "name" in data for each of
// names that is there, in one pass over data: a search per name would take
// seconds for a config of thousands of registries.
func quotedAt(data []byte, names []string) map[string]int {
	want := make(map[string]bool, len(names))
	at := make(map[string]int, len(names))
	for _, n := range names {
		if strings.Contains(n, `"`) {
			// Not the text between two neighbouring quotes.
			if i := bytes.Index(data, []byte(`"`+n+`"`)); i >= 0 {
				at[n] = i
			}
			continue
		}
		want[n] = true
	}
	// Every quote may open the name; the next quote must close it.
	for i := bytes.IndexByte(data, '"'); i >= 0; {
		j := bytes.IndexByte(data[i+1:], '"')
		if j < 0 {
			break
		}
		if s := data[i+1 : i+1+j]; want[string(s)] {
			if _, ok := at[string(s)]; !ok {
				at[string(s)] = i
			}
		}
		i += 1 + j
	}
	return at
}

// metKind is validate's rule for a file that it meets in a directory
// rather than is given (validate.Walk), as check meets every file of a
// project: a file that validate recognises by its name (validate.Recognised:
// not direnv's .envrc, nor dockercfg.md or dockercfg_test.go) is of the
// kind its name says, unless it is another program's config.json
// (validate.Foreign: outside .docker/ and docker/, without docker's
// shape). Other files are Auto: none of validate's business.
func metKind(name string, data []byte) validate.Kind {
	if !validate.Recognised(name) || validate.Foreign(name, data) {
		return validate.Auto
	}
	return validate.KindFromName(name)
}

// someRegistry stands for the registries of a file that could not be
// parsed.
const someRegistry = "a registry"

// realCredentials returns the registries for which cfg holds a secret that
// is not a placeholder. A file that could not be parsed at all counts as
// holding credentials when it has a credential field: for someRegistry.
func realCredentials(cfg *dockercfg.Config, data []byte) []string {
	if cfg == nil {
		lower := bytes.ToLower(data)
		for _, f := range []string{`"auth"`, `"password"`, `"identitytoken"`, `"registrytoken"`} {
			if bytes.Contains(lower, []byte(f)) {
				return []string{someRegistry}
			}
		}
		return nil
	}
	var regs []string
	for _, e := range cfg.Auths {
		_, password, _ := e.Credentials()
		if e.Auth != "" && password == "" {
			password = e.Auth // undecodable, but a secret all the same
		}
		for _, s := range []string{password, e.IdentityToken, e.RegistryToken} {
			if !placeholder(s) {
				regs = append(regs, e.Registry)
				break
			}
		}
	}
	return regs
}

// placeholder is true for an empty value and for one that stands for a
// secret without being one: $VAR, ${VAR}, <password>, xxxx, ****.
func placeholder(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "$") || strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">") {
		return true
	}
	return strings.Trim(s, "xX*.") == ""
}

// keyContent applies rule CK001 to a whole file: a file is a key by its
// name (codeship.aes, when byName: see validate.IsKeyName) or by its
// content (see validate.KeyContent: the base64 of 32 bytes, as an editor
// may have saved it, unless it is a v1 file of a 16-byte secret, which
// has the same shape). validate gives the verdict, for validate and check
// to agree; this says what it means for a commit.
func (c *Checker) keyContent(name string, data []byte, byName bool) (*diag.Report, error) {
	base := path.Base(name)
	byName = byName && validate.IsKeyName(name)
	if !byName && !validate.LooksLikeKey(data) {
		return nil, nil
	}
	var project *crypto.Key
	if c.Validate.Key != nil {
		var err error
		project, err = c.Validate.Key()
		if err != nil && !errors.Is(err, projectkey.ErrNoKey) {
			return nil, err
		}
	}
	// codeship.aes has the key's own extension, where the shape alone
	// makes a key: key is then the key the file holds, or nil for none.
	key := validate.KeyContent(name, data, project)
	if !byName && key == nil {
		return nil, nil
	}
	r := &diag.Report{File: name, Kind: "key"}
	hint := fmt.Sprintf("remove it from the commit (git rm --cached %s) and add it to .gitignore; %s", shellquote.Quote(name), rotateHint)
	switch {
	case key != nil && key.Equal(project):
		r.Add(diag.Errorf(CodeKeyFile, diag.Position{}, hint,
			"this is the project key (%v): anyone who can read the repository can decrypt every secret of the project", key))
	case key != nil:
		r.Add(diag.Errorf(CodeKeyFile, diag.Position{}, hint,
			"this is an AES key (%v): anyone who can read the repository can decrypt every secret encrypted with it", key))
	default:
		r.Add(diag.Errorf(CodeKeyFile, diag.Position{}, hint,
			"%s is where the project key is kept: anyone who can read the repository would have the key", diag.Phrase(base)))
	}
	return r, nil
}

// rotateHint ends every CK001 hint: a key that was pushed is known.
const rotateHint = "if it was ever pushed, rotate it: make a new key and re-encrypt every file with it (shipseal rekey, see docs/rotation.md)"

// keyNeedles are what the project key looks like inside another file.
type keyNeedles struct {
	key *crypto.Key
	// text is its base64 text without the padding, which may be left
	// out; raw its 32 bytes, for binary files.
	text, raw []byte
}

// projectKey returns the project key's needles, or nil when there is no
// project key. A key that cannot be loaded is nil here too: the encrypted
// files that need it report that error.
func (c *Checker) projectKey() *keyNeedles {
	if c.leakLooked {
		return c.leak
	}
	c.leakLooked = true
	if c.Validate.Key == nil {
		return nil
	}
	key, err := c.Validate.Key()
	if err != nil || key == nil {
		return nil
	}
	text := bytes.TrimSpace(key.Encode())
	raw, err := base64.StdEncoding.DecodeString(string(text))
	if err != nil {
		panic("precommit: internal error: a key's own text does not decode: " + err.Error())
	}
	c.leak = &keyNeedles{key: key, text: bytes.TrimRight(text, "="), raw: raw}
	return c.leak
}

// projectKeyIn applies the other half of rule CK001: the project key
// inside a file, anywhere (export SHIPSEAL_KEY=... in a script, a CI
// configuration, an env file). The search is exact, so it has no false
// positives, and costs a search of the file for the text and one for the
// bytes. r is the file's report so far, or nil; the finding is added to it
// at the key's place, with the key masked in the excerpt.
func (c *Checker) projectKeyIn(r *diag.Report, name string, data []byte) *diag.Report {
	k := c.projectKey()
	if k == nil || len(data) == 0 {
		return r
	}
	at, raw := bytes.Index(data, k.text), false
	if at < 0 {
		if at = bytes.Index(data, k.raw); at < 0 {
			return r
		}
		raw = true
	}
	if r == nil {
		r = &diag.Report{File: name, Kind: string(validate.Unknown)}
	}
	hint := fmt.Sprintf("take the key out of %s: CI should get it from its own secret settings (as $%s), never from the repository; %s",
		shellquote.Quote(name), projectkey.EnvKey, rotateHint)
	if raw {
		// Binary: no line to show.
		r.Add(diag.Errorf(CodeKeyFile, diag.Position{}, hint,
			"the project key (%v) is in this file, as raw bytes: anyone who can read the repository can decrypt every secret of the project", k.key))
		return r
	}
	if r.Source == nil {
		r.Source = diag.NewSource(name, data)
	}
	// The key is masked wherever it shows; at its place when the source
	// is this content (a validator's may not be: one without a BOM, say).
	r.Source.AddSecretValue(string(k.text))
	pos := diag.Position{}
	if bytes.Equal(r.Source.Data(), data) {
		end := at + len(k.text)
		for end < len(data) && data[end] == '=' {
			end++
		}
		r.Source.MarkSecret(at, end)
		pos = r.Source.Position(at)
	}
	r.Diagnostics = append([]diag.Diagnostic{diag.Errorf(CodeKeyFile, pos, hint,
		"the project key (%v) is committed here: anyone who can read the repository can decrypt every secret of the project", k.key)},
		r.Diagnostics...)
	return r
}

// twinOf returns the encrypted file that name is the plaintext of, the
// first of encryptedNames that exists, or "".
func (c *Checker) twinOf(name string) string {
	if validate.NamedEncrypted(name) {
		return ""
	}
	exists := c.Exists
	if exists == nil {
		exists = func(n string) bool { _, err := os.Stat(n); return err == nil }
	}
	for _, n := range encryptedNames(name) {
		if exists(n) {
			return n
		}
	}
	return ""
}

// encryptedName is the name that a hint gives the encrypted file of the
// plaintext name: its twin when there is one (dockercfg.encrypted for
// dockercfg.json), so that the hint does not make a second encrypted copy
// of it, and name.encrypted otherwise: the suffix alone is dropped to get
// the plaintext's name back, as validate, decrypt's hints and CK005 do, it
// keeps the name that says what the file is (app.env.encrypted is an env
// file, config.json.encrypted a dockercfg, where app.encrypted and
// config.encrypted are neither), and it cannot be the encrypted file of
// another plaintext (dockercfg and dockercfg.json).
func encryptedName(name, twin string) string {
	if twin != "" {
		return twin
	}
	return name + ".encrypted"
}

func twinDiag(name, twin string) diag.Diagnostic {
	return diag.Errorf(CodePlainTwin, diag.Position{},
		fmt.Sprintf("commit only %s: git rm --cached %s, and add %[2]s to .gitignore", path.Base(twin), shellquote.Quote(name)),
		"%s is the plaintext of %s: committing it publishes the secret that the encrypted file protects",
		diag.Phrase(path.Base(name)), diag.Phrase(path.Base(twin)))
}
