package projectkey

import (
	"encoding/base64"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// ordinaryPaths are key file paths as people and CI services write them:
// every one is shown as given.
var ordinaryPaths = []string{
	"codeship.aes",
	"../codeship.aes",
	"ci/k.aes",
	"secrets/codeship-prod.aes",
	"/home/runner/work/shipseal/shipseal/codeship.aes",
	"/home/runner/work/shipseal/shipseal/codeship",
	"/Users/JaneDoe/Documents/Projects/MyApp2024/codeship.aes",
	"/Users/JohnSmith/Library/CloudStorage/OneDrive-AcmeCorp/Keys/codeship.aes",
	"/Volumes/GoogleDrive/My Drive/Keys/iOSAppV3Prod/codeship.aes",
	`C:\Users\JaneDoe\src\MyProject\codeship.aes`,
	"/builds/MyGroup/MySubGroup/MyProject.tmp/SHIPSEAL_KEY_PATH",
	"/var/run/secrets/codeship/AES_KEY_FILE",
	"/home/user/go/src/github.com/AcmeCorp/PaymentServiceV2/config/codeship.aes",
	"/MyAwesomeProjectName/MyAwesomeProjectName/MyAwesomeProjectName.aes",
	"/var/lib/buildkite-agent/builds/ip-10-0-1-23-i-0abc123def4567890-1/acme/payments-api/codeship.aes",
	"/tmp/tmp.Xy3kP9qL2w/codeship.aes",
	"/root/.cache/go-build/b1/b1fd482322e4e5138c6fc87e804d83dbc1b2a02b3ac5e94e6ff127c9d65d6fed-d",
	"/var/lib/docker/overlay2/4F3E8A1B2C3D4E5F60718293A4B5C6D7E8F90123456789ABCDEF0123456789AB/merged/codeship.aes",
	"/workspace/3f2a9c1e-7b4d-4e8a-9f6c-2d1b0a9e8c7f/codeship.aes",
	"/etc/secrets/..2024_01_01_12_00_00.123456789/codeship.aes",
}

func TestOrdinaryPathsAreShown(t *testing.T) {
	for _, p := range ordinaryPaths {
		s := show(p)
		require.False(t, s.masked, "%s is masked as %s", p, s.desc)
		require.Equal(t, p, s.String())
	}
}

// randomKey is a key's base64 text from r.
func randomKey(r *rand.Rand) (text string, raw []byte) {
	raw = make([]byte, 32)
	for i := range raw {
		raw[i] = byte(r.IntN(256))
	}
	return base64.StdEncoding.EncodeToString(raw), raw
}

// TestKeyTextIsMasked: a key's text, alone or in a path, in any spelling
// that decodes to it, is masked and named by the key's fingerprint.
func TestKeyTextIsMasked(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for range 200 {
		k, raw := randomKey(r)
		url := base64.URLEncoding.EncodeToString(raw)
		for _, c := range []struct {
			text  string
			whole bool
		}{
			{k, true},
			{k + "\n", true},
			{" " + k + "\r\n", true},
			{"\uFEFF" + k, true},
			{k[:20] + "\n" + k[20:], true}, // wrapped
			{`"` + k + `"`, true},
			{"'" + k + "'", true},
			{url, true},
			{"/tmp/" + k, false},
			{k + ".aes", false},
			{"./keys/" + k + "/codeship.aes", false},
			{"~/" + url, false},
		} {
			s := show(c.text)
			require.True(t, s.masked, "%q", c.text)
			require.NotNil(t, s.key, "%q", c.text)
			require.Equal(t, strings.TrimSpace(k), strings.TrimSpace(string(s.key.Encode())), "%q", c.text)
			require.Equal(t, c.whole, s.whole, "%q", c.text)
			require.NotContains(t, s.String(), k[:8])
		}
	}
}

// TestBrokenKeysAreMasked: a key with a typo, cut short, without its
// padding or in URL-safe base64 without it is no key, and any 43
// characters of base64 would decode to 32 bytes: such text is masked by
// how it reads.
func TestBrokenKeysAreMasked(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	var missed []string
	try := func(what, text string) {
		if s := show(text); !s.masked {
			missed = append(missed, what)
		}
	}
	const keys = 100
	for range keys {
		k, raw := randomKey(r)
		try("no padding", strings.TrimSuffix(k, "="))
		try("URL-safe, no padding", base64.RawURLEncoding.EncodeToString(raw))
		try("cut to 36", k[:36])
		try("the padding doubled", k+"=")
		try("in a path, no padding", "/home/runner/work/shipseal/shipseal/"+strings.TrimSuffix(k, "=")+".aes")
		for i := range len(k) {
			try("a character lost", k[:i]+k[i+1:])
			try("a character added", k[:i]+"x"+k[i:])
			for _, c := range []string{" ", ".", `"`, "#", "é", "\t"} {
				try("a character changed", k[:i]+c+k[i+1:])
			}
		}
	}
	// The rule is statistical: about one miss in 100,000 is its measured
	// rate, and these are 36,000.
	require.LessOrEqual(t, len(missed), 1, "missed: %v", missed)
}

// TestLooksLikeKeyThresholds pins the rule of the package doc on small
// cases: the window, the one stray character, the floor of 24.
func TestLooksLikeKeyThresholds(t *testing.T) {
	const k = "XbsWPCe+QTSYnK9lLN+qTaQGfHPtsqUnsEZpbM80W4A="
	require.True(t, looksLikeKey(k[:24]), "24 characters of a key")
	require.False(t, looksLikeKey(k[:23]), "under 24 characters, nothing is masked")
	require.True(t, looksLikeKey(k[:20]+" "+k[21:]), "one stray character")
	require.False(t, looksLikeKey(strings.Join([]string{k[:10], k[10:20], k[20:30], k[30:]}, " ")), "three stray characters")
	require.False(t, looksLikeKey(strings.Repeat("ab12", 20)), "few different characters")
	require.False(t, looksLikeKey("abcdefghijklmnopqrstabcdefghijklmnopqrst"), "no changes")
	require.True(t, looksLikeKey("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"), "40 different characters")
	require.False(t, looksLikeKey("/x/0123456789abcdef0123456789abcdef01234567/y"), "a hash counts for nothing")
}
