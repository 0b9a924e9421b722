#!/bin/sh
# Runs every fuzz target in the module (every func FuzzXxx that `go test
# -list` finds) for FUZZTIME each: `make fuzz FUZZTIME=30s`, or
# scripts/fuzz.sh 10s. A crasher is saved by Go as
# <package>/testdata/fuzz/<Target>/<hash>: commit it, it becomes a
# regression seed that every `go test` runs.
set -eu

fuzztime=${1:-${FUZZTIME:-30s}}
go=${GO:-go}
cd "$(dirname "$0")/.."

# "FuzzA\nFuzzB\nok  <pkg> 0.01s" per package -> "<pkg> FuzzA" lines.
list=$("$go" test -list '^Fuzz' ./... | awk '
	/^Fuzz/ { names[n++] = $1; next }
	/^ok[ \t]/ { for (i = 0; i < n; i++) print $2, names[i]; n = 0; next }
	/^FAIL[ \t]/ { print $2, "-"; n = 0; next }
	/^(FAIL|#|\?)/ { n = 0 }')
if [ -z "$list" ]; then
	echo "fuzz: no fuzz targets found" >&2
	exit 1
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT

# The inputs Go has saved for a target: a failure found while fuzzing is
# always written there, before `go test` exits.
saved() {
	ls "$1/testdata/fuzz/$2" 2>/dev/null | sort || true
}

# fuzz_one PKG TARGET fuzzes one target. Go 1.26's fuzz coordinator can
# report its own -fuzztime deadline as a failure ("context deadline
# exceeded") with no input saved (golang/go#75804, fixed in Go 1.27): such a
# run found nothing, so it is run again, up to three times in all. Any other
# failure, or one that saved an input, fails at once.
fuzz_one() {
	dir=$("$go" list -f '{{.Dir}}' "$1")
	before=$(saved "$dir" "$2")
	for try in 1 2 3; do
		if "$go" test -run '^$' -fuzz "^${2}\$" -fuzztime "$fuzztime" "$1" </dev/null >"$out" 2>&1; then
			cat "$out"
			return 0
		fi
		cat "$out"
		if [ "$(saved "$dir" "$2")" != "$before" ] ||
			! grep -q '^    context deadline exceeded$' "$out" ||
			grep -q 'Failing input written' "$out"; then
			return 1
		fi
		echo "fuzz: $2 stopped on Go's fuzztime deadline race (golang/go#75804) and saved no input; try $try of 3 found nothing, running it again" >&2
	done
	return 1
}

count=$(printf '%s\n' "$list" | grep -vc ' -$' || true)
echo "fuzz: $count targets, $fuzztime each"
failed=""
while read -r pkg target; do
	if [ "$target" = "-" ]; then
		echo "fuzz: $pkg does not build: its targets cannot run" >&2
		failed="$failed $pkg"
		continue
	fi
	echo "fuzz: $pkg $target"
	if ! fuzz_one "$pkg" "$target"; then
		failed="$failed $pkg.$target"
	fi
done <<EOT
$list
EOT

if [ -n "$failed" ]; then
	echo "fuzz: FAILED:$failed" >&2
	echo "fuzz: the failing inputs are in each package's testdata/fuzz/<Target>/; fix the bug and commit them as seeds" >&2
	exit 1
fi
echo "fuzz: all $count targets ran $fuzztime without a failure"
