#!/usr/bin/env bash
# make demo: the main job end to end, in a throw-away directory.
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
example=$(cd "$(dirname "$0")/.." && pwd)/testdata/demo/config.json
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# The commands are shown as a user types them: "shipseal", not the path
# of the binary; in bold only on a terminal, and never with NO_COLOR.
bold='' plain=''
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then bold=$'\033[1m' plain=$'\033[0m'; fi
show() { printf '\n%s$ %s%s\n' "$bold" "$*" "$plain"; }
shipseal() { "$bin" "$@"; }
step() { show "$@"; "$@"; }
# fails CODE WHY CMD...: run a command that must fail with exit code CODE.
fails() {
	local want=$1 why=$2 code=0
	shift 2
	show "$@"
	"$@" || code=$?
	echo "(exit $code: $why)"
	[ "$code" -eq "$want" ]
}

echo "shipseal demo in $work"
cp "$example" config.json
step shipseal keygen
step shipseal validate config.json
step shipseal encrypt config.json dockercfg.encrypted
step head -c 60 dockercfg.encrypted; echo '…'
step shipseal validate dockercfg.encrypted
step shipseal decrypt dockercfg.encrypted decrypted.json
step cmp config.json decrypted.json
echo "decrypted.json is identical to config.json"

echo
echo "A broken file is not encrypted: two documents pasted into one, which Codeship"
echo "would report as \"Failed to parse dockercfg: invalid character '{' after top-level value\"."
cat config.json config.json >broken.json
fails 5 "invalid content; broken.encrypted was not written" shipseal encrypt broken.json broken.encrypted
[ ! -e broken.encrypted ]

echo
echo "And the classic failure: the same file checked with another project's key."
step shipseal keygen -o other.aes
fails 4 "cannot decrypt: the key is wrong, not the file" shipseal validate --key-path other.aes dockercfg.encrypted

echo
echo "The same with an old v1 file, which has no checksum: Codeship would say"
echo "\"Failed to parse dockercfg: invalid character ... after top-level value\"."
step shipseal encrypt --v1 config.json dockercfg-v1.encrypted
fails 4 "the v1 file decrypts to noise: the key is wrong" shipseal validate --key-path other.aes dockercfg-v1.encrypted
echo
echo "demo ok"
