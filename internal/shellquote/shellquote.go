// Package shellquote writes strings as words of a POSIX shell command, for
// the commands that hints suggest and the scripts that shipseal writes.
package shellquote

import "strings"

// Quote returns s as one shell word: as it is when every byte is a letter,
// a digit or one of -_./+=:,@% (nothing the shell would expand or split),
// else in single quotes. The empty string is a pair of single quotes.
//
// Quoting does not stop a command from reading a word that starts with '-'
// as an option: the shell removes the quotes before the command sees it.
func Quote(s string) string {
	if s == "" {
		return "''"
	}
	for i := 0; i < len(s); i++ {
		if !safe(s[i]) {
			return Single(s)
		}
	}
	return s
}

// Single returns s in single quotes whatever it holds. Each single quote in
// s closes the quotes, stands escaped with a backslash, and opens them again.
func Single(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func safe(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_./+=:,@%", c) >= 0
}
