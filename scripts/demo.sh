#!/usr/bin/env bash
# make demo: the main job end to end, in a throw-away directory.
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
example=$(cd "$(dirname "$0")/.." && pwd)/testdata/demo/config.json
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }
[ -n "${NO_COLOR:-}" ] && step() { printf '\n$ %s\n' "$*"; "$@"; }

echo "shipseal demo in $work"
cp "$example" config.json
step "$bin" keygen
step "$bin" validate config.json
step "$bin" encrypt config.json dockercfg.encrypted
step head -c 60 dockercfg.encrypted; echo '…'
step "$bin" validate dockercfg.encrypted
step "$bin" decrypt dockercfg.encrypted decrypted.json
step cmp config.json decrypted.json
echo "decrypted.json is identical to config.json"

echo
echo "And the classic failure: the same file checked with another project's key."
step "$bin" keygen -o other.aes
set +e
"$bin" validate --key-path other.aes dockercfg.encrypted
code=$?
set -e
echo "(exit $code: 4 means cannot decrypt — the key is wrong, not the file)"
[ "$code" -eq 4 ]

echo
echo "The same with an old v1 file, which has no checksum: Codeship would say"
echo "\"Failed to parse dockercfg: invalid character ... after top-level value\"."
step "$bin" encrypt --v1 config.json dockercfg-v1.encrypted
set +e
"$bin" validate --key-path other.aes dockercfg-v1.encrypted
code=$?
set -e
echo "(exit $code)"
[ "$code" -eq 4 ]
echo
echo "demo ok"
