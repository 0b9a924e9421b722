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
	if ! "$go" test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" </dev/null; then
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
