package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/envfile"
	"github.com/shipseal/shipseal/validate"
	"github.com/spf13/pflag"
)

// validateFlags are the flags of the commands that report on files
// (validate, check): --type, --dialect, --strict and --format.
type validateFlags struct {
	kind    string // "auto" where there is no --type
	dialect string
	strict  bool
	format  string
}

// dialectUsage describes --dialect, which defaults to auto everywhere.
const dialectUsage = "env file dialect: auto (by name: compose for .env and .env.*; docker for the others and for every encrypted file, .env.encrypted too), " +
	"docker (docker run --env-file, Codeship's encrypted_env_file) or compose"

// bind registers the flags: --type only when withType, and --dialect with
// dialect as its default.
func (v *validateFlags) bind(f *pflag.FlagSet, withType bool, dialect string) {
	v.kind = "auto"
	if withType {
		f.StringVar(&v.kind, "type", "auto", "what the files are: auto, dockercfg or env")
	}
	f.StringVar(&v.dialect, "dialect", dialect, dialectUsage)
	f.BoolVar(&v.strict, "strict", false, "treat warnings as errors")
	f.StringVar(&v.format, "format", "text", "output format: text or json")
}

// options checks the flags and turns them into validation options.
func (v *validateFlags) options() (validate.Options, error) {
	if v.format != "text" && v.format != "json" {
		return validate.Options{}, usageErrorf("unknown --format %q: want text or json", v.format)
	}
	return validationOptions(v.kind, v.dialect, v.strict)
}

// json reports whether the reports are written as JSON.
func (v *validateFlags) json() bool { return v.format == "json" }

// write prints reports in the chosen format.
func (v *validateFlags) write(w io.Writer, reports []*diag.Report) error {
	if v.json() {
		return diag.WriteJSON(w, reports)
	}
	return diag.WriteText(w, reports)
}

// validationOptions parses the flags every validating command shares.
func validationOptions(kind, dialect string, strict bool) (validate.Options, error) {
	k, err := validate.ParseKind(kind)
	if err != nil {
		return validate.Options{}, usageError{err}
	}
	if strings.EqualFold(dialect, "auto") {
		return validate.Options{Kind: k, AutoDialect: true, Strict: strict}, nil
	}
	d, err := envfile.ParseDialect(dialect)
	if err != nil {
		return validate.Options{}, usageError{fmt.Errorf("%w, or auto", err)}
	}
	return validate.Options{Kind: k, Dialect: d, Strict: strict}, nil
}
