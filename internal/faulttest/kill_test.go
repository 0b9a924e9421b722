//go:build unix

package faulttest

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shipseal/shipseal/crypto"
	"github.com/stretchr/testify/require"
)

// outcome is what a killed run left at its output path.
type outcome int

const (
	old      outcome = iota // the content from before the run
	complete                // the run's complete new content
)

// killCase is one command killed over and over: before each trial the
// output holds its old content; check says whether the output now holds
// the old or the complete new content, and fails the test on anything
// else (a torn file).
type killCase struct {
	name   string
	trials int
	args   []string
	env    []string
	reset  func(t *testing.T)         // put the old output back
	check  func(t *testing.T) outcome // old, complete, or fail
	input  string                     // a path that must never change ("" if none)
}

// killTotal is the number of SIGKILL trials over all commands (issue 10
// asks for at least 50).
const killTotal = 56

// TestSIGKILL kills encrypt, decrypt, rekey and generate at random points
// while they write large files. After every kill the output path holds
// the old content or the complete new one, never a torn file, and the
// input is untouched. Temporary files the killed runs leave are private
// (0600) and are removed by the next run once they are stale.
func TestSIGKILL(t *testing.T) {
	// Large enough that a run takes a while to write (and a kill lands
	// mid-write), small enough for 56 trials in well under a minute.
	size := int64(16 << 20)
	if testing.Short() {
		size = 4 << 20
	}
	dir := t.TempDir()
	key := newKey(t, filepath.Join(dir, "codeship.aes"))
	newKeyFile := filepath.Join(dir, "new.aes")
	key2 := newKey(t, newKeyFile)
	keyEnv := []string{"SHIPSEAL_KEY_PATH=" + filepath.Join(dir, "codeship.aes")}

	plain := filepath.Join(dir, "plain.bin")
	plainMD5 := writeRandom(t, plain, size, 1)
	oldPlain := filepath.Join(dir, "old.bin")
	oldPlainMD5 := writeRandom(t, oldPlain, 1000, 2)
	oldPlainBytes, _ := os.ReadFile(oldPlain)

	enc := map[crypto.Version]string{}
	for _, v := range []crypto.Version{crypto.V1, crypto.V2} {
		enc[v] = filepath.Join(dir, "plain."+v.String())
		args := []string{"encrypt", "--no-validate", plain, enc[v]}
		if v == crypto.V1 {
			args = append(args, "--v1")
		}
		mustRun(t, dir, keyEnv, args...)
	}
	oldEnc := filepath.Join(dir, "old.enc")
	mustRun(t, dir, keyEnv, "encrypt", "--no-validate", oldPlain, oldEnc)
	oldEncBytes, _ := os.ReadFile(oldEnc)

	out := filepath.Join(dir, "out")
	outDir := dir
	setOld := func(content []byte) func(t *testing.T) {
		return func(t *testing.T) { require.NoError(t, os.WriteFile(out, content, 0o644)) }
	}
	// An encrypted output is complete if it decrypts (checksum and all)
	// to the input.
	checkEncrypted := func(t *testing.T) outcome {
		got, err := os.ReadFile(out)
		require.NoError(t, err, "the output path must still exist")
		if string(got) == string(oldEncBytes) {
			return old
		}
		sum, err := decryptMD5(out, key)
		require.NoError(t, err, "torn output: %d bytes that are neither the old file nor a complete encryption", len(got))
		require.Equal(t, plainMD5, sum, "torn output: it decrypts to something else")
		return complete
	}
	checkDecrypted := func(t *testing.T) outcome {
		switch sum := md5File(t, out); sum {
		case oldPlainMD5:
			return old
		case plainMD5:
			st, err := os.Stat(out)
			require.NoError(t, err)
			require.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "decrypted output must be private")
			return complete
		default:
			st, _ := os.Stat(out)
			require.Fail(t, "torn output", "%d bytes that are neither the old nor the new plaintext", st.Size())
			return old
		}
	}

	// rekey holds a file in memory (credential files are small): 2 MiB.
	rekeyPlainFile := filepath.Join(dir, "rekey.bin")
	rekeyMD5 := writeRandom(t, rekeyPlainFile, 2<<20, 3)
	rekeyFile := filepath.Join(dir, "rekey.enc")
	mustRun(t, dir, keyEnv, "encrypt", "--no-validate", rekeyPlainFile, rekeyFile)
	rekeyBytes, _ := os.ReadFile(rekeyFile)
	rekeyPlain := func(t *testing.T) outcome {
		if sum, err := decryptMD5(rekeyFile, key); err == nil {
			require.Equal(t, rekeyMD5, sum, "torn: decrypts with the old key to something else")
			return old
		}
		sum, err := decryptMD5(rekeyFile, key2)
		require.NoError(t, err, "torn: the file decrypts with neither key")
		require.Equal(t, rekeyMD5, sum, "torn: decrypts with the new key to something else")
		return complete
	}

	genOut := filepath.Join(dir, "config.json")
	genOld := []byte(`{"auths":{"old.example.com":{"auth":"b2xkOm9sZA=="}}}`)
	genEnv := []string{`DOCKER_AUTH_CONFIG={"auths":{"new.example.com":{"auth":"bmV3Om5ldw=="}}}`}
	checkGenerated := func(t *testing.T) outcome {
		got, err := os.ReadFile(genOut)
		require.NoError(t, err)
		if string(got) == string(genOld) {
			return old
		}
		var cfg struct{ Auths map[string]any }
		require.NoError(t, json.Unmarshal(got, &cfg), "torn dockercfg: %q", got)
		require.Contains(t, cfg.Auths, "new.example.com", "torn dockercfg: %q", got)
		return complete
	}

	cases := []killCase{
		{name: "encrypt v2", trials: 14, args: []string{"encrypt", "--no-validate", plain, out},
			reset: setOld(oldEncBytes), check: checkEncrypted, input: plain},
		{name: "encrypt v1", trials: 6, args: []string{"encrypt", "--v1", "--no-validate", plain, out},
			reset: setOld(oldEncBytes), check: checkEncrypted, input: plain},
		{name: "decrypt v2", trials: 14, args: []string{"decrypt", enc[crypto.V2], out},
			reset: setOld(oldPlainBytes), check: checkDecrypted, input: enc[crypto.V2]},
		{name: "decrypt v1", trials: 6, args: []string{"decrypt", "--binary", enc[crypto.V1], out},
			reset: setOld(oldPlainBytes), check: checkDecrypted, input: enc[crypto.V1]},
		{name: "rekey", trials: 10, args: []string{"rekey", "--new-key-path", newKeyFile, "--no-validate", rekeyFile},
			reset: func(t *testing.T) { require.NoError(t, os.WriteFile(rekeyFile, rekeyBytes, 0o644)) }, check: rekeyPlain},
		{name: "generate", trials: 6, args: []string{"generate", genOut}, env: genEnv,
			reset: func(t *testing.T) { require.NoError(t, os.WriteFile(genOut, genOld, 0o600)) }, check: checkGenerated},
	}
	known := map[string]bool{}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		known[e.Name()] = true
	}
	known["out"], known["config.json"] = true, true
	total := 0
	for _, c := range cases {
		total += c.trials
	}
	require.GreaterOrEqual(t, total, 50)
	require.Equal(t, killTotal, total)

	rnd := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 10))
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := append(append([]string(nil), keyEnv...), c.env...)
			var inputMD5 string
			if c.input != "" {
				inputMD5 = md5File(t, c.input)
			}
			// How long a whole run takes, to kill within it: the fastest of
			// three, since the first run of a command is often several times
			// slower (cold caches) and kills timed by it would all land
			// after a warm run has finished.
			var full time.Duration
			for i := range 3 {
				c.reset(t)
				start := time.Now()
				mustRun(t, dir, env, c.args...)
				if d := time.Since(start); i == 0 || d < full {
					full = d
				}
				require.Equal(t, complete, c.check(t), "an uninterrupted run must write the new content")
			}

			counts := map[outcome]int{}
			leftovers := map[string]bool{}
			for trial := range c.trials {
				c.reset(t)
				// Stratified: trial i is killed at a random point of the i-th
				// slice of [0, 1.3 × a full run], so every case has early
				// kills (mid-write) and late ones (around the rename).
				slice := int64(full) * 13 / 10 / int64(c.trials)
				delay := time.Duration(int64(trial)*slice + rnd.Int64N(slice+1))
				cmd := command(dir, env, c.args...)
				require.NoError(t, cmd.Start())
				exited := make(chan error, 1)
				go func() { exited <- cmd.Wait() }()
				select {
				case <-exited:
				case <-time.After(delay):
					cmd.Process.Kill() // SIGKILL: no chance to clean up
					<-exited
				}
				got := c.check(t)
				counts[got]++
				if c.input != "" {
					require.Equal(t, inputMD5, md5File(t, c.input), "trial %d: the input changed", trial)
				}
				requireOnly(t, outDir, known)
				for _, tmp := range temps(t, outDir) {
					leftovers[tmp] = true
					st, err := os.Stat(filepath.Join(outDir, tmp))
					require.NoError(t, err)
					require.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "a temporary file is private")
				}
			}
			t.Logf("%d trials (a full run takes %v): %d left the old content, %d the complete new one; %d temporary files left by killed runs",
				c.trials, full.Round(time.Millisecond), counts[old], counts[complete], len(leftovers))
			require.Positive(t, counts[old], "no kill landed before the rename: the test did not test anything")

			// The next run, once the killed runs' files are stale (a
			// minute old), removes them.
			for _, tmp := range temps(t, outDir) {
				past := time.Now().Add(-2 * time.Minute)
				require.NoError(t, os.Chtimes(filepath.Join(outDir, tmp), past, past))
			}
			c.reset(t)
			mustRun(t, dir, env, c.args...)
			require.Equal(t, complete, c.check(t))
			require.Empty(t, temps(t, outDir), "the next run must remove stale temporary files")
		})
	}
}

// requireOnly fails if dir holds anything but the known files and
// atomicfile's temporary files: a killed run must not leave output under
// another name.
func requireOnly(t *testing.T, dir string, known map[string]bool) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		if m, _ := filepath.Match(".*.shipseal-*.tmp", e.Name()); !m && !known[e.Name()] {
			require.Fail(t, "unexpected file", "%s appeared in the output directory", e.Name())
		}
	}
}
