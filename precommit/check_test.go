package precommit_test

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/precommit"
	"github.com/shipseal/shipseal/projectkey"
	"github.com/shipseal/shipseal/validate"
)

func mustKey(t testing.TB, text string) *crypto.Key {
	t.Helper()
	k, err := crypto.ParseKey([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func encrypt(t testing.TB, key *crypto.Key, v crypto.Version, plain string) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := crypto.Encrypt(&out, strings.NewReader(plain), key, crypto.WriteOptions{Version: v}); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// encryptIV is encrypt with an IV of 16 bytes of value iv.
func encryptIV(t testing.TB, key *crypto.Key, v crypto.Version, plain string, iv byte) []byte {
	t.Helper()
	var out bytes.Buffer
	opts := crypto.WriteOptions{Version: v, Rand: bytes.NewReader(bytes.Repeat([]byte{iv}, 16))}
	if err := crypto.Encrypt(&out, strings.NewReader(plain), key, opts); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func checker(key *crypto.Key, exists ...string) *precommit.Checker {
	c := &precommit.Checker{Validate: validate.Options{AutoDialect: true}, Exists: func(name string) bool {
		for _, e := range exists {
			if e == name {
				return true
			}
		}
		return false
	}}
	c.Validate.Key = func() (*crypto.Key, error) {
		if key == nil {
			return nil, fmt.Errorf("%w: looked nowhere", projectkey.ErrNoKey)
		}
		return key, nil
	}
	return c
}

// codes lists a report's diagnostic codes with their severity, "" for no
// report.
func codes(r *diag.Report) string {
	if r == nil {
		return "-"
	}
	var s []string
	for _, d := range r.Diagnostics {
		s = append(s, d.Code+"/"+d.Severity.String())
	}
	return strings.Join(s, " ")
}

func TestCheck(t *testing.T) {
	key := mustKey(t, projectKey)
	other := mustKey(t, otherKey)
	goodCfg := `{"auths": {"registry.example.com": {"auth": "YWxpY2U6aHVudGVyMmh1bnRlcjI="}}}`
	for _, tc := range []struct {
		name   string
		data   []byte
		key    *crypto.Key // the project key, nil for none
		exists []string
		want   string // codes, "-" for no report
	}{
		// Files that are none of check's business.
		{name: "main.go", data: []byte("package main\n"), key: key, want: "-"},
		{name: "settings.json", data: []byte(`{"editor.fontSize": 12, "files.eol": "\n"}`), key: key, want: "-"},
		{name: "big.bin", data: nil, key: key, want: "-"},
		// Encrypted files, with and without the key.
		{name: "dockercfg.encrypted", data: encrypt(t, key, crypto.V2, goodCfg), key: key, want: ""},
		{name: "dockercfg.encrypted", data: encrypt(t, key, crypto.V2, goodCfg), want: ""},
		{name: "dockercfg.encrypted", data: encrypt(t, other, crypto.V2, goodCfg), key: key, want: "EN002/error"},
		{name: "dockercfg.encrypted", data: encrypt(t, other, crypto.V2, goodCfg), want: ""},
		{name: "app.env.encrypted", data: encrypt(t, key, crypto.V1, "A=1\n=2\n"), key: key, want: "EV005/error"},
		{name: "x.encrypted", data: []byte("codeship:v2\n!!!\n"), want: "EN001/error"},
		{name: "any-name", data: []byte("codeship:v3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"), want: "EN004/error"},
		{name: "app.env.encrypted", data: []byte("A=1\n"), key: key, want: "CK005/error"},
		// Keys.
		{name: "codeship.aes", data: []byte(projectKey), key: key, want: "CK001/error"},
		{name: "sub/CODESHIP.AES", data: []byte("anything"), want: "CK001/error"},
		{name: "notes/k.txt", data: []byte(otherKey), key: key, want: "CK001/error"},
		{name: "notes/k.txt", data: []byte(otherKey), want: "CK001/error"},
		// A key saved by Notepad (a byte order mark, CRLF) or with blank
		// space around it is still a key.
		{name: "notes/k.txt", data: []byte("\uFEFF" + strings.TrimSpace(projectKey) + "\r\n"), key: key, want: "CK001/error"},
		{name: "notes/k.txt", data: []byte(" \uFEFF\t" + strings.TrimSpace(otherKey) + " \r\n\r\n"), want: "CK001/error"},
		// The project key inside any file, as text (padded or not) or as
		// bytes; another key, or the project key's text cut short, is not
		// looked for.
		{name: "ci.sh", data: []byte("#!/bin/sh\nexport SHIPSEAL_KEY=" + projectKey), key: key, want: "CK001/error"},
		{name: "ci.yml", data: []byte("env:\n  SHIPSEAL_KEY: " + strings.TrimSuffix(strings.TrimSpace(projectKey), "=") + "\n"), key: key, want: "CK001/error"},
		{name: "key.bin", data: append(append([]byte{0, 1, 2}, rawKey(t, projectKey)...), 0xff), key: key, want: "CK001/error"},
		{name: "ci.sh", data: []byte("export SHIPSEAL_KEY=" + projectKey), want: "-"},
		{name: "ci.sh", data: []byte("export SHIPSEAL_KEY=" + otherKey), key: key, want: "-"},
		{name: "ci.sh", data: []byte("export SHIPSEAL_KEY=" + projectKey[:40]), key: key, want: "-"},
		// In an env file it is the project key, not just "a key" (CK006);
		// without the project key to compare, it is a key all the same.
		{name: "generator.env", data: []byte("A=1\nSHIPSEAL_KEY=" + projectKey), key: key, want: "CK001/error"},
		{name: "generator.env", data: []byte("A=1\nSHIPSEAL_KEY=" + projectKey), want: "CK006/error"},
		{name: "generator.env", data: []byte("SHIPSEAL_KEY=" + projectKey + "DB_PASSWORD=hunter2hunter2\n"), key: key, want: "CK001/error CK006/error"},
		// A v1 file of a 16-byte secret has a key's shape: named as
		// encrypted, it is taken for one, with or without the project key
		// (which then judges it by decrypting, as validate does); under
		// another name only the project key tells it apart.
		{name: "pin.encrypted", data: encrypt(t, key, crypto.V1, "0123456789abcdef"), key: key, want: ""},
		{name: "pin.encrypted", data: encrypt(t, key, crypto.V1, "0123456789abcdef"), want: ""},
		// (A fixed IV: with a random one, the other key's noise is
		// sometimes reported as EV001 (not UTF-8) instead of EN005.)
		{name: "pin.encrypted", data: encryptIV(t, other, crypto.V1, "0123456789abcdef", 0), key: key, want: "EN005/error"},
		{name: "pin.txt", data: encrypt(t, key, crypto.V1, "0123456789abcdef"), key: key, want: "-"},
		{name: "pin.txt", data: encrypt(t, key, crypto.V1, "0123456789abcdef"), want: "CK001/error"},
		// Plaintext docker credentials.
		{name: "docker/config.json", data: []byte(goodCfg), want: "CK002/error"},
		{name: "registry-backup.json", data: []byte(goodCfg), want: "CK002/error"},
		{name: "dockercfg", data: []byte(`{"quay.io": {"auth": "", "email": "a@b.c"}}`), want: "DC015/error"},
		{name: "dockercfg", data: []byte(`{"auths": {"r.io": {"username": "u", "password": "${PASSWORD}"}}}`), want: ""},
		{name: "dockercfg", data: []byte(`{"auths": {"r.io": {"username": "u", "password": "xxxxxx"}}}`), want: ""},
		{name: "dockercfg", data: []byte(`{"auths": {"r.io": {"identitytoken": "eyJhbGciOi.real"}}}`), want: "CK002/error"},
		{name: "dockercfg", data: []byte(`{"auths": {"r.io": {"auth": "YWxpY2U6aHVudGVyMg==" "x": 1}}}`), want: "DC001/error CK002/error"},
		// Plaintext twins.
		{name: "dockercfg", data: []byte(`{"auths": {"r.io": {}}, "credsStore": "pass"}`), exists: []string{"dockercfg.encrypted"}, want: "CK003/error"},
		{name: "notes.txt", data: []byte("hello"), exists: []string{"notes.txt.enc"}, want: "CK003/error"},
		{name: "big.bin", data: nil, exists: []string{"big.bin.encrypted"}, want: "CK003/error"},
		{name: "notes.txt", data: []byte("hello"), exists: []string{"other.encrypted"}, want: "-"},
		// Plaintext env files are validated, .env ones as compose reads
		// them (AutoDialect); direnv's .envrc is not an env file.
		{name: ".env", data: []byte("A=1\n"), want: ""},
		{name: "prod.env", data: []byte("A=1\n=2\n"), want: "EV005/error"},
		{name: ".env", data: []byte("export A=1\n"), want: ""},
		{name: ".env.local", data: []byte("export A=1\n"), want: ""},
		{name: "prod.env", data: []byte("export A=1\n"), want: "EV008/error"},
		{name: ".envrc", data: []byte("export A=1\nuse nix\n"), want: "-"},
		// Many programs have a config.json: only docker's is checked as a
		// dockercfg, others only when they hold docker credentials.
		{name: "src/config.json", data: []byte(`{"features": {"beta": "on"}, "port": 8080}`), want: "-"},
		{name: "src/config.json", data: []byte(`{"auths": {"registry.example.com": {"auth": "YWxpY2U6aHVudGVyMmh1bnRlcjI="}}}`), want: "CK002/error"},
		{name: ".docker/config.json", data: []byte(`{"port": 8080}`), want: "DC010/error"},
		{name: "cmd/dockercfg_show.go", data: []byte("package main\n// {\"auth\": \"x\"}\n"), want: "-"},
		{name: "docs/dockercfg.md", data: []byte("# dockercfg\n```json\n{\"auths\": {}}\n```\n"), want: "-"},
		{name: "prod-dockercfg.json", data: []byte(`{"port": 8080}`), want: "DC010/error"},
		{name: "deploy/.dockercfg", data: []byte(`{`), want: "DC001/error"},
		{name: "vectors/dockercfg.plain", data: []byte(`{"quay.io": {"auth": "Ym9iOmh1bnRlcjI="}}`), want: "CK002/error"},
		// A killed shipseal run's temporary file: a warning, not a secret
		// checked with the project key (a killed rekey's holds the new
		// key's encryption); a key or plaintext credentials in one are
		// still what they are.
		{name: "ci/.env.encrypted.shipseal-3091-50a57b19c886.tmp", data: encrypt(t, other, crypto.V2, "A=1\n"), key: key, want: "CK007/warning"},
		{name: ".env.encrypted.shipseal-3091-50a57b19c886.tmp", data: encrypt(t, key, crypto.V1, "A=1\n"), key: key, want: "CK007/warning"},
		{name: ".big.encrypted.shipseal-3091-50a57b19c886.tmp", data: nil, key: key, want: "CK007/warning"},
		{name: ".codeship.aes.shipseal-3091-50a57b19c886.tmp", data: []byte(projectKey), key: key, want: "CK001/error"},
		{name: ".config.json.shipseal-3091-50a57b19c886.tmp", data: []byte(`{"auths": {"registry.example.com": {"auth": "YWxpY2U6aHVudGVyMmh1bnRlcjI="}}}`), want: "CK007/warning CK002/error"},
		{name: ".notes.txt.shipseal-3091-50a57b19c886.tmp", data: []byte("hello"), want: "CK007/warning"},
		{name: ".env.encrypted.shipseal-x-50a57b19c886.tmp", data: encrypt(t, other, crypto.V2, "A=1\n"), key: key, want: "EN002/error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := checker(tc.key, tc.exists...).Check(tc.name, tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if got := codes(r); got != tc.want {
				t.Errorf("Check(%s) = %q, want %q", tc.name, got, tc.want)
			}
		})
	}
}

// TestCheckKindIsValidatesRule pins which plaintext check validates, and
// as what: validate's rule for a file it meets in a directory
// (validate.Recognised by name, unless validate.Foreign: another program's
// config.json), with CK002 on top for JSON of docker's shape
// (dockercfg.Shaped) under any other name. want is the report's kind and
// codes, "-" for none. The cases marked "was" are where check used its
// own name rule and dockercfg.Detect, and said otherwise.
func TestCheckKindIsValidatesRule(t *testing.T) {
	cred := `"auth": "` + secretAuth + `"`
	for _, tc := range []struct {
		name, data string
		want       string
	}{
		// By name, as validate: dockercfg and env files, not .envrc,
		// dockercfg.md or dockercfg_test.go.
		{"prod-dockercfg.json", `{"port": 8080}`, "dockercfg DC010/error"},
		{"deploy/.dockercfg", `{`, "dockercfg DC001/error"},
		{".docker/config.json", `{"proxies": {}}`, "dockercfg "},
		{"docker/config.json", `{"auths": {"r.io": {` + cred + `}}}`, "dockercfg CK002/error"},
		{"prod.env", "A=1\n=2\n", "env EV005/error"},
		{".envrc", "export A=1\n", "-"},
		{"docs/dockercfg.md", "# dockercfg\n{\"auths\": {\"r.io\": {" + cred + "}}}\n", "-"},
		// Another program's config.json is left alone; one with docker's
		// shape is docker's wherever it is, and validated as a dockercfg
		// like any other (was: only CK002, and only with credentials; a
		// config.json of credential helpers passed unchecked).
		{"src/config.json", `{"features": {"beta": "on"}, "port": 8080}`, "-"},
		{"config.json", `{"psFormat": "table"}`, "-"},
		{"src/config.json", `{"auths": {"r.io": {` + cred + `}}}`, "dockercfg CK002/error"},
		// Without credentials, what the file gives CI is not check's
		// business (DC016, DC022, DC023 are validate's, for a file meant
		// to be the CI's dockercfg): a config.json of credential helpers,
		// committed for CI machines that have the helper, holds no secret
		// (was DC016/error, which blocked the commit). A broken one is
		// still an error.
		{"src/config.json", `{"auths": {"r.io": {}}, "credsStore": "desktop"}`, "dockercfg "},
		{"ci/config.json", `{"credHelpers": {"gcr.io": "gcloud"}}`, "dockercfg "},
		{"ci/config.json", `{"credHelpers":{"1234.dkr.ecr.us-east-1.amazonaws.com":"ecr-login"}}`, "dockercfg "},
		{".docker/config.json", `{"auths": {"r.io": {"username": "ci", "password": "${P}"}}, "credsStore": "desktop"}`, "dockercfg "},
		{"ci/config.json", `{"credHelpers": {"gcr.io": 1}}`, "dockercfg DC021/error"},
		// With credentials (or named as encrypted), the file is a secret
		// meant for CI, and keeps them.
		{"ci/config.json", `{"auths": {"r.io": {` + cred + `}, "gcr.io": {}}, "credHelpers": {"gcr.io": "gcloud"}}`, "dockercfg DC016/error CK002/error"},
		{"ci/config.json", `{"auths": {"r.io": {` + cred + `}}, "credsStore": "desktop"}`, "dockercfg DC022/warning CK002/error"},
		{"dockercfg.encrypted", `{"credHelpers": {"gcr.io": "gcloud"}}`, "dockercfg CK005/error DC016/error"},
		{"ci/config.json", `{"auths": {"r.io": {"auth": "$REGISTRY_AUTH"}}}`, "dockercfg DC011/error"},
		{"ci/config.json", `{"auths": {"r.io": {"username": "ci", "password": "${P}"}}}`, "dockercfg "},
		// Under any other name, JSON of docker's shape holding credentials
		// is CK002, and validated; without credentials, none of check's
		// business.
		{"registry-backup.json", `{"auths": {"r.io": {` + cred + `}}}`, "dockercfg CK002/error"},
		{"vectors/dockercfg.plain", `{"quay.io": {` + cred + `, "email": "a@b.c"}}`, "dockercfg CK002/error"},
		{"registry-backup.json", `{"auths": {"r.io": {}}, "credsStore": "desktop"}`, "-"},
		{"broken.json", `{"auths": {"r.io": {` + cred + ` "x": 1}}}`, "dockercfg DC001/error CK002/error"},
		// JSON that is not docker's shape is no dockercfg, and its fields
		// are no registry credentials (was CK002, "plaintext credentials
		// for db: ... can log in to the registry", by Detect's looser
		// legacy rule): an application's secrets.json, or JSON that docker
		// cannot read as a credential file (a field that is no registry's;
		// a legacy entry's username and password, which docker's legacy
		// loader ignores for auth).
		{"secrets.json", `{"db": {"username": "app", "password": "` + secretPass + `"}}`, "-"},
		{"registry.json", `{"myregistry": {` + cred + `}}`, "-"},
		{"registry.json", `{"quay.io": {` + cred + `}, "note": "x"}`, "-"},
		{"registry.json", `{"quay.io": {"username": "bob", "password": "` + secretPass + `"}}`, "-"},
		// Named as encrypted but plaintext (CK005): validated as validate
		// validates it (validate.DetectKind).
		{"dockercfg.encrypted", `{"auths": {"r.io": {` + cred + `}}}`, "dockercfg CK005/error CK002/error"},
		{"secrets.json.enc", `{"db": {"password": "` + secretPass + `"}}`, "unknown CK005/error"},
	} {
		r, err := checker(nil).Check(tc.name, []byte(tc.data))
		if err != nil {
			t.Fatal(err)
		}
		got := "-"
		if r != nil {
			got = r.Kind + " " + codes(r)
		}
		if got != tc.want {
			t.Errorf("Check(%s, %.60q) = %q, want %q", tc.name, tc.data, got, tc.want)
		}
		// What validate meets in a directory, check validates as the same
		// kind.
		if validate.Recognised(tc.name) && !validate.Foreign(tc.name, []byte(tc.data)) && !validate.NamedEncrypted(tc.name) {
			v, err := validate.File(tc.name, []byte(tc.data), validate.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if r == nil || r.Kind != v.Kind {
				t.Errorf("Check(%s) = %q, validate's kind is %s", tc.name, got, v.Kind)
			}
		}
	}
}

// TestCheckHelperHintNamesTheFile: DC016's hint, where check keeps it,
// is the inline command for the file checked, as validate's is, not for
// ~/.docker/config.json.
func TestCheckHelperHintNamesTheFile(t *testing.T) {
	cfg := `{"auths": {"r.io": {"auth": "` + secretAuth + `"}, "gcr.io": {}}, "credHelpers": {"gcr.io": "gcloud"}}`
	for name, want := range map[string]string{
		"ci/config.json":         "shipseal dockercfg inline ci/config.json -o dockercfg.json",
		"dockercfg.json":         "shipseal dockercfg inline dockercfg.json -o dockercfg.inline.json",
		"ci/prod dockercfg.json": "shipseal dockercfg inline 'ci/prod dockercfg.json' -o dockercfg.json",
	} {
		r, err := checker(nil).Check(name, []byte(cfg))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, d := range r.Diagnostics {
			if d.Code == "DC016" {
				found = true
				if !strings.Contains(d.Hint, want) {
					t.Errorf("Check(%s): DC016 hint %q, want it to say %q", name, d.Hint, want)
				}
			}
		}
		if !found {
			t.Errorf("Check(%s) = %q, want a DC016", name, codes(r))
		}
	}
}

// TestCheckTwins pins the plaintext twin rule (CK003) and the encrypted
// file that CK002's and CK006's hints name: the encrypted file of X.ext is
// X.ext.encrypted, X.ext.enc, X.encrypted or X.enc, the first that exists
// (dockercfg.json beside dockercfg.encrypted, as the README pairs them),
// and X.ext.encrypted when none does. want is the twin CK003 names ("-"
// for none), then the encrypted file in the hint.
func TestCheckTwins(t *testing.T) {
	cfg := `{"auths": {"registry.example.com": {"auth": "` + secretAuth + `"}}}`
	env := "DB_PASSWORD=" + secretPass + "\n"
	for _, tc := range []struct {
		name, data string
		exists     []string
		want       string
	}{
		// The README's pair, both ways round: dockercfg.json's encrypted
		// file is dockercfg.encrypted, and dockercfg.json is the plaintext
		// of dockercfg.encrypted.
		{"dockercfg.json", cfg, []string{"dockercfg.encrypted"}, "dockercfg.encrypted dockercfg.encrypted"},
		{"ci/dockercfg.json", cfg, []string{"ci/dockercfg.enc"}, "ci/dockercfg.enc ci/dockercfg.enc"},
		{"dockercfg.json", cfg, []string{"dockercfg.json.encrypted"}, "dockercfg.json.encrypted dockercfg.json.encrypted"},
		// The whole name first, then .encrypted before .enc.
		{"dockercfg.json", cfg, []string{"dockercfg.encrypted", "dockercfg.json.encrypted"}, "dockercfg.json.encrypted dockercfg.json.encrypted"},
		{"dockercfg.json", cfg, []string{"dockercfg.encrypted", "dockercfg.json.enc"}, "dockercfg.json.enc dockercfg.json.enc"},
		{"dockercfg.json", cfg, []string{"dockercfg.enc", "dockercfg.encrypted"}, "dockercfg.encrypted dockercfg.encrypted"},
		// None: X.ext.encrypted, today's name, whatever the kind.
		{"dockercfg.json", cfg, nil, "- dockercfg.json.encrypted"},
		{"docker/config.json", cfg, nil, "- docker/config.json.encrypted"},
		{"app.env", env, nil, "- app.env.encrypted"},
		// CK006's hint too.
		{"app.env", env, []string{"app.encrypted"}, "app.encrypted app.encrypted"},
		{".env", env, []string{".env.encrypted"}, ".env.encrypted .env.encrypted"},
		{".env", env, []string{".encrypted"}, "- .env.encrypted"},
		// Any file, as before.
		{"notes.txt", "hello", []string{"notes.encrypted"}, "notes.encrypted"},
		{"notes", "hello", []string{"notes.encrypted"}, "notes.encrypted"},
		{"notes.txt", "hello", []string{"other.encrypted", "notes.txt.aes"}, "-"},
		// The extension is replaced only in a name with one dot: the last
		// part of .env.local or app.env.local names a variant, and
		// .env.encrypted is not the encrypted .env.local.
		{".env.local", env, []string{".env.encrypted"}, "- .env.local.encrypted"},
		{".env.production", "LOG=1\n", []string{".env.encrypted"}, "-"},
		{"app.env.local", env, []string{"app.env.encrypted"}, "-"},
		{"ci/app.env.local", env, []string{"ci/app.env.local.enc"}, "ci/app.env.local.enc"},
		// A template is not the plaintext of the encrypted file it shows.
		{"env.example", "DB_PASSWORD=\n", []string{"env.encrypted"}, "-"},
		{"dockercfg.sample", `{"auths": {}}`, []string{"dockercfg.encrypted"}, "-"},
		// Another directory's file is not a twin.
		{"ci/dockercfg.json", cfg, []string{"dockercfg.encrypted"}, "- ci/dockercfg.json.encrypted"},
	} {
		r, err := checker(nil, tc.exists...).Check(tc.name, []byte(tc.data))
		if err != nil {
			t.Fatal(err)
		}
		twin, hinted := "-", ""
		var ds []diag.Diagnostic
		if r != nil {
			ds = r.Diagnostics
		}
		for _, d := range ds {
			switch d.Code {
			case precommit.CodePlainTwin:
				if !strings.HasPrefix(d.Hint, "commit only ") {
					t.Fatalf("%s: CK003's hint %q", tc.name, d.Hint)
				}
				twin = d.Hint[len("commit only "):strings.Index(d.Hint, ":")]
			case precommit.CodePlainCredentials, precommit.CodePlainEnvSecret:
				f := strings.Fields(d.Hint[strings.Index(d.Hint, "shipseal encrypt "):])
				if f[2] != tc.name {
					t.Errorf("%s: %s's hint encrypts %s", tc.name, d.Code, f[2])
				}
				hinted = " " + strings.TrimSuffix(f[3], ",")
			}
		}
		if twin != "-" {
			// CK003's message names the twin by its base name: the hint
			// gives it too, in full.
			twin = path.Join(path.Dir(tc.name), twin)
		}
		if got := twin + hinted; got != tc.want {
			t.Errorf("Check(%s) beside %q: twin and hint %q, want %q (%s)", tc.name, tc.exists, got, tc.want, codes(r))
		}
	}
}

// A file named as encrypted that holds plaintext credentials: CK002's hint
// is CK005's fix, never an encrypted copy of it (x.encrypted.encrypted).
func TestCheckPlaintextNamedAsEncryptedHint(t *testing.T) {
	r, err := checker(nil, "dockercfg.encrypted.encrypted").Check("ci/dockercfg.encrypted",
		[]byte(`{"auths": {"registry.example.com": {"auth": "`+secretAuth+`"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := "encrypt it (shipseal encrypt ci/dockercfg ci/dockercfg.encrypted) and commit only the encrypted file; if it was ever pushed, change the password"
	if codes(r) != "CK005/error CK002/error" || r.Diagnostics[1].Hint != want {
		t.Errorf("got %s, CK002's hint %q; want %q", codes(r), r.Diagnostics[len(r.Diagnostics)-1].Hint, want)
	}
}

// TestCheckKeyRule pins CK001's verdict on a whole file: validate's rule
// (validate.KeyFile, EN008), so that check and validate agree, with the
// cases where they used to differ. want is "project" or "key" for CK001
// saying the project key or an AES key, "name" for CK001 about the name
// only, or the codes of a file that is no key.
func TestCheckKeyRule(t *testing.T) {
	key := mustKey(t, projectKey)
	text, otherText := strings.TrimSpace(projectKey), strings.TrimSpace(otherKey)
	for _, tc := range []struct {
		name string
		data []byte
		key  *crypto.Key // the project key, nil for none
		want string
	}{
		// What an editor adds around a key; not a line break inside it.
		{"notes/k.txt", []byte("\uFEFF" + text + "\r\n"), key, "project"},
		{"notes/k.txt", []byte("\uFEFF\r\n" + otherText + "\r\n"), key, "key"},
		{"notes/k.txt", []byte(otherText + strings.Repeat("\r\n", 200)), nil, "key"},
		{"notes/k.txt", []byte(otherText[:22] + "\r\n" + otherText[22:] + "\r\n"), nil, "-"},
		// A v1 file of 16 bytes is told from a key by decrypting it with
		// the project key to text as decrypt judges text: valid UTF-8
		// without NUL bytes, control characters allowed.
		{"pin.txt", encrypt(t, key, crypto.V1, "0123456789abcde\x01"), key, "-"},
		{"pin.txt", encrypt(t, key, crypto.V1, "\x1b[1m0123456789\x7f\t\n"), key, "-"},
		{"pin.txt", encrypt(t, key, crypto.V1, "0123456789abcde\xff"), key, "key"},
		{"pin.txt", encrypt(t, key, crypto.V1, "0123456789abcde\x00"), key, "key"},
		// *.aes is the key's own extension: the shape is a key there.
		{"secrets/pin.aes", encrypt(t, key, crypto.V1, "0123456789abcdef"), key, "key"},
		// Names: a git path, and a Windows path name, on every system.
		{"deploy/ci/CODESHIP.AES", []byte("anything"), nil, "name"},
		{`deploy\codeship.aes`, []byte("anything"), key, "name"},
		{`deploy\codeship.aes`, []byte(otherText + "\n"), key, "key"},
		{`deploy\codeship.aes`, []byte(text + "\n"), key, "project"},
		// Saved as UTF-16 (Notepad's "Unicode", PowerShell, iconv), with
		// or without a byte order mark: the key loader refuses it, but
		// committed it leaks the key all the same.
		{"notes/k.txt", utf16LE("\uFEFF" + text + "\r\n"), key, "project"},
		{"notes/k.txt", utf16LE(otherText + "\n"), key, "key"},
		{"notes/k.txt", utf16LE(otherText), nil, "key"},
		{"notes/k.txt", utf16LE("\uFEFF" + otherText[:22] + "\r\n" + otherText[22:] + "\r\n"), nil, "-"},
		{"notes/hello.txt", utf16LE("\uFEFFhello\r\n"), key, "-"},
		// An env file of one variable, with no value and a 43-character
		// name, has a key's shape (validate's rule too, as before).
		{".env", []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFG=\n"), nil, "key"},
	} {
		r, err := checker(tc.key).Check(tc.name, tc.data)
		if err != nil {
			t.Fatal(err)
		}
		got := codes(r)
		if got == "CK001/error" {
			switch msg := r.Diagnostics[0].Message; {
			case strings.HasPrefix(msg, "this is the project key (key "+key.Fingerprint()+")"):
				got = "project"
			case strings.HasPrefix(msg, "this is an AES key (key "):
				got = "key"
			case strings.HasSuffix(msg, "is where the project key is kept: anyone who can read the repository would have the key"):
				got = "name"
			}
		}
		if got != tc.want {
			t.Errorf("Check(%s, %.80q) = %s, want %s", tc.name, tc.data, got, tc.want)
		}
		// validate says the same of it.
		vk := validate.KeyFile(tc.name, tc.data, tc.key) != nil
		if ck := tc.want == "project" || tc.want == "key" || tc.want == "name"; vk != ck {
			t.Errorf("validate.KeyFile(%s) says key %v, check %v", tc.name, vk, ck)
		}
	}
}

// utf16LE is text in UTF-16, little-endian, as Windows saves it.
func utf16LE(text string) []byte {
	var out []byte
	for _, u := range utf16.Encode([]rune(text)) {
		out = binary.LittleEndian.AppendUint16(out, u)
	}
	return out
}

func rawKey(t testing.TB, text string) []byte {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(text))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// The project key in a file is reported where it is, and masked there.
func TestCheckProjectKeyInAFile(t *testing.T) {
	key := mustKey(t, projectKey)
	r, err := checker(key).Check("ci/deploy.sh", []byte("#!/bin/sh\nexport SHIPSEAL_KEY="+projectKey+"shipseal decrypt env.encrypted env\n"))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	diag.WriteText(&out, []*diag.Report{r})
	want := "ci/deploy.sh:2:21: error CK001: the project key (key " + key.Fingerprint() + ") is committed here: " +
		"anyone who can read the repository can decrypt every secret of the project\n" +
		"    #!/bin/sh\n" +
		"    export SHIPSEAL_KEY=****\n" +
		"                        ^\n" +
		"  hint: take the key out of ci/deploy.sh: CI should get it from its own secret settings (as $SHIPSEAL_KEY), " +
		"never from the repository; if it was ever pushed, rotate it: make a new key and re-encrypt every file with it " +
		"(shipseal rekey, see docs/rotation.md)\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

// A symbolic link is checked as the path it points to: only a key there
// is a finding.
func TestCheckLink(t *testing.T) {
	key := mustKey(t, projectKey)
	for _, tc := range []struct {
		name, target string
		want         string
	}{
		{"codeship.aes", "/home/ci/keys/codeship.aes", "-"},
		{"key.aes", "codeship.aes", "-"},
		{".env", ".env.local", "-"},
		{"dockercfg", "dockercfg.encrypted", "-"},
		{"odd", strings.TrimSpace(projectKey), "CK001/error"},
		{"odd", strings.TrimSpace(otherKey), "CK001/error"},
		{"odd", "keys/" + strings.TrimSpace(projectKey), "CK001/error"},
	} {
		r, err := checker(key, "dockercfg.encrypted").CheckLink(tc.name, []byte(tc.target))
		if err != nil {
			t.Fatal(err)
		}
		if got := codes(r); got != tc.want {
			t.Errorf("CheckLink(%s -> %s) = %q, want %q", tc.name, tc.target, got, tc.want)
		}
	}
}

func TestCheckWithoutKeySaysContentNotChecked(t *testing.T) {
	key := mustKey(t, projectKey)
	r, err := checker(nil).Check("dockercfg.encrypted", encrypt(t, key, crypto.V2, "{}"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Notes) != 1 || !strings.Contains(r.Notes[0], "content not checked: no key") {
		t.Errorf("notes = %q, want one saying the content was not checked", r.Notes)
	}
}

func TestCheckKeyErrors(t *testing.T) {
	bad := errors.New("codeship.aes: invalid key")
	c := &precommit.Checker{}
	c.Validate.Key = func() (*crypto.Key, error) { return nil, bad }
	for _, name := range []string{"dockercfg.encrypted", "k.txt"} {
		data := encrypt(t, mustKey(t, projectKey), crypto.V2, "{}")
		if name == "k.txt" {
			data = []byte(otherKey)
		}
		if _, err := c.Check(name, data); !errors.Is(err, bad) {
			t.Errorf("Check(%s) error = %v, want the key's error", name, err)
		}
	}
}

func TestCheckStrictAndAllow(t *testing.T) {
	c := checker(nil)
	c.Validate.Strict = true
	r, err := c.Check("a.env", []byte("A=1 # docker keeps this\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(r); got != "EV016/error" {
		t.Errorf("strict: %q, want EV016/error", got)
	}
	c.Allow = []precommit.Allow{{Code: "EV016", Glob: "*.env"}}
	if r, _ = c.Check("a.env", []byte("A=1 # docker keeps this\n")); codes(r) != "" || len(r.Notes) != 1 {
		t.Errorf("allowed: %q, notes %q; want nothing and a note", codes(r), r.Notes)
	}
}

func TestCheckNeverPrintsSecrets(t *testing.T) {
	key := mustKey(t, projectKey)
	c := checker(key, "dockercfg.encrypted")
	var out bytes.Buffer
	var reports []*diag.Report
	for name, data := range map[string][]byte{
		"codeship.aes":   []byte(projectKey),
		"k.txt":          []byte(otherKey),
		"dockercfg":      []byte(`{"auths": {"registry.example.com": {"auth": "YWxpY2U6aHVudGVyMmh1bnRlcjI="}}}`),
		"broken.json":    []byte(`{"auths": {"registry.example.com": {"password": "hunter2hunter2" "x": 1}}}`),
		"prod.env":       []byte("=hunter2hunter2\n"),
		"prod.env.enc":   []byte("TOKEN=hunter2hunter2\n"),
		"x.env.enc.orig": encrypt(t, key, crypto.V2, "=hunter2hunter2\n"),
		"ci.sh":          []byte("export SHIPSEAL_KEY=" + projectKey),
		"ci.yml":         []byte("SHIPSEAL_KEY: '" + strings.TrimSuffix(strings.TrimSpace(projectKey), "=") + "'\n"),
		"generator.env":  []byte("SHIPSEAL_KEY=" + projectKey),
	} {
		r, err := c.Check(name, data)
		if err != nil {
			t.Fatal(err)
		}
		if r != nil {
			reports = append(reports, r)
		}
	}
	if err := diag.WriteText(&out, reports); err != nil {
		t.Fatal(err)
	}
	if err := diag.WriteJSON(&out, reports); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{secretAuth, secretPass, projectKey[:40], otherKey[:40]} {
		if strings.Contains(out.String(), s) {
			t.Errorf("the output shows the secret %q:\n%s", s, out.String())
		}
	}
	if !strings.Contains(out.String(), "CK001") || !strings.Contains(out.String(), "CK002") {
		t.Errorf("the output lacks the findings:\n%s", out.String())
	}
}

// Check is what shipseal check runs on each file.
func ExampleChecker_Check() {
	c := &precommit.Checker{
		// Without a key, encrypted files get their envelope checked only.
		Validate: validate.Options{Key: func() (*crypto.Key, error) { return nil, projectkey.ErrNoKey }},
		Allow:    []precommit.Allow{{Code: "CK003", Glob: "examples/**"}},
	}
	r, _ := c.Check("docker/config.json", []byte(`{"auths": {"registry.example.com": {"auth": "YWxpY2U6aHVudGVyMmh1bnRlcjI="}}}`))
	diag.WriteText(os.Stdout, []*diag.Report{r})
	// Output:
	// docker/config.json:1:12: error CK002: plaintext credentials for registry.example.com: anyone who can read the repository can log in to the registry
	//     {"auths": {"registry.example.com": {"auth": "****"}}}
	//                ^
	//   hint: commit the encrypted file only: shipseal encrypt docker/config.json docker/config.json.encrypted, then git rm --cached docker/config.json and add it to .gitignore; if it was ever pushed, change the password
}

func BenchmarkCheck(b *testing.B) {
	key := mustKey(b, projectKey)
	c := checker(key)
	source := bytes.Repeat([]byte("package main // an ordinary source file, none of check's business\n"), 200)
	enc := encrypt(b, key, crypto.V2, `{"auths": {"registry.example.com": {"auth": "YWxpY2U6aHVudGVyMmh1bnRlcjI="}}}`)
	var env bytes.Buffer
	for i := range 100 {
		fmt.Fprintf(&env, "# service %d\nSERVICE_%d_HOST=svc%d.internal\nSERVICE_%d_TOKEN=${TOKEN_%d}\n", i, i, i, i, i)
	}
	for _, bc := range []struct {
		name, file string
		data       []byte
	}{
		{"other-file", "main.go", source},
		{"encrypted-dockercfg", "dockercfg.encrypted", enc},
		{"env-file", "app.env", env.Bytes()}, // CK006 reads every variable
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.data)))
			for b.Loop() {
				if _, err := c.Check(bc.file, bc.data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestNamedAsEncryptedIsValidatesRule checks that CK005 and the plaintext
// twin rule call a file encrypted by validate's rule, as validate and
// exec do: the three suffixes in any letter case, never a bare suffix.
func TestNamedAsEncryptedIsValidatesRule(t *testing.T) {
	for _, name := range []string{"app.env.encrypted", "deploy/dockercfg.ENC", "secrets/x.Aes", "a.enc",
		".encrypted", "env.enc.bak", "notes.txt", "x.encrypted/env", "encrypted"} {
		named := validate.NamedEncrypted(name)
		r, err := checker(nil).Check(name, []byte("A=1\n"))
		if err != nil {
			t.Fatal(err)
		}
		if got := r != nil && strings.Contains(codes(r), "CK005"); got != named {
			t.Errorf("%s: CK005 is %v, validate.NamedEncrypted %v (%s)", name, got, named, codes(r))
		}
		// A file named as encrypted has no plaintext twin.
		r, err = checker(nil, name+".encrypted").Check(name, []byte("A=1\n"))
		if err != nil {
			t.Fatal(err)
		}
		if got := r != nil && strings.Contains(codes(r), "CK003"); got == named {
			t.Errorf("%s: CK003 is %v, validate.NamedEncrypted %v (%s)", name, got, named, codes(r))
		}
	}
}
