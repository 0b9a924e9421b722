package rekey

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/internal/e2etest"
	"github.com/shipseal/shipseal/validate"
)

func newKey(t testing.TB) *crypto.Key {
	t.Helper()
	k, err := crypto.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func seal(t testing.TB, path string, plain []byte, key *crypto.Key, v crypto.Version) {
	t.Helper()
	var buf bytes.Buffer
	if err := crypto.Encrypt(&buf, bytes.NewReader(plain), key, crypto.WriteOptions{Version: v}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o640); err != nil {
		t.Fatal(err)
	}
}

func open(t testing.TB, path string, key *crypto.Key) ([]byte, crypto.Version, error) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return decrypt(data, key)
}

func TestRotation(t *testing.T) {
	dir := t.TempDir()
	old, nk := newKey(t), newKey(t)
	a, b := filepath.Join(dir, "a.encrypted"), filepath.Join(dir, "b.encrypted")
	// b is v1, so long enough that no other key decrypts it to text (64
	// random bytes are text with a chance below 10⁻¹⁶; a short one is
	// TestShortV1's).
	bPlain := "B_TOKEN=" + strings.Repeat("b", 56) + "\n"
	seal(t, a, []byte("A=1\n"), old, crypto.V2)
	seal(t, b, []byte(bPlain), old, crypto.V1)

	// A dry run changes nothing.
	set, err := Prepare([]string{a, b}, Options{Old: old, New: nk, DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if set.Changed() != 2 || set.Commit() != nil {
		t.Fatalf("dry run: %d changed", set.Changed())
	}
	if _, _, err := open(t, a, old); err != nil {
		t.Fatalf("a dry run changed a: %v", err)
	}

	set, err = Prepare([]string{a, b}, Options{Old: old, New: nk})
	if err != nil {
		t.Fatal(err)
	}
	if err := set.Commit(); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]struct {
		plain string
		v     crypto.Version
	}{a: {"A=1\n", crypto.V2}, b: {bPlain, crypto.V1}} {
		plain, v, err := open(t, name, nk)
		if err != nil || string(plain) != want.plain || v != want.v {
			t.Errorf("%s: %q %v %v, want %q %v", name, plain, v, err, want.plain, want.v)
		}
		if st, _ := os.Stat(name); st.Mode().Perm() != 0o640 {
			t.Errorf("%s: mode %#o, want 0640", name, st.Mode().Perm())
		}
	}

	// Again: both are current, nothing is written.
	before, _ := os.ReadFile(a)
	set, err = Prepare([]string{a, b}, Options{Old: old, New: nk})
	if err != nil {
		t.Fatal(err)
	}
	if set.Changed() != 0 || set.Files[0].Action != Current || set.Files[1].Action != Current {
		t.Errorf("rerun: %d changed, actions %v %v", set.Changed(), set.Files[0].Action, set.Files[1].Action)
	}
	set.Commit()
	if after, _ := os.ReadFile(a); !bytes.Equal(before, after) {
		t.Error("a rerun rewrote a current file")
	}
}

// A v1 file so short that both keys decrypt it to text cannot tell which
// key it uses: it stops the set, whichever key wrote it. Taking the old
// key's text would, on a rerun, replace a file already on the new key with
// noise.
func TestShortV1(t *testing.T) {
	old, nk := newKey(t), newKey(t)
	for _, tc := range []struct {
		name       string
		with, also *crypto.Key
	}{
		{"a rerun", nk, old},
		{"a first run", old, nk},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			name := filepath.Join(dir, "short.encrypted")
			// Four random bytes are text about one time in ten: a
			// thousand tries find an IV with which the other key
			// decrypts the file to text too.
			found := false
			for range 1000 {
				seal(t, name, []byte("B=2\n"), tc.with, crypto.V1)
				if _, _, err := open(t, name, tc.also); err == nil {
					found = true
					break
				}
			}
			if !found {
				t.Fatal("no v1 file that both keys decrypt to text in 1000 tries")
			}
			before, _ := os.ReadFile(name)
			set, err := Prepare([]string{name}, Options{Old: old, New: nk})
			var fe *FileError
			if !errors.As(err, &fe) || !errors.Is(err, ErrAmbiguous) || set != nil {
				t.Fatalf("Prepare = %v, %v; want a FileError wrapping ErrAmbiguous", set, err)
			}
			if fe.Name != name {
				t.Errorf("the error names %s, want %s", fe.Name, name)
			}
			if after, _ := os.ReadFile(name); !bytes.Equal(after, before) {
				t.Error("the file changed although the set failed")
			}
			if plain, _, err := open(t, name, tc.with); err != nil || string(plain) != "B=2\n" {
				t.Errorf("with the key that wrote it: %q, %v", plain, err)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("staged files left behind: %d entries", len(entries))
			}
		})
	}
}

// One bad file in the middle: nothing changes, and the error names it.
func TestAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	old, nk, other := newKey(t), newKey(t), newKey(t)
	names := []string{filepath.Join(dir, "1"), filepath.Join(dir, "2"), filepath.Join(dir, "3"), filepath.Join(dir, "4")}
	seal(t, names[0], []byte("A=1\n"), old, crypto.V2)
	seal(t, names[1], []byte("B=2\n"), other, crypto.V2)
	seal(t, names[2], []byte(strings.Repeat("C=3\n", 32)), other, crypto.V1)
	seal(t, names[3], []byte("=invalid\n"), old, crypto.V2)
	var before [][]byte
	for _, n := range names {
		b, _ := os.ReadFile(n)
		before = append(before, b)
	}
	check := func(name string, plain []byte) *diag.Report {
		return validate.Plain(name, plain, validate.Options{Kind: validate.Env}, nil)
	}
	set, err := Prepare(names, Options{Old: old, New: nk, Check: check})
	if err == nil || set != nil {
		t.Fatal("Prepare succeeded with files of another key")
	}
	var failed []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var fe *FileError
		if !errors.As(e, &fe) {
			t.Fatalf("not a FileError: %v", e)
		}
		failed = append(failed, filepath.Base(fe.Name))
		if filepath.Base(fe.Name) == "4" && !errors.Is(fe, ErrInvalid) {
			t.Errorf("file 4: %v, want ErrInvalid", fe)
		}
		if fe.Name == names[1] && !errors.Is(fe, crypto.ErrWrongKey) {
			t.Errorf("file 2: %v, want ErrWrongKey", fe)
		}
		if fe.Name == names[2] && !errors.Is(fe, crypto.ErrNotText) {
			t.Errorf("file 3 (v1): %v, want ErrNotText", fe)
		}
	}
	if !reflect.DeepEqual(failed, []string{"2", "3", "4"}) {
		t.Errorf("failed files %v, want 2 3 4", failed)
	}
	for i, n := range names {
		if after, _ := os.ReadFile(n); !bytes.Equal(after, before[i]) {
			t.Errorf("%s changed although the set failed", n)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(names) {
		t.Errorf("staged files left behind: %d entries", len(entries))
	}
}

// A dry run that fails still shows its whole plan, in order, with the
// failing files marked; a real run that fails returns no set.
func TestDryRunPlanWithFailures(t *testing.T) {
	dir := t.TempDir()
	old, nk, other := newKey(t), newKey(t), newKey(t)
	names := []string{filepath.Join(dir, "1"), filepath.Join(dir, "2"), filepath.Join(dir, "3"), filepath.Join(dir, "4")}
	seal(t, names[0], []byte("A=1\n"), old, crypto.V2)
	seal(t, names[1], []byte("B=2\n"), other, crypto.V2)
	seal(t, names[2], []byte("C=3\n"), nk, crypto.V2)
	seal(t, names[3], []byte(strings.Repeat("=invalid\n", 8)), old, crypto.V1)
	check := func(name string, plain []byte) *diag.Report {
		return validate.Plain(name, plain, validate.Options{Kind: validate.Env}, nil)
	}
	set, err := Prepare(names, Options{Old: old, New: nk, Check: check, DryRun: true})
	if err == nil || set == nil {
		t.Fatalf("Prepare = %v, %v; want the plan and an error", set, err)
	}
	var got []string
	for _, f := range set.Files {
		got = append(got, fmt.Sprintf("%s %s %v", filepath.Base(f.Name), f.Action, f.Version))
		if (f.Action == Fail) != (f.Err != nil) {
			t.Errorf("%s: action %s with Err %v", f.Name, f.Action, f.Err)
		}
	}
	want := []string{"1 rekey v2", "2 fail v2", "3 current v2", "4 fail v1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("plan %q, want %q", got, want)
	}
	if f := set.Files[3]; !errors.Is(f.Err, ErrInvalid) || f.Report == nil || f.Size == 0 {
		t.Errorf("file 4: %v, report %v, size %d; want ErrInvalid with its report and size", f.Err, f.Report, f.Size)
	}
	if set.Changed() != 1 {
		t.Errorf("Changed() = %d, want 1", set.Changed())
	}
	if set, err := Prepare(names, Options{Old: old, New: nk, Check: check}); err == nil || set != nil {
		t.Errorf("a real run: %v, %v; want an error and no set", set, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != len(names) {
		t.Errorf("staged files left behind: %d entries", len(entries))
	}
}

// A cancelled context stops the set between files: the files staged so
// far are discarded, the rest are not even read, and nothing changes.
func TestPrepareStops(t *testing.T) {
	dir := t.TempDir()
	old, nk := newKey(t), newKey(t)
	names := []string{filepath.Join(dir, "1"), filepath.Join(dir, "2"), filepath.Join(dir, "3")}
	var before [][]byte
	for i, n := range names {
		seal(t, n, []byte(fmt.Sprintf("A=%d\n", i)), old, crypto.V2)
		b, _ := os.ReadFile(n)
		before = append(before, b)
	}
	stop := errors.New("stopped by the test")
	ctx, cancel := context.WithCancelCause(context.Background())
	var checked []string
	check := func(name string, plain []byte) *diag.Report {
		checked = append(checked, filepath.Base(name))
		if len(checked) == 2 {
			cancel(stop) // a signal while file 2 is being rotated
		}
		return nil
	}
	set, err := PrepareContext(ctx, names, Options{Old: old, New: nk, Check: check})
	if !errors.Is(err, stop) || set != nil {
		t.Fatalf("PrepareContext after cancel: %v, %v; want the cause, no set", set, err)
	}
	var fe *FileError
	if errors.As(err, &fe) {
		t.Errorf("the stop is reported as a file's failure: %v", err)
	}
	if !reflect.DeepEqual(checked, []string{"1", "2"}) {
		t.Errorf("checked %v, want 1 2 and then a stop", checked)
	}
	for i, n := range names {
		if after, _ := os.ReadFile(n); !bytes.Equal(after, before[i]) {
			t.Errorf("%s changed although the set was stopped", n)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != len(names) {
		t.Errorf("staged files left behind: %d entries", len(entries))
	}
}

func TestSameKey(t *testing.T) {
	k := newKey(t)
	if _, err := Prepare(nil, Options{Old: k, New: k}); err == nil {
		t.Error("Prepare accepted the same key twice")
	}
}

func TestFind(t *testing.T) {
	e2etest.LookPath(t, "git", "install git")
	dir := t.TempDir()
	run := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	run("init", "-q", ".")
	k := newKey(t)
	os.WriteFile(filepath.Join(dir, "codeship.aes"), k.Encode(), 0o600)
	os.WriteFile(filepath.Join(dir, ".gitignore"), []byte("ignored\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "plain.txt"), []byte("hello\n"), 0o644)
	os.Mkdir(filepath.Join(dir, "ci"), 0o755)
	seal(t, filepath.Join(dir, "ci", "secrets"), []byte("A=1\n"), k, crypto.V2)
	seal(t, filepath.Join(dir, "v1"), []byte("A=1\n"), k, crypto.V1)
	seal(t, filepath.Join(dir, "ignored"), []byte("A=1\n"), k, crypto.V2)
	// A killed rekey's staged file is no file of the project.
	seal(t, filepath.Join(dir, "ci", ".secrets.shipseal-4194305-0123456789ab.tmp"), []byte("A=1\n"), k, crypto.V2)
	got, err := Find(dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{filepath.Join("ci", "secrets"), "v1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Find = %q, want %q", got, want)
	}
}

func Example() {
	dir, _ := os.MkdirTemp("", "rekey-example")
	defer os.RemoveAll(dir)
	old, _ := crypto.GenerateKey(rand.Reader)
	nk, _ := crypto.GenerateKey(rand.Reader)
	name := filepath.Join(dir, "env.encrypted")
	var buf bytes.Buffer
	crypto.Encrypt(&buf, bytes.NewReader([]byte("TOKEN=s3cr3t\n")), old, crypto.WriteOptions{})
	os.WriteFile(name, buf.Bytes(), 0o644)

	set, err := Prepare([]string{name}, Options{Old: old, New: nk})
	if err != nil {
		fmt.Println(err) // nothing was changed
		return
	}
	defer set.Abort()
	if err := set.Commit(); err != nil {
		fmt.Println(err)
		return
	}
	data, _ := os.ReadFile(name)
	plain, version, _ := validate.Decrypt(data, nk)
	fmt.Printf("%s: %d file re-encrypted, %v, %q\n", filepath.Base(name), set.Changed(), version, plain)
	// Output: env.encrypted: 1 file re-encrypted, v2, "TOKEN=s3cr3t\n"
}

func BenchmarkPrepare(b *testing.B) {
	dir := b.TempDir()
	old, nk := newKey(b), newKey(b)
	var names []string
	for i := range 20 {
		n := filepath.Join(dir, fmt.Sprintf("f%d.encrypted", i))
		seal(b, n, bytes.Repeat([]byte("NAME=value\n"), 400), old, crypto.V2)
		names = append(names, n)
	}
	b.ResetTimer()
	for b.Loop() {
		set, err := Prepare(names, Options{Old: old, New: nk, DryRun: true})
		if err != nil {
			b.Fatal(err)
		}
		set.Abort()
	}
}
