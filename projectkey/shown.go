package projectkey

import (
	"bytes"
	"encoding/base64"
	"strings"

	"github.com/shipseal/shipseal/crypto"
)

// shown is how a path given for the key appears in messages: as given, or,
// when it may be key material (see the package doc), described instead.
type shown struct {
	path string
	// masked says the path is not shown; desc describes it.
	masked bool
	desc   string
	// key is the key whose text the path holds, if it holds one; whole
	// says the path is that text and nothing more.
	key   *crypto.Key
	whole bool
	// invalid is why the path, read as a key, is not one, for a masked
	// path that holds no key.
	invalid string
}

// show decides how path appears in messages, by the rule of the package
// doc.
func show(path string) shown {
	s := shown{path: path}
	switch k, whole := keyText(path); {
	case k != nil && whole:
		s.key, s.whole = k, true
		s.desc = "the text of " + k.String()
	case k != nil:
		s.key = k
		s.desc = "a path with the text of " + k.String() + " in it"
	case looksLikeKey(path):
		s.desc = "text that looks like a key's"
		if _, err := crypto.ParseKey([]byte(path)); err != nil {
			s.invalid = strings.TrimPrefix(err.Error(), crypto.ErrInvalidKey.Error()+": ")
		}
	default:
		return s
	}
	s.masked = true
	return s
}

// String is the path, or its description: "--key-path " + s.String()
// names a key location in a message.
func (s shown) String() string {
	if s.masked {
		return "(" + s.desc + ", not shown)"
	}
	return s.path
}

// lineBreaks removes line breaks, which base64 decoding skips.
var lineBreaks = strings.NewReplacer("\r", "", "\n", "")

// keyText finds a key's base64 text in s (line breaks ignored, as base64
// decoding ignores them): the key, and whether s is that text and nothing
// else but blanks and quotes. Standard base64 is read as crypto.ParseKey
// reads it; URL-safe base64 too, with its padding. Without the padding,
// any 43 characters of the alphabet decode to 32 bytes, so those are left
// to looksLikeKey.
func keyText(s string) (key *crypto.Key, whole bool) {
	if k, err := crypto.ParseKey([]byte(s)); err == nil {
		return k, true
	}
	flat := lineBreaks.Replace(s)
	if k := urlSafeKey(strings.Trim(strings.TrimSpace(flat), `"'`)); k != nil {
		return k, true
	}
	if k, err := crypto.ParseKey([]byte(strings.Trim(strings.TrimSpace(flat), `"'`))); err == nil {
		return k, true
	}
	const n = 44 // base64 of 32 bytes, with its =
	for i := 0; i+n <= len(flat); i++ {
		if flat[i+n-1] != '=' {
			continue
		}
		w := flat[i : i+n]
		if k, err := crypto.ParseKey([]byte(w)); err == nil {
			return k, false
		}
		if k := urlSafeKey(w); k != nil {
			return k, false
		}
	}
	return nil, false
}

// urlSafeKey is the key that s spells in URL-safe base64, with its
// padding, or nil.
func urlSafeKey(s string) *crypto.Key {
	raw, err := base64.URLEncoding.DecodeString(s)
	if err != nil || len(raw) != crypto.KeySize {
		return nil
	}
	k, err := crypto.ParseKey([]byte(base64.StdEncoding.EncodeToString(raw)))
	if err != nil {
		return nil
	}
	return k
}

// looksLikeKey looks at windows of keyWindow characters (all of a shorter
// text, of at least keyShortest). Random base64 has about 30 different
// characters and 18 changes of kind in 40, far above the 40 that different
// characters plus twice the changes must reach; on a machine's 456,000
// file paths, no ordinary one came near (the hundred that matched are
// names like i16x8_relaxed_dot_i8x16_i7x16), and of 280,000 keys cut short
// (to 30 characters or more), with a character lost, changed or added, or
// in URL-safe base64 without padding, one was missed.
const (
	keyWindow   = 40
	keyShortest = 24
)

// looksLikeKey reports whether s holds text that reads like random
// base64, a key with a typo say, rather than names: see the package doc.
func looksLikeKey(s string) bool {
	b := []byte(lineBreaks.Replace(s))
	kinds := make([]byte, len(b))
	for i, c := range b {
		kinds[i] = kindOf(c)
	}
	hexNames(b, kinds)
	// change[i]: the kind changes from b[i-1] to b[i], other than a
	// capital starting a word.
	change := make([]bool, len(b))
	for i := 1; i < len(b); i++ {
		p, c := kinds[i-1], kinds[i]
		change[i] = p >= upper && c >= upper && p != c && !(p == upper && c == lower)
	}
	// A value shorter than the window is one window, with the thresholds
	// in proportion; below keyShortest characters, what it could show of
	// a key leaves too much unknown to matter.
	n := min(keyWindow, len(b))
	if n < keyShortest {
		return false
	}
	for start := 0; start+n <= len(b); start++ {
		var seen [256]bool
		others, distinct, changes := 0, 0, 0
		for i := start; i < start+n; i++ {
			switch k := kinds[i]; {
			case k == other && b[i]&0xc0 != 0x80: // a UTF-8 character counts once
				others++
			case k >= upper && !seen[b[i]]:
				seen[b[i]] = true
				distinct++
			}
			if i > start && change[i] {
				changes++
			}
		}
		if others <= 1 && distinct+2*changes >= n {
			return true
		}
	}
	return false
}

// The kinds of character that looksLikeKey tells apart.
const (
	other     byte = iota // not in base64's alphabets
	separator             // / - _: between names in a path, and base64 too
	hexDigit              // in a name of 8 or more hex digits: a hash, not a key
	upper
	lower
	digit
	symbol // + and =
)

func kindOf(c byte) byte {
	switch {
	case c >= 'A' && c <= 'Z':
		return upper
	case c >= 'a' && c <= 'z':
		return lower
	case c >= '0' && c <= '9':
		return digit
	case c == '+' || c == '=':
		return symbol
	case c == '/' || c == '-' || c == '_':
		return separator
	}
	return other
}

// hexNames marks the characters of names (runs between separators and
// other characters) of 8 or more hex digits, in one letter case, as
// hexDigit: hashes in paths (a build cache, a commit), which change
// between letters and digits as often as a key does.
func hexNames(b, kinds []byte) {
	for i := 0; i < len(b); {
		if kinds[i] == other || kinds[i] == separator {
			i++
			continue
		}
		j := i
		for j < len(b) && kinds[j] != other && kinds[j] != separator {
			j++
		}
		name := b[i:j]
		if len(name) >= 8 && (len(bytes.Trim(name, "0123456789abcdef")) == 0 || len(bytes.Trim(name, "0123456789ABCDEF")) == 0) {
			for k := i; k < j; k++ {
				kinds[k] = hexDigit
			}
		}
		i = j
	}
}
