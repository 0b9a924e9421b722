package main

import (
	"errors"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// flagError is every command's answer to a bad flag: a usage error (exit
// 2). A file whose name starts with '-' reads as flags ("shipseal decrypt
// -secret.enc" is "unknown shorthand flag: 's'"), so when the unknown
// flag looks like a file name (it has a '.' or a '/', or names a file that
// exists), the hint says how to name it, as rm's does.
func flagError(_ *cobra.Command, err error) error {
	var ne *pflag.NotExistError
	if errors.As(err, &ne) {
		arg := "--" + ne.GetSpecifiedName()
		if short := ne.GetSpecifiedShortnames(); short != "" {
			arg = "-" + short
		}
		if _, statErr := os.Lstat(arg); statErr == nil || strings.ContainsAny(arg, "./") {
			return withHint(usageErrorf("%v", err), "to name a file that starts with '-', use ./%s or put -- before it", arg)
		}
	}
	return usageErrorf("%v", err)
}
