package validate_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/envfile"
	"github.com/shipseal/shipseal/projectkey"
	"github.com/shipseal/shipseal/validate"
	"github.com/stretchr/testify/require"
)

func key(t *testing.T, b byte) *crypto.Key {
	t.Helper()
	k, err := crypto.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{b}, 32)))
	require.NoError(t, err)
	return k
}

func encrypt(t *testing.T, k *crypto.Key, v crypto.Version, plain []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	require.NoError(t, crypto.Encrypt(&out, bytes.NewReader(plain), k, crypto.WriteOptions{Version: v}))
	return out.Bytes()
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", name))
	require.NoError(t, err)
	return data
}

func keyFunc(k *crypto.Key) func() (*crypto.Key, error) {
	return func() (*crypto.Key, error) { return k, nil }
}

// codes lists a report's diagnostic codes.
func codes(r *diag.Report) []string {
	var out []string
	for _, d := range r.Diagnostics {
		out = append(out, d.Code)
	}
	return out
}

// rendered is a report as the user sees it, text and JSON.
func rendered(t *testing.T, r *diag.Report) string {
	t.Helper()
	var text, js bytes.Buffer
	require.NoError(t, diag.WriteText(&text, []*diag.Report{r}))
	require.NoError(t, diag.WriteJSON(&js, []*diag.Report{r}))
	return text.String() + js.String()
}

func TestIsEncrypted(t *testing.T) {
	k := key(t, 1)
	v1 := encrypt(t, k, crypto.V1, []byte("A=1\n"))
	wrapped := []byte(string(v1[:20]) + "\r\n" + string(v1[20:]) + "\n")
	for _, c := range []struct {
		name string
		data []byte
		want bool
	}{
		{"v2", encrypt(t, k, crypto.V2, []byte("A=1\n")), true},
		{"v1", v1, true},
		{"v1 wrapped", wrapped, true},
		{"future version", []byte("codeship:v3\nAAAA"), true},
		{"json", []byte(`{"auths":{}}`), false},
		{"env", []byte("A=1\nB=2\n"), false},
		{"short base64", []byte("QUJDRA=="), false},
		{"base64 word that is not", []byte("ThisIsJustOneLongIdentifierWithoutSpaces1"), false},
		{"empty", nil, false},
	} {
		require.Equal(t, c.want, validate.IsEncrypted(c.data), c.name)
	}
}

func TestKindFromName(t *testing.T) {
	for name, want := range map[string]validate.Kind{
		"prod.env.encrypted":     validate.Env,
		".env":                   validate.Env,
		".env.production":        validate.Env,
		"env":                    validate.Env,
		"environment.enc":        validate.Env,
		"dockercfg.encrypted":    validate.Dockercfg,
		"ci/dockercfg":           validate.Dockercfg,
		"config.json":            validate.Dockercfg,
		"docker-config.json.aes": validate.Dockercfg,
		"notes.txt":              validate.Auto,
		"codeship-services.yml":  validate.Auto,
		"secrets/env.encrypted":  validate.Env,
		"deploy/Config.JSON":     validate.Dockercfg,
		"deploy/.encrypted":      validate.Auto,
	} {
		require.Equal(t, want, validate.KindFromName(name), name)
	}
	require.Equal(t, "prod.env", validate.BaseName("a/b/prod.env.encrypted"))
	require.Equal(t, ".enc", validate.BaseName(".enc"), "a name that is only a suffix is kept")
}

// TestDialectFromName: compose's own .env and .env.* files are compose
// files; a name that says encrypted is docker's, whatever comes before
// its suffix (compose never reads an encrypted file: Codeship and exec
// do, as docker does); every other env file is docker's.
func TestDialectFromName(t *testing.T) {
	for name, want := range map[string]envfile.Dialect{
		".env":                       envfile.Compose,
		"app/.env.production":        envfile.Compose,
		".ENV.local":                 envfile.Compose,
		".env.encrypted":             envfile.Docker,
		".env.local.encrypted":       envfile.Docker,
		".env.staging.enc":           envfile.Docker,
		".ENV.ENCRYPTED":             envfile.Docker,
		".env.aes":                   envfile.Docker,
		"ci/.env.codeship.encrypted": envfile.Docker,
		"env":                        envfile.Docker,
		"app.env":                    envfile.Docker,
		"prod.env.encrypted":         envfile.Docker,
		"app.env.enc":                envfile.Docker,
		".envrc":                     envfile.Docker,
		"environment":                envfile.Docker,
		"dockercfg.encrypted":        envfile.Docker,
		"secrets/env.encrypted":      envfile.Docker,
		".env.encrypted.bak":         envfile.Compose, // not named as encrypted: a .env.* file
	} {
		require.Equal(t, want, validate.DialectFromName(name), name)
	}
}

// TestAutoDialect: with AutoDialect, a compose .env is read as compose,
// app.env and every encrypted file (.env.encrypted too) as docker,
// whatever Dialect says; a plaintext file named as encrypted as well.
func TestAutoDialect(t *testing.T) {
	data := []byte("export HOST=db.internal\nURL=\"postgres://${HOST}/app\"\n")
	k := key(t, 3)
	for _, c := range []struct {
		name  string
		data  []byte
		valid bool
	}{
		{".env", data, true},
		{".env.encrypted", encrypt(t, k, crypto.V2, data), false},
		{".env.local.enc", encrypt(t, k, crypto.V1, data), false},
		{"app.env", data, false},
		{"app.env.encrypted", encrypt(t, k, crypto.V2, data), false},
	} {
		r, err := validate.File(c.name, c.data, validate.Options{AutoDialect: true, Dialect: envfile.Compose, Key: keyFunc(k)})
		require.NoError(t, err)
		require.Equal(t, c.valid, r.Valid(), "%s: %s", c.name, rendered(t, r))
		if !c.valid {
			require.Contains(t, rendered(t, r), "EV008", c.name)
		}
	}
	r := validate.Plain(".env", data, validate.Options{Dialect: envfile.Docker}, nil)
	require.False(t, r.Valid(), "without AutoDialect, Dialect rules")
	r, err := validate.File(".env.encrypted", data, validate.Options{AutoDialect: true, Key: keyFunc(k)})
	require.NoError(t, err)
	require.Contains(t, rendered(t, r), "EN001")
	require.Contains(t, rendered(t, r), "EV008", "a plaintext .env.encrypted is read as what it is named: docker's")
}

func TestDetectKind(t *testing.T) {
	require.Equal(t, validate.Dockercfg, validate.DetectKind("app.env", []byte(`{"auths":{"r.example.com":{"auth":"dTpw"}}}`)),
		"content beats the name")
	require.Equal(t, validate.Env, validate.DetectKind("settings", []byte("DB_HOST=db\nDB_PORT=5432\n")))
	require.Equal(t, validate.Env, validate.DetectKind(".env", []byte("")))
	require.Equal(t, validate.Unknown, validate.DetectKind("blob", []byte{0, 1, 2, 0xff}))
	// JSON without docker's shape is another program's file, not a
	// dockercfg, unless its name says which it is; broken JSON too.
	for name, want := range map[string]validate.Kind{"app.env": validate.Env, "x.json": validate.Unknown, "blob": validate.Unknown,
		"dockercfg": validate.Dockercfg, "prod.dockercfg.json": validate.Dockercfg, "ci/.DockerCfg": validate.Dockercfg, "Config.json": validate.Dockercfg} {
		for _, data := range []string{`{"name": "app", "version": 2}`, "\xef\xbb\xbf \n{\"a\": ", `{}`,
			`{"type": "service_account", "project_id": "p", "private_key": "****", "auth_uri": "https://accounts.google.com/o/oauth2/auth"}`} {
			require.Equal(t, want, validate.DetectKind(name, []byte(data)), "%s holding %q", name, data)
		}
	}
	// Docker's shape makes a dockercfg whatever the name, broken or not;
	// so does a *.json file that names docker's fields after a comment.
	for name, data := range map[string]string{
		"creds.json":    `{"credsStore": "desktop"}`,
		"backup":        `{"quay.io": {"auth": "dTpw", "email": "a@b.c"}}`,
		"registry.json": "// prod creds\n{\"auths\": {}}",
		"broken.json":   `{"auths": {"r.io": {"auth": "dTpw",}}}`,
	} {
		require.Equal(t, validate.Dockercfg, validate.DetectKind(name, []byte(data)), "%s holding %q", name, data)
	}
	require.Equal(t, validate.Unknown, validate.DetectKind("notes.txt", []byte("// prod creds\n{\"auths\": {}}")),
		"a comment first is a dockercfg's only when the name says JSON")
	utf16 := []byte{0xff, 0xfe}
	for _, c := range `{"auths": {}}` {
		utf16 = append(utf16, byte(c), 0)
	}
	require.Equal(t, validate.Dockercfg, validate.DetectKind("app.env", utf16), "a UTF-16 dockercfg")
}

func TestParseKind(t *testing.T) {
	for in, want := range map[string]validate.Kind{"auto": validate.Auto, "": validate.Auto, "dockercfg": validate.Dockercfg,
		"ENV": validate.Env, "dotenv": validate.Env, "envfile": validate.Env} {
		got, err := validate.ParseKind(in)
		require.NoError(t, err, in)
		require.Equal(t, want, got, in)
	}
	_, err := validate.ParseKind("yaml")
	require.EqualError(t, err, `unknown type "yaml": want dockercfg, env or auto`)
}

// TestFilePlain: plaintext is validated by kind, never decrypted.
func TestFilePlain(t *testing.T) {
	r, err := validate.File("config.json", fixture(t, "dockercfg/good_dockerhub.json"), validate.Options{})
	require.NoError(t, err)
	require.True(t, r.Valid(), rendered(t, r))
	require.Equal(t, string(validate.Dockercfg), r.Kind)
	require.False(t, r.Encrypted)

	r, err = validate.File("config.json", fixture(t, "dockercfg/good_auth_mismatch_warn.json"), validate.Options{})
	require.NoError(t, err)
	require.True(t, r.Valid(), "DC014 is a warning: docker uses auth")
	require.Contains(t, codes(r), "DC014")
	require.NotContains(t, rendered(t, r), "other-mismatch-pass", "the password is masked")
}

// TestFileEncrypted decrypts in memory and validates the content, for
// both versions; the report says it was encrypted and with what version.
func TestFileEncrypted(t *testing.T) {
	k := key(t, 2)
	for _, v := range []crypto.Version{crypto.V1, crypto.V2} {
		for _, c := range []struct {
			name, fixture string
			kind          validate.Kind
			valid         bool
			code          string
		}{
			{"dockercfg.encrypted", "dockercfg/good_dockerhub.json", validate.Dockercfg, true, ""},
			{"dockercfg.encrypted", "dockercfg/good_auth_mismatch_warn.json", validate.Dockercfg, true, "DC014"},
			{"prod.env.encrypted", "envfile/ok_rails.env", validate.Env, true, ""},
		} {
			plain := fixture(t, c.fixture)
			r, err := validate.File(c.name, encrypt(t, k, v, plain), validate.Options{Key: keyFunc(k)})
			require.NoError(t, err)
			require.True(t, r.Encrypted, "%v %s", v, c.fixture)
			require.Equal(t, int(v), r.Version)
			require.Equal(t, c.name, r.File)
			require.Equal(t, string(c.kind), r.Kind)
			require.Equal(t, c.valid, r.Valid(), rendered(t, r))
			if c.code != "" {
				require.Contains(t, codes(r), c.code)
				require.NotContains(t, rendered(t, r), "other-mismatch-pass", "no secret in the report")
			}
		}
	}
}

// TestFileEnvelopeErrors: each way an encrypted file cannot be decrypted
// has its own code, and messages name keys by fingerprint only.
func TestFileEnvelopeErrors(t *testing.T) {
	right, wrong := key(t, 3), key(t, 4)
	plain := fixture(t, "dockercfg/good_dockerhub.json")
	v2 := encrypt(t, right, crypto.V2, plain)
	corrupt := bytes.Clone(v2)
	corrupt[len(corrupt)-10] ^= 0x01 // a checksum mismatch, or invalid base64
	for _, c := range []struct {
		name string
		data []byte
		key  *crypto.Key
		code string
	}{
		{"wrong key v2", v2, wrong, validate.CodeWrongKey},
		{"future version", []byte("codeship:v9\nAAAAAAAAAAAAAAAAAAAAAAAA"), right, validate.CodeVersion},
		{"short", []byte("codeship:v2\nAAAA"), right, validate.CodeNotEncrypted},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := validate.File("blob.encrypted", c.data, validate.Options{Key: keyFunc(c.key)})
			require.NoError(t, err)
			require.False(t, r.Valid())
			require.Equal(t, []string{c.code}, codes(r))
			out := rendered(t, r)
			require.NotContains(t, out, strings.TrimSpace(string(c.key.Encode())))
			for _, secret := range []string{"b2N0b2NhdDpkY2tyX3BhdF9GYWtlNEh1YjlUb2tlbg==", "dckr_pat_Fake4Hub9Token", "index.docker.io"} {
				require.NotContains(t, out, secret, "no plaintext in the report")
			}
			if c.code == validate.CodeWrongKey {
				require.Contains(t, out, c.key.Fingerprint())
				require.True(t, r.WrongKey())
			}
		})
	}

	// A v1 file under the wrong key decrypts to random bytes. What they
	// are taken for varies with the IV (EN005 when nothing, EV001 when the
	// bytes pass for an env file, …), but every time the report fails,
	// blames the key and names it by fingerprint.
	for i := range 50 {
		r, err := validate.File("blob.encrypted", encrypt(t, right, crypto.V1, plain), validate.Options{Key: keyFunc(wrong)})
		require.NoError(t, err)
		require.False(t, r.Valid(), "try %d", i)
		require.True(t, r.WrongKey(), "try %d: %v", i, codes(r))
		out := rendered(t, r)
		require.Contains(t, out, wrong.Fingerprint(), "try %d", i)
		require.NotContains(t, out, "dckr_pat_Fake4Hub9Token")
	}

	r, err := validate.File("blob.encrypted", corrupt, validate.Options{Key: keyFunc(right)})
	require.NoError(t, err)
	require.False(t, r.Valid())
	require.Subset(t, []string{validate.CodeChecksum, validate.CodeNotEncrypted}, codes(r))
}

// TestFileWithoutKey: without a key the envelope is still checked, the
// content is not; NoKeyIsError makes that an error; other key errors are
// always returned.
func TestFileWithoutKey(t *testing.T) {
	k := key(t, 5)
	data := encrypt(t, k, crypto.V2, []byte("A=1\n"))
	noKey := func() (*crypto.Key, error) { return nil, projectkey.ErrNoKey }

	r, err := validate.File("x.env.encrypted", data, validate.Options{Key: noKey})
	require.NoError(t, err)
	require.True(t, r.Valid())
	require.Equal(t, 2, r.Version)
	require.Contains(t, strings.Join(r.Notes, "\n"), "content not checked: no key")
	require.Contains(t, strings.Join(r.Notes, "\n"), "4 bytes of plaintext")

	_, err = validate.File("x.env.encrypted", data, validate.Options{Key: noKey, NoKeyIsError: true})
	require.ErrorIs(t, err, projectkey.ErrNoKey)

	bad := errors.New("key file unreadable")
	_, err = validate.File("x.env.encrypted", data, validate.Options{Key: func() (*crypto.Key, error) { return nil, bad }})
	require.ErrorIs(t, err, bad)

	// A broken envelope is reported even without a key.
	r, err = validate.File("x.encrypted", []byte("codeship:v2\n!!!!"), validate.Options{})
	require.NoError(t, err)
	require.Equal(t, []string{validate.CodeNotEncrypted}, codes(r))
}

func TestStrictPromotesWarnings(t *testing.T) {
	data := fixture(t, "dockercfg/good_unknown_fields_warn.json")
	r, err := validate.File("config.json", data, validate.Options{})
	require.NoError(t, err)
	require.True(t, r.Valid())
	_, warnings := r.Count()
	require.Positive(t, warnings)

	r, err = validate.File("config.json", data, validate.Options{Strict: true})
	require.NoError(t, err)
	require.False(t, r.Valid(), "--strict makes warnings errors")
}

func TestDecrypt(t *testing.T) {
	k := key(t, 6)
	for _, v := range []crypto.Version{crypto.V1, crypto.V2} {
		got, gotV, err := validate.Decrypt(encrypt(t, k, v, []byte("A=1\n")), k)
		require.NoError(t, err)
		require.Equal(t, v, gotV)
		require.Equal(t, "A=1\n", string(got))
	}
	_, _, err := validate.Decrypt(encrypt(t, k, crypto.V2, []byte("A=1\n")), key(t, 7))
	require.ErrorIs(t, err, crypto.ErrWrongKey)
}

// TestFileV2ContentIsNotWrongKey: a v2 file whose checksum matched was
// decrypted with the right key, so content that is not text or not JSON is
// invalid content (exit 5), not a wrong key (exit 4). A v1 file has no
// checksum: there, decrypted content that does not start like JSON is
// reported as a wrong key (Latin-1 text still reads as Latin-1).
func TestFileV2ContentIsNotWrongKey(t *testing.T) {
	k := key(t, 8)
	for _, c := range []struct {
		name  string
		plain []byte
		code  string
	}{
		{"prod.env.encrypted", []byte("DB_PASSWORD=caf\xe9-latin1-secret\n"), "EV001"},
		{"dockercfg.encrypted", []byte("DB_PASSWORD=not-json-secret\n"), ""},
	} {
		r, err := validate.File(c.name, encrypt(t, k, crypto.V2, c.plain), validate.Options{Key: keyFunc(k)})
		require.NoError(t, err)
		require.False(t, r.Valid(), rendered(t, r))
		require.False(t, r.WrongKey(), "v2 %s: %s", c.name, rendered(t, r))
		require.NotContains(t, rendered(t, r), "wrong key")
		if c.code != "" {
			require.Contains(t, codes(r), c.code)
		}

		if c.code == "" {
			r, err = validate.File(c.name, encrypt(t, k, crypto.V1, c.plain), validate.Options{Key: keyFunc(k)})
			require.NoError(t, err)
			require.True(t, r.WrongKey(), "v1 %s: %s", c.name, rendered(t, r))
			require.Contains(t, rendered(t, r), k.Fingerprint())
		}
	}
}

// TestFileKindOverride: Options.Kind (--type) beats detection by name and
// content, for plain and encrypted files.
func TestFileKindOverride(t *testing.T) {
	k := key(t, 9)
	env := []byte("A=1\nB=2\n")
	r, err := validate.File("config.json", env, validate.Options{})
	require.NoError(t, err)
	require.Equal(t, string(validate.Dockercfg), r.Kind, "by name")
	r, err = validate.File("config.json", env, validate.Options{Kind: validate.Env})
	require.NoError(t, err)
	require.Equal(t, string(validate.Env), r.Kind)
	require.True(t, r.Valid(), rendered(t, r))

	r, err = validate.File("blob.encrypted", encrypt(t, k, crypto.V2, env), validate.Options{Kind: validate.Dockercfg, Key: keyFunc(k)})
	require.NoError(t, err)
	require.Equal(t, string(validate.Dockercfg), r.Kind)
	require.False(t, r.Valid())
	require.NotContains(t, rendered(t, r), "A=1", "the decrypted content is not shown")
}

// TestExplicitFiles checks what a file named to be validated gets when its
// kind cannot be told from its name: a *.json file is a dockercfg when it
// names docker's fields, even behind a comment; another program's JSON and
// other files are skipped, or with Strict an error; never "valid".
func TestExplicitFiles(t *testing.T) {
	k := key(t, 7)
	commented := []byte("// prod creds\n{\"auths\":{\"r.io\":{\"auth\":\"dXNlcjpzM2NyM3Rz\"}}}")
	gcp := []byte(`{"type": "service_account", "private_key": "dXNlcjpzM2NyM3Rz", "client_email": "ci@p.iam.gserviceaccount.com"}`)
	explicit := validate.Options{Explicit: true, Key: keyFunc(k)}
	for _, c := range []struct {
		name  string
		data  []byte
		opts  validate.Options
		kind  validate.Kind
		codes []string
	}{
		{"registry.json", commented, explicit, validate.Dockercfg, []string{"DC001"}},
		{"registry.json.encrypted", encrypt(t, k, crypto.V2, commented), explicit, validate.Dockercfg, []string{"DC001"}},
		{"Config.JSON", []byte("  \n"), explicit, validate.Dockercfg, []string{"DC004"}},
		{"empty.json", nil, explicit, validate.Unknown, nil},
		{"gcloud-service-key.json", gcp, explicit, validate.Unknown, nil},
		{"gcloud-service-key.json.encrypted", encrypt(t, k, crypto.V2, gcp), explicit, validate.Unknown, nil},
		{"gcloud-service-key.json", gcp, validate.Options{Explicit: true, Kind: validate.Dockercfg}, validate.Dockercfg, []string{"DC010"}},
		{"empty.env", nil, explicit, validate.Env, nil},
		{"blob", nil, explicit, validate.Unknown, nil},
		{"notes.txt", []byte("\x00\x01"), explicit, validate.Unknown, nil},
		{"blob", nil, validate.Options{Explicit: true, Strict: true}, validate.Unknown, []string{validate.CodeUnknownContent}},
		{"package.json", []byte(`{"name": "app"}`), validate.Options{Explicit: true, Strict: true}, validate.Unknown, []string{validate.CodeUnknownContent}},
		// Met among other files (check, encrypt), strict or not, a file
		// of no known kind is not an error.
		{"registry.json", commented, validate.Options{}, validate.Dockercfg, []string{"DC001"}},
		{"gcloud-service-key.json", gcp, validate.Options{Strict: true}, validate.Unknown, nil},
		{"blob", nil, validate.Options{Strict: true}, validate.Unknown, nil},
	} {
		r, err := validate.File(c.name, c.data, c.opts)
		require.NoError(t, err)
		require.Equal(t, string(c.kind), r.Kind, c.name)
		require.Equal(t, c.codes, codes(r), c.name)
		require.Equal(t, c.kind == validate.Unknown && c.codes == nil, validate.Skipped(r), c.name)
		require.NotContains(t, rendered(t, r), "dXNlcjpzM2NyM3Rz", c.name)
	}
	r, err := validate.File("blob", nil, validate.Options{Explicit: true, Strict: true})
	require.NoError(t, err)
	require.False(t, r.Valid())
	require.Contains(t, rendered(t, r), "blob: error EN006: neither a dockercfg nor an env file: nothing was validated\n  hint: say which it is with --type")
}

func TestUnreadable(t *testing.T) {
	dir := t.TempDir()
	_, missing := os.ReadFile(filepath.Join(dir, "missing.json"))
	_, isDir := os.ReadFile(dir)
	for _, c := range []struct {
		err  error
		want string
	}{
		{missing, "missing.json: error EN007: cannot read: no such file\n  hint: check the name\n"},
		{isDir, "missing.json: error EN007: cannot read: it is a directory\n"},
		{&os.PathError{Op: "read", Path: "missing.json", Err: errors.New("input/output error")}, "missing.json: error EN007: cannot read: input/output error\n"},
	} {
		r := validate.Unreadable("missing.json", c.err)
		require.False(t, r.Valid())
		require.False(t, r.WrongKey())
		require.False(t, validate.Skipped(r))
		require.Contains(t, rendered(t, r), c.want)
	}
}

func TestKeyFileReport(t *testing.T) {
	r := (&validate.KeyFileError{Name: "codeship.aes", Project: true}).Report("validate the files encrypted with it")
	require.False(t, r.Valid())
	require.Equal(t, "codeship.aes: error EN008: this is the project key, not an encrypted file or secret; nothing to validate\n"+
		"  hint: validate the files encrypted with it\n", func() string {
		var b bytes.Buffer
		require.NoError(t, diag.WriteText(&b, []*diag.Report{r}))
		return b.String()
	}())
}

func TestNamedEncryptedButNot(t *testing.T) {
	for _, c := range []struct {
		name  string
		data  string
		empty bool
	}{
		{"env.encrypted", "DB_PASSWORD=hunter2\n", false},
		{"dockercfg.ENCRYPTED", `{"auths":{"r.io":{"auth":"dXNlcjpzM2NyM3Rz"}}}`, false},
		{"secret.enc", "hunter2\n", false},
		{"blob.aes", "hunter2 hunter2\n", false},
		{".env.encrypted", "", true},
		{"prod.env.encrypted", " \n\n", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.True(t, validate.NamedEncrypted(c.name))
			err := validate.CheckNamed(c.name, []byte(c.data))
			var ne *validate.NotEncryptedError
			require.ErrorAs(t, err, &ne)
			require.Equal(t, c.empty, ne.Empty)
			require.ErrorIs(t, err, crypto.ErrNotEncrypted)

			r, err := validate.File(c.name, []byte(c.data), validate.Options{Explicit: true})
			require.NoError(t, err)
			require.False(t, r.Valid())
			require.True(t, r.WrongKey(), "exit 4, as decrypt's")
			require.Equal(t, validate.CodeNotEncrypted, codes(r)[0])
			require.False(t, r.Encrypted)
			out := rendered(t, r)
			require.NotContains(t, out, "hunter2")
			require.NotContains(t, out, "dXNlcjpzM2NyM3Rz")
		})
	}
	// Not named as encrypted, or encrypted: no such error.
	for _, name := range []string{"env", "encrypted", ".encrypted", "x.encrypted.bak", "notes.txt"} {
		require.False(t, validate.NamedEncrypted(name), name)
		require.NoError(t, validate.CheckNamed(name, []byte("A=1\n")), name)
	}
	k := key(t, 3)
	require.NoError(t, validate.CheckNamed("env.encrypted", encrypt(t, k, crypto.V2, []byte("A=1\n"))))
	require.NoError(t, validate.CheckNamed("env.encrypted", encrypt(t, k, crypto.V1, nil)))
}

func TestAuthConfigInEnvFile(t *testing.T) {
	for _, c := range []struct {
		name    string
		data    string
		dialect envfile.Dialect
		want    []string // code@line:column
	}{
		{"brace short", "A=1\nDOCKER_AUTH_CONFIG={\"auths\":{\"r.io\":{\"auth\":\"dXNlcjpzM2NyM3Rz\"}}\n", envfile.Docker, []string{"DC001@2:65"}},
		{"bad auth, quoted", "DOCKER_AUTH_CONFIG='{\"auths\":{\"r.io\":{\"auth\":\"dXNlcjpzM2NyM3R\"}}}'\n", envfile.Compose, []string{"DC011@1:46"}},
		// Escapes change the value: the finding is at its start.
		{"escaped", "DOCKER_AUTH_CONFIG=\"{\\\"auths\\\":{\\\"r.io\\\":{\\\"auth\\\":\\\"dXNlcjpzM2NyM3R\\\"}}}\"\n", envfile.Compose, []string{"DC011@1:21"}},
		{"good", "DOCKER_AUTH_CONFIG={\"auths\":{\"r.io\":{\"auth\":\"dXNlcjpzM2NyM3Rz\"}}}\n", envfile.Docker, nil},
		{"empty", "DOCKER_AUTH_CONFIG=\n", envfile.Docker, nil},
		{"inherited", "DOCKER_AUTH_CONFIG\n", envfile.Docker, nil},
		{"other variable", "AUTH={\n", envfile.Docker, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := validate.Plain("generator.env", []byte(c.data), validate.Options{Kind: validate.Env, Dialect: c.dialect}, nil)
			var got []string
			for _, d := range r.Diagnostics {
				if strings.HasPrefix(d.Code, "DC") {
					got = append(got, d.Code+"@"+d.Pos.String())
					require.Contains(t, d.Message, "DOCKER_AUTH_CONFIG: ")
				}
			}
			require.Equal(t, c.want, got)
			require.Equal(t, c.want == nil, r.Valid())
			out := rendered(t, r)
			for _, secret := range []string{"dXNlcjpzM2NyM3R", "s3cr3t"} {
				require.NotContains(t, out, secret)
			}
			if c.name == "escaped" {
				require.Contains(t, out, "(at line 1, column ")
			}
		})
	}
}
