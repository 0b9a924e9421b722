package main

import "strings"

// quoteArg writes a file name as a shell word, for the commands that hints
// suggest: as it is when that is safe, else in single quotes.
func quoteArg(name string) string {
	if name != "" && strings.Trim(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./,:=@%+") == "" {
		return name
	}
	return "'" + strings.ReplaceAll(name, "'", `'\''`) + "'"
}
