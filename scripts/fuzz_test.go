// Package scripts_test tests the shell scripts behind make targets.
package scripts_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// fakeGo stands in for the go command in fuzz.sh: one package with one
// target, FuzzX, in dir; each `go test -fuzz` run takes the next line of
// plan: "pass", "race" (Go 1.26's fuzztime deadline race: FAIL with
// "context deadline exceeded", nothing saved), "crash" (FAIL with an input
// saved under testdata/fuzz/FuzzX) or "other" (FAIL for another reason).
const fakeGo = `#!/bin/sh
case "$1 $2" in
"test -list") printf 'FuzzX\nok  \texample.com/p\t0.01s\n'; exit 0 ;;
"list -f") echo "$FAKE_DIR"; exit 0 ;;
esac
n=$(cat "$FAKE_DIR/calls" 2>/dev/null || echo 0); n=$((n + 1)); echo $n >"$FAKE_DIR/calls"
case "$(sed -n "${n}p" "$FAKE_DIR/plan")" in
pass) echo PASS; exit 0 ;;
race) printf -- '--- FAIL: FuzzX (5.03s)\n    context deadline exceeded\nFAIL\n'; exit 1 ;;
crash)
	mkdir -p "$FAKE_DIR/testdata/fuzz/FuzzX"; echo 'go test fuzz v1' >"$FAKE_DIR/testdata/fuzz/FuzzX/abc"
	printf -- '--- FAIL: FuzzX (1.00s)\n    --- FAIL: FuzzX (0.00s)\n        boom\n    Failing input written to testdata/fuzz/FuzzX/abc\nFAIL\n'; exit 1 ;;
*) printf -- '--- FAIL: FuzzX (0.10s)\n    found a bug\nFAIL\n'; exit 1 ;;
esac
`

// runFuzz runs fuzz.sh with the fake go and the given plan, and returns its
// output, whether it succeeded and how many fuzz runs it made.
func runFuzz(t *testing.T, plan ...string) (string, bool, int) {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "go")
	require.NoError(t, os.WriteFile(bin, []byte(fakeGo), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "plan"), []byte(strings.Join(plan, "\n")+"\n"), 0o644))
	cmd := exec.Command("sh", "fuzz.sh", "1s")
	cmd.Env = append(os.Environ(), "GO="+bin, "FAKE_DIR="+dir)
	out, err := cmd.CombinedOutput()
	calls, _ := os.ReadFile(filepath.Join(dir, "calls"))
	n := 0
	for _, c := range strings.TrimSpace(string(calls)) {
		n = n*10 + int(c-'0')
	}
	return string(out), err == nil, n
}

func TestFuzzRetriesOnlyGoDeadlineRace(t *testing.T) {
	out, ok, n := runFuzz(t, "pass")
	require.True(t, ok, out)
	require.Equal(t, 1, n)
	require.Contains(t, out, "all 1 targets ran 1s")

	out, ok, n = runFuzz(t, "race", "pass")
	require.True(t, ok, out)
	require.Equal(t, 2, n, "the race is run again")
	require.Contains(t, out, "golang/go#75804")

	out, ok, n = runFuzz(t, "race", "race", "race", "pass")
	require.False(t, ok, "three races in a row fail: "+out)
	require.Equal(t, 3, n)
	require.Contains(t, out, "FAILED: example.com/p.FuzzX")

	out, ok, n = runFuzz(t, "crash", "pass")
	require.False(t, ok, out)
	require.Equal(t, 1, n, "a saved input is a real failure, never retried")
	require.NotContains(t, out, "running it again")

	out, ok, n = runFuzz(t, "other", "pass")
	require.False(t, ok, out)
	require.Equal(t, 1, n, "any other failure is not retried")

	out, ok, n = runFuzz(t, "race", "crash")
	require.False(t, ok, out)
	require.Equal(t, 2, n, "a crash on the rerun fails")
}
