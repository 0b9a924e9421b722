package credhelper_test

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker-credential-helpers/credentials"

	"github.com/shipseal/shipseal/credhelper"
	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/projectkey"
)

// fixture is a helper over a store in a temporary directory, with its key
// in a file.
type fixture struct {
	t       testing.TB
	dir     string
	key     *crypto.Key
	keyPath string
	h       *credhelper.Helper
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	dir := t.TempDir()
	key, err := crypto.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	keyPath := filepath.Join(dir, "codeship.aes")
	if err := os.WriteFile(keyPath, key.Encode(), 0o600); err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, dir: dir, key: key, keyPath: keyPath}
	f.h = &credhelper.Helper{
		Path: filepath.Join(dir, "store", "dockercfg.encrypted"),
		Keys: projectkey.Finder{Path: keyPath},
	}
	return f
}

// seal writes plain as the store, encrypted in format v.
func (f *fixture) seal(plain string, v crypto.Version) {
	f.t.Helper()
	if err := os.MkdirAll(filepath.Dir(f.h.Path), 0o700); err != nil {
		f.t.Fatal(err)
	}
	var b bytes.Buffer
	if err := crypto.Encrypt(&b, strings.NewReader(plain), f.key, crypto.WriteOptions{Version: v}); err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(f.h.Path, b.Bytes(), 0o600); err != nil {
		f.t.Fatal(err)
	}
}

// open decrypts the store.
func (f *fixture) open() (string, crypto.Version) {
	f.t.Helper()
	data, err := os.ReadFile(f.h.Path)
	if err != nil {
		f.t.Fatal(err)
	}
	r, err := crypto.NewReader(bytes.NewReader(data), f.key)
	if err != nil {
		f.t.Fatal(err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		f.t.Fatal(err)
	}
	return string(plain), r.Version()
}

func (f *fixture) get(server string) (user, secret string) {
	f.t.Helper()
	user, secret, err := f.h.Get(server)
	if err != nil {
		f.t.Fatalf("get %s: %v", server, err)
	}
	return user, secret
}

func (f *fixture) add(server, user, secret string) {
	f.t.Helper()
	if err := f.h.Add(&credentials.Credentials{ServerURL: server, Username: user, Secret: secret}); err != nil {
		f.t.Fatalf("store %s: %v", server, err)
	}
}

func TestStoreCreatesTheStore(t *testing.T) {
	f := newFixture(t)
	f.add("127.0.0.1:5000", "robot", "s3cret")

	info, err := os.Stat(f.h.Path)
	if err != nil {
		t.Fatal(err)
	}
	if m := info.Mode().Perm(); m != 0o600 {
		t.Errorf("store mode %v, want 0600", m)
	}
	dinfo, err := os.Stat(filepath.Dir(f.h.Path))
	if err != nil {
		t.Fatal(err)
	}
	if m := dinfo.Mode().Perm(); m != 0o700 {
		t.Errorf("store directory mode %v, want 0700", m)
	}
	raw, _ := os.ReadFile(f.h.Path)
	if bytes.Contains(raw, []byte("s3cret")) || bytes.Contains(raw, []byte("robot")) {
		t.Error("the store holds the credentials in plain text")
	}
	plain, v := f.open()
	if v != crypto.V2 {
		t.Errorf("new store is %v, want v2", v)
	}
	want := "{\n\t\"auths\": {\n\t\t\"127.0.0.1:5000\": {\n\t\t\t\"auth\": \"" +
		base64Of("robot:s3cret") + "\"\n\t\t}\n\t}\n}\n"
	if plain != want {
		t.Errorf("decrypted store:\n%s\nwant:\n%s", plain, want)
	}
	if user, secret := f.get("127.0.0.1:5000"); user != "robot" || secret != "s3cret" {
		t.Errorf("get = %q, %q", user, secret)
	}
	entries, err := os.ReadDir(filepath.Dir(f.h.Path))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("store directory holds %d files, want only the store: %v", len(entries), entries)
	}
}

func TestStoreKeepsVersionModeAndOtherEntries(t *testing.T) {
	const before = `{
  "auths": {
    "b.example.com": {"auth": "Ym9iOnB3LWI=", "serveraddress": "https://b.example.com"},
    "a.example.com": {
      "username": "alice",
      "password": "pw-a"
    }
  },
  "psFormat": "table {{.ID}}",
  "credHelpers": {"gcr.io": "gcloud"}
}
`
	for _, v := range []crypto.Version{crypto.V1, crypto.V2} {
		t.Run(v.String(), func(t *testing.T) {
			f := newFixture(t)
			f.seal(before, v)
			if err := os.Chmod(f.h.Path, 0o640); err != nil {
				t.Fatal(err)
			}
			f.add("new.example.com:5000", "nora", "pw-n")
			plain, got := f.open()
			if got != v {
				t.Errorf("store became %v, want %v", got, v)
			}
			want := strings.Replace(before, `"pw-a"
    }
`, `"pw-a"
    },
    "new.example.com:5000": {
      "auth": "`+base64Of("nora:pw-n")+`"
    }
`, 1)
			if plain != want {
				t.Errorf("decrypted store:\n%s\nwant:\n%s", plain, want)
			}
			if info, _ := os.Stat(f.h.Path); info.Mode().Perm() != 0o640 {
				t.Errorf("store mode %v, want 0640 kept", info.Mode().Perm())
			}
			if user, secret := f.get("a.example.com"); user != "alice" || secret != "pw-a" {
				t.Errorf("a.example.com = %q, %q", user, secret)
			}
		})
	}
}

func TestGetMatchesAsDockerDoes(t *testing.T) {
	f := newFixture(t)
	f.seal(`{"auths": {
	"https://index.docker.io/v1/": {"auth": "`+base64Of("hubuser:hubpw")+`"},
	"Registry.Example.com:5000": {"auth": "`+base64Of("reguser:regpw")+`"},
	"quay.io": {"identitytoken": "tok-123"}
}}`, crypto.V2)
	for server, want := range map[string][2]string{
		"docker.io":                                 {"hubuser", "hubpw"},
		"index.docker.io":                           {"hubuser", "hubpw"},
		"https://index.docker.io/v1/":               {"hubuser", "hubpw"},
		"registry.example.com:5000":                 {"reguser", "regpw"},
		"https://registry.example.com:5000/v2/":     {"reguser", "regpw"},
		"http://REGISTRY.example.com:5000":          {"reguser", "regpw"},
		"quay.io":                                   {"<token>", "tok-123"},
		"registry.example.com:5000/some/repository": {"reguser", "regpw"},
	} {
		if user, secret := f.get(server); user != want[0] || secret != want[1] {
			t.Errorf("get %s = %q, %q; want %q, %q", server, user, secret, want[0], want[1])
		}
	}
	for _, server := range []string{"registry.example.com", "example.com:5000", "ghcr.io"} {
		if _, _, err := f.h.Get(server); !credentials.IsErrCredentialsNotFound(err) {
			t.Errorf("get %s: err = %v, want credentials not found", server, err)
		}
	}
	list, err := f.h.List()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"https://index.docker.io/v1/": "hubuser", "Registry.Example.com:5000": "reguser", "quay.io": "<token>"}
	if fmt.Sprint(list) != fmt.Sprint(want) {
		t.Errorf("list = %v, want %v", list, want)
	}
}

func TestMissingStoreIsEmpty(t *testing.T) {
	f := newFixture(t)
	// No key is needed to learn that there is nothing stored.
	f.h.Keys = projectkey.Finder{Path: filepath.Join(f.dir, "no-such-key")}
	if _, _, err := f.h.Get("127.0.0.1:5000"); !credentials.IsErrCredentialsNotFound(err) {
		t.Errorf("get: err = %v, want credentials not found", err)
	}
	if list, err := f.h.List(); err != nil || len(list) != 0 {
		t.Errorf("list = %v, %v; want empty", list, err)
	}
	if err := f.h.Delete("127.0.0.1:5000"); !credentials.IsErrCredentialsNotFound(err) {
		t.Errorf("erase: err = %v, want credentials not found", err)
	}
	if _, err := os.Stat(filepath.Dir(f.h.Path)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("erase created the store's directory: %v", err)
	}
}

func TestIdentityToken(t *testing.T) {
	f := newFixture(t)
	f.add("quay.io", "<token>", "refresh-token-1")
	plain, _ := f.open()
	if !strings.Contains(plain, `"identitytoken": "refresh-token-1"`) || strings.Contains(plain, `"auth"`) {
		t.Errorf("an identity token is stored as:\n%s", plain)
	}
	if user, secret := f.get("quay.io"); user != "<token>" || secret != "refresh-token-1" {
		t.Errorf("get = %q, %q", user, secret)
	}
}

func TestStoreReplacesAndKeepsEmail(t *testing.T) {
	f := newFixture(t)
	f.seal("{\n  \"a.example.com\": {\"auth\": \""+base64Of("alice:old")+"\", \"email\": \"a@example.com\"}\n}\n", crypto.V1)
	f.add("https://a.example.com", "alice", "new")
	plain, v := f.open()
	want := "{\n  \"a.example.com\": {\"auth\":\"" + base64Of("alice:new") + "\",\"email\":\"a@example.com\"}\n}\n"
	if plain != want || v != crypto.V1 {
		t.Errorf("decrypted %v store:\n%s\nwant v1:\n%s", v, plain, want)
	}
}

func TestErase(t *testing.T) {
	f := newFixture(t)
	f.add("a.example.com", "alice", "pw-a")
	f.add("b.example.com", "bob", "pw-b")
	if err := f.h.Delete("https://A.example.com/"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.h.Get("a.example.com"); !credentials.IsErrCredentialsNotFound(err) {
		t.Errorf("get after erase: err = %v, want credentials not found", err)
	}
	if user, _ := f.get("b.example.com"); user != "bob" {
		t.Errorf("b.example.com lost: %q", user)
	}
	before, _ := os.ReadFile(f.h.Path)
	if err := f.h.Delete("a.example.com"); !credentials.IsErrCredentialsNotFound(err) {
		t.Errorf("second erase: err = %v, want credentials not found", err)
	}
	if after, _ := os.ReadFile(f.h.Path); !bytes.Equal(before, after) {
		t.Error("erasing an unknown registry rewrote the store")
	}
	if err := f.h.Delete("b.example.com"); err != nil {
		t.Fatal(err)
	}
	if list, err := f.h.List(); err != nil || len(list) != 0 {
		t.Errorf("list after erasing everything = %v, %v", list, err)
	}
	f.add("c.example.com", "carol", "pw-c")
	if user, _ := f.get("c.example.com"); user != "carol" {
		t.Errorf("store into an emptied store: %q", user)
	}
}

// A store that docker itself would read serves every registry, even with
// an entry that shipseal validate faults: a username beside auth that
// disagrees with it (docker uses auth), an auth with an empty password.
func TestServesAStoreDockerReads(t *testing.T) {
	f := newFixture(t)
	f.seal(`{"auths": {
		"a.example.com": {"auth": "`+base64Of("alice:pw-a")+`", "username": "old-alice"},
		"b.example.com": {"auth": "`+base64Of("bob:")+`"},
		"c.example.com": {"auth": "`+base64Of("carol:pw-c")+`"}
	}}`, crypto.V2)
	if user, secret := f.get("a.example.com"); user != "alice" || secret != "pw-a" {
		t.Errorf("get a.example.com = %q, %q; want auth's alice, pw-a, as docker uses", user, secret)
	}
	if _, _, err := f.h.Get("b.example.com"); !credentials.IsErrCredentialsNotFound(err) {
		t.Errorf("get b.example.com (empty password): err = %v, want credentials not found", err)
	}
	if user, _ := f.get("c.example.com"); user != "carol" {
		t.Errorf("get c.example.com = %q", user)
	}
	if list, err := f.h.List(); err != nil || fmt.Sprint(list) != fmt.Sprint(map[string]string{"a.example.com": "alice", "c.example.com": "carol"}) {
		t.Errorf("list = %v, %v", list, err)
	}
	f.add("b.example.com", "bob", "pw-b")
	if user, secret := f.get("b.example.com"); user != "bob" || secret != "pw-b" {
		t.Errorf("get b.example.com after store = %q, %q", user, secret)
	}
	if err := f.h.Delete("c.example.com"); err != nil {
		t.Errorf("erase c.example.com: %v", err)
	}
	if plain, _ := f.open(); !strings.Contains(plain, `"username": "old-alice"`) {
		t.Errorf("the other entries were changed:\n%s", plain)
	}
}

func TestStoreRefusesWhatCannotBeRead(t *testing.T) {
	f := newFixture(t)
	for _, c := range []credentials.Credentials{
		{ServerURL: "a.example.com", Username: "alice", Secret: ""},
		{ServerURL: "a.example.com", Username: "al:ice", Secret: "pw"},
		{ServerURL: "a.example.com", Username: "", Secret: "pw"},
		{ServerURL: "", Username: "alice", Secret: "pw"},
		{ServerURL: "not a host name", Username: "alice", Secret: "pw"},
	} {
		if err := f.h.Add(&c); err == nil {
			t.Errorf("store %+v succeeded", c)
		} else if strings.Contains(err.Error(), "pw") && c.Secret != "" {
			t.Errorf("store %+v: the error shows the password: %v", c, err)
		}
	}
	if _, err := os.Stat(f.h.Path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused store left a file: %v", err)
	}
}

// Errors reach docker as one line, which must say what to do and must not
// hold a secret.
func TestErrorsAreOneLineWithoutSecrets(t *testing.T) {
	const secret = "hunter2-very-secret"
	good := `{"auths": {"a.example.com": {"auth": "` + base64Of("alice:"+secret) + `"}}}`
	other, err := crypto.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		setup func(f *fixture)
		want  string
	}{
		{"no key", func(f *fixture) {
			f.seal(good, crypto.V2)
			f.h.Keys = projectkey.Finder{Dir: f.dir, LookupEnv: func(string) (string, bool) { return "", false }}
			os.Remove(f.keyPath)
		}, "no key found"},
		{"malformed key", func(f *fixture) {
			f.seal(good, crypto.V2)
			os.WriteFile(f.keyPath, []byte("not a key\n"), 0o600)
		}, "invalid key"},
		{"wrong key v2", func(f *fixture) {
			f.seal(good, crypto.V2)
			os.WriteFile(f.keyPath, other.Encode(), 0o600)
		}, "cannot decrypt the credential store"},
		{"wrong key v1", func(f *fixture) {
			f.seal(good, crypto.V1)
			os.WriteFile(f.keyPath, other.Encode(), 0o600)
		}, "cannot decrypt the credential store"},
		{"not encrypted", func(f *fixture) {
			f.seal(good, crypto.V2)
			os.WriteFile(f.h.Path, []byte(good), 0o600)
		}, "is damaged"},
		{"truncated", func(f *fixture) {
			f.seal(good, crypto.V2)
			// The last 4 base64 characters: still base64, 3 bytes short.
			data, _ := os.ReadFile(f.h.Path)
			data = bytes.TrimSpace(data)
			os.WriteFile(f.h.Path, data[:len(data)-4], 0o600)
		}, "the file is damaged"},
		{"damaged checksum", func(f *fixture) {
			// A v2 file damaged in its encrypted checksum reads as a
			// wrong key: the message says what to do in both cases.
			f.seal(good, crypto.V2)
			data, _ := os.ReadFile(f.h.Path)
			i := len("codeship:v2\n") + 8
			if data[i] == 'A' {
				data[i] = 'B'
			} else {
				data[i] = 'A'
			}
			os.WriteFile(f.h.Path, data, 0o600)
		}, "the key does not decrypt this file (key " + "%FP%" + "): it was encrypted with another key; " +
			"point $SHIPSEAL_KEY_PATH at the key it was encrypted with (if it is that key, the file is damaged: restore it)"},
		{"garbled", func(f *fixture) {
			f.seal(good, crypto.V2)
			data, _ := os.ReadFile(f.h.Path)
			os.WriteFile(f.h.Path, append(data[:len(data)/2], '%'), 0o600)
		}, "is damaged"},
		{"a directory", func(f *fixture) {
			os.MkdirAll(f.h.Path, 0o700)
		}, "is a directory; the store is a file: set $SHIPSEAL_DOCKERCFG to a file's path, or move the directory away"},
		{"not a dockercfg", func(f *fixture) {
			f.seal("{\"auths\": {\"a.example.com\": {\"auth\": \""+base64Of("alice:"+secret)+"\"},\n\"b.example.com\": {\"auth\": \"%%"+secret+"\"}}}", crypto.V2)
		}, "DC011"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			c.setup(f)
			keyText, _ := os.ReadFile(f.keyPath)
			for op, call := range map[string]func() error{
				"get":  func() error { _, _, err := f.h.Get("a.example.com"); return err },
				"list": func() error { _, err := f.h.List(); return err },
				"store": func() error {
					return f.h.Add(&credentials.Credentials{ServerURL: "c.example.com", Username: "c", Secret: "pw-c"})
				},
				"erase": func() error { return f.h.Delete("a.example.com") },
			} {
				err := call()
				if err == nil {
					t.Errorf("%s succeeded", op)
					continue
				}
				msg := err.Error()
				if want := strings.ReplaceAll(c.want, "%FP%", f.key.Fingerprint()); !strings.Contains(msg, want) {
					t.Errorf("%s: %q does not say %q", op, msg, want)
				}
				if strings.ContainsAny(msg, "\r\n") {
					t.Errorf("%s: error is more than one line: %q", op, msg)
				}
				for _, s := range []string{secret, base64Of("alice:" + secret), strings.TrimSpace(string(keyText)), string(f.key.Encode())} {
					if s != "" && strings.Contains(msg, s) {
						t.Errorf("%s: error shows a secret: %q", op, msg)
					}
				}
			}
		})
	}
}

// The helper is a program without flags: with no key anywhere, its error
// names only the places it consulted and how to give it a key.
func TestNoKeyMessage(t *testing.T) {
	f := newFixture(t)
	f.seal(`{"auths": {}}`, crypto.V2)
	os.Remove(f.keyPath)
	f.h.Keys = projectkey.Finder{Dir: f.dir, LookupEnv: func(string) (string, bool) { return "", false }}
	_, err := f.h.List()
	if !errors.Is(err, projectkey.ErrNoKey) {
		t.Fatalf("List: %v, want no key", err)
	}
	want := "no key found: looked for $SHIPSEAL_KEY, $SHIPSEAL_KEY_PATH, " + f.keyPath +
		"; set $SHIPSEAL_KEY_PATH (a key file) or $SHIPSEAL_KEY (the base64 key) in the environment docker runs in"
	if !strings.HasSuffix(err.Error(), want) {
		t.Errorf("List: %q does not end with %q", err, want)
	}
}

// The key's text in $SHIPSEAL_KEY_PATH (for $SHIPSEAL_KEY) is named by
// its fingerprint, in every operation's error, never shown.
func TestKeyInKeyPathVariable(t *testing.T) {
	f := newFixture(t)
	f.seal(`{"auths": {}}`, crypto.V2)
	text := strings.TrimSpace(string(f.key.Encode()))
	f.h.Keys = projectkey.Finder{Dir: t.TempDir(), LookupEnv: func(name string) (string, bool) {
		if name == projectkey.EnvKeyPath {
			return text, true
		}
		return "", false
	}}
	_, listErr := f.h.List()
	_, _, getErr := f.h.Get("registry.example.com")
	storeErr := f.h.Add(&credentials.Credentials{ServerURL: "registry.example.com", Username: "u", Secret: "p"})
	eraseErr := f.h.Delete("registry.example.com")
	for op, err := range map[string]error{"list": listErr, "get": getErr, "store": storeErr, "erase": eraseErr} {
		if !errors.Is(err, projectkey.ErrKeyNotPath) {
			t.Fatalf("%s: %v, want the error about a key in $SHIPSEAL_KEY_PATH", op, err)
		}
		want := "$SHIPSEAL_KEY_PATH holds a key (key " + f.key.Fingerprint() + "), not a path: " +
			"set $SHIPSEAL_KEY to the key instead, or $SHIPSEAL_KEY_PATH to its file's path"
		if !strings.HasSuffix(err.Error(), want) {
			t.Errorf("%s: %q does not end with %q", op, err, want)
		}
		for i := 0; i+8 <= len(text); i++ {
			if strings.Contains(err.Error(), text[i:i+8]) {
				t.Fatalf("%s: the error shows the key: %q", op, err)
			}
		}
	}
}

func TestConcurrentStoresAreAllKept(t *testing.T) {
	f := newFixture(t)
	const n = 12
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each store is its own Helper, as each docker login runs its
			// own process.
			h := *f.h
			err := h.Add(&credentials.Credentials{ServerURL: fmt.Sprintf("r%d.example.com", i), Username: "u", Secret: fmt.Sprint("pw", i)})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	list, err := f.h.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != n {
		t.Errorf("%d of %d registries kept: %v", len(list), n, list)
	}
}

// A store that stays the same is not written: a new IV would change every
// byte, and git would show a committed store modified with an empty diff.
func TestStoringTheSameCredentialsLeavesTheFileAlone(t *testing.T) {
	f := newFixture(t)
	f.add("a.example.com", "alice", "pw-a")
	f.add("b.example.com", "bob", "pw-b")
	// An mtime in the past, so that a rewrite shows whatever the
	// filesystem's timestamp granularity.
	past := time.Now().Add(-time.Hour).Truncate(time.Second)
	if err := os.Chtimes(f.h.Path, past, past); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(f.h.Path)
	if err != nil {
		t.Fatal(err)
	}
	beforeInfo, err := os.Stat(f.h.Path)
	if err != nil {
		t.Fatal(err)
	}
	unchanged := func(what string) {
		t.Helper()
		after, err := os.ReadFile(f.h.Path)
		if err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(f.h.Path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(before, after) || !info.ModTime().Equal(past) || !os.SameFile(beforeInfo, info) {
			t.Errorf("%s rewrote the store (bytes equal %v, mtime %v, want %v)", what, bytes.Equal(before, after), info.ModTime(), past)
		}
	}
	f.add("a.example.com", "alice", "pw-a")
	unchanged("storing the same credentials again")
	f.add("https://A.example.com/", "alice", "pw-a")
	unchanged("storing the same credentials under another spelling")
	if err := f.h.Delete("c.example.com"); !credentials.IsErrCredentialsNotFound(err) {
		t.Errorf("erase of a missing registry: err = %v, want credentials not found", err)
	}
	unchanged("erasing a missing registry")

	f.add("a.example.com", "alice", "pw-new")
	if after, _ := os.ReadFile(f.h.Path); bytes.Equal(before, after) {
		t.Error("a new password did not change the store")
	}
	if user, secret := f.get("a.example.com"); user != "alice" || secret != "pw-new" {
		t.Errorf("get after a new password = %q, %q", user, secret)
	}
}

// Parallel stores through a symbolic link to the store and through its
// real path take one lock: the lock is on the directory the rename
// replaces the file in, not on the link's.
func TestConcurrentStoresThroughASymlinkAreAllKept(t *testing.T) {
	f := newFixture(t)
	f.add("first.example.com", "u", "pw")
	links := filepath.Join(f.dir, "xdg", "shipseal")
	if err := os.MkdirAll(links, 0o700); err != nil {
		t.Fatal(err)
	}
	abs := filepath.Join(links, "dockercfg.encrypted")
	rel := filepath.Join(links, "relative.encrypted")
	chain := filepath.Join(links, "chain.encrypted")
	for link, target := range map[string]string{
		abs:   f.h.Path,
		rel:   filepath.Join("..", "..", "store", "dockercfg.encrypted"),
		chain: "relative.encrypted",
	} {
		if err := os.Symlink(target, link); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
	}
	paths := []string{f.h.Path, abs, rel, chain}
	const n = 40
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := credhelper.Helper{Path: paths[i%len(paths)], Keys: f.h.Keys}
			err := h.Add(&credentials.Credentials{ServerURL: fmt.Sprintf("r%d.example.com", i), Username: "u", Secret: fmt.Sprint("pw", i)})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	list, err := f.h.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != n+1 {
		t.Errorf("%d of %d registries kept", len(list), n+1)
	}
	for _, link := range paths[1:] {
		if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer a symbolic link: %v", link, err)
		}
	}
}

// A link to a store that does not exist yet: the first store creates the
// link's target, and parallel stores through the link and the target
// still take one lock.
func TestConcurrentStoresThroughADanglingSymlinkAreAllKept(t *testing.T) {
	f := newFixture(t)
	link := filepath.Join(f.dir, "link.encrypted")
	if err := os.MkdirAll(filepath.Dir(f.h.Path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(f.h.Path, link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	const n = 20
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := f.h.Path
			if i%2 == 0 {
				path = link
			}
			h := credhelper.Helper{Path: path, Keys: f.h.Keys}
			if err := h.Add(&credentials.Credentials{ServerURL: fmt.Sprintf("r%d.example.com", i), Username: "u", Secret: "pw"}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if list, err := f.h.List(); err != nil || len(list) != n {
		t.Errorf("%d of %d registries kept (%v)", len(list), n, err)
	}
}

func base64Of(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
