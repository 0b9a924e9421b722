package envfile

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/shipseal/shipseal/diag"
)

// TestInterpolationScope: without a Lookup the file is validated for the
// place where compose will read it, whose environment is not known: a
// variable the file does not define comes from there. With a Lookup (the
// environment exec reads the file in), compose's own rules apply.
func TestInterpolationScope(t *testing.T) {
	env := func(name string) (string, bool) {
		v, ok := map[string]string{"DB_USER": "me", "HOME": "/home/ci", "EMPTY": ""}[name]
		return v, ok
	}
	tests := []struct {
		name   string
		in     string
		lookup func(string) (string, bool)
		want   []string // line, severity, code, message
		value  string   // DB_URL's value, when the file is valid
	}{{
		name:  "required, not the file's: a warning",
		in:    "DB_URL=postgres://${DB_USER:?set DB_USER}@db/app\n",
		want:  []string{"1 warning EV023 DB_USER is not defined earlier in this file: compose stops unless DB_USER is set where it runs"},
		value: "postgres://@db/app",
	}, {
		name:  "required without the colon, not the file's: a warning",
		in:    "DB_URL=${DB_USER?}\n",
		want:  []string{"1 warning EV023 DB_USER is not defined earlier in this file: compose stops unless DB_USER is set where it runs"},
		value: "",
	}, {
		name: "required, set empty by the file: an error",
		in:   "DB_USER=\nDB_URL=postgres://${DB_USER:?set DB_USER}@db/app\n",
		want: []string{"2 error EV023 required variable DB_USER is empty: this file sets it empty before this use, so compose stops here"},
	}, {
		name:  "required without the colon, set empty by the file: empty is set",
		in:    "DB_USER=\nDB_URL=x${DB_USER?}y\n",
		value: "xy",
	}, {
		name:  "required, set by the file",
		in:    "DB_USER=me\nDB_URL=postgres://${DB_USER:?}@db/app\n",
		value: "postgres://me@db/app",
	}, {
		name:  "required, set by the file after its use: compose reads the earlier lines only",
		in:    "DB_URL=${DB_USER:?}\nDB_USER=me\n",
		want:  []string{"1 warning EV023 DB_USER is not defined earlier in this file: compose stops unless DB_USER is set where it runs"},
		value: "",
	}, {
		name:  "required, inherited by a bare line: from the environment",
		in:    "DB_USER\nDB_URL=${DB_USER:?}\n",
		want:  []string{"2 warning EV023 DB_USER is not defined earlier in this file: compose stops unless DB_USER is set where it runs"},
		value: "",
	}, {
		name:  "not the file's: taken from compose's environment",
		in:    "DB_URL=${HOME}/x\n",
		want:  []string{"1 warning EV024 HOME is not defined earlier in this file: compose takes it from the environment where it runs (empty if unset there)"},
		value: "/x",
	}, {
		name:  "a default: nothing to say",
		in:    "DB_URL=${DB_USER:-app}\n",
		value: "app",
	}, {
		name:   "with an environment, compose's rules: set",
		in:     "DB_URL=postgres://${DB_USER:?}@db/app\n",
		lookup: env,
		value:  "postgres://me@db/app",
	}, {
		name:   "with an environment, compose's rules: unset is an error",
		in:     "DB_URL=${NOPE:?}\n",
		lookup: env,
		want:   []string{"1 error EV023 required variable NOPE is unset or empty"},
	}, {
		name:   "with an environment, compose's rules: empty is an error",
		in:     "DB_URL=${EMPTY:?}\n",
		lookup: env,
		want:   []string{"1 error EV023 required variable EMPTY is unset or empty"},
	}, {
		name:   "with an environment, compose's rules: not set",
		in:     "DB_URL=${NOPE}\n",
		lookup: env,
		want:   []string{"1 warning EV024 NOPE is not set: compose substitutes an empty string"},
		value:  "",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, r := Validate(".env", []byte(tt.in), Options{Dialect: Compose, Lookup: tt.lookup})
			assert.Equal(t, tt.want, shown(r))
			for _, d := range r.Diagnostics {
				if tt.lookup == nil {
					assert.NotContains(t, d.Hint, "or in the environment", "the environment validate runs in has no effect")
				}
				assert.NotContains(t, r.Message(d), "set DB_USER", "the :? message is part of the value")
			}
			if !r.Valid() {
				assert.Nil(t, f)
				_, err := Parse([]byte(tt.in), Compose)
				if tt.lookup == nil {
					assert.Error(t, err)
				}
				return
			}
			require.NotNil(t, f)
			v, _ := f.Get("DB_URL", tt.lookup)
			assert.Equal(t, tt.value, v)
			if tt.lookup != nil {
				// compose reads it the same, in that environment.
				m, err := dotenv.ParseWithLookup(bytes.NewReader([]byte(tt.in)), tt.lookup)
				require.NoError(t, err)
				assert.Equal(t, m["DB_URL"], v)
			}
		})
	}
}

// TestEncryptableWithRequired: a file with ${VAR:?msg} of a variable it
// does not define parses (encrypt, check and edit refuse only errors).
func TestEncryptableWithRequired(t *testing.T) {
	_, err := Parse([]byte("DB_URL=postgres://${DB_USER:?set DB_USER}@db/app\n"), Compose)
	require.NoError(t, err)
}

// TestErrorsAreNeverCut: past maxPerCode of one code, warnings become a
// summary at the first one cut, and every error is shown, also of a code
// whose warnings were cut.
func TestErrorsAreNeverCut(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 25; i++ {
		fmt.Fprintf(&b, "hunter%d/value\n", i) // EV013 warning
	}
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&b, "a b/%d\n", i) // EV013 error
	}
	_, r := Validate("x.env", []byte(b.String()), Options{Dialect: Docker})
	var warnings, errs int
	var summary diag.Diagnostic
	for _, d := range r.Diagnostics {
		require.Equal(t, CodeValueOnly, d.Code)
		switch {
		case strings.Contains(d.Message, "more"):
			summary = d
		case d.Severity == diag.Error:
			errs++
		default:
			warnings++
		}
	}
	assert.Equal(t, maxPerCode, warnings)
	assert.Equal(t, 30, errs)
	assert.Equal(t, "5 more warnings like this (EV013), from here on, not shown", summary.Message)
	assert.Equal(t, diag.Warning, summary.Severity)
	assert.Equal(t, maxPerCode+1, summary.Pos.Line, "at the first warning cut")
}

// TestDialectHints: in the docker dialect, a file that compose would
// read gets hints that say so, and what to do; one that compose would
// refuse too keeps the plain hints.
func TestDialectHints(t *testing.T) {
	const written = "export DB_HOST=db\nDB_PASSWORD=\"hunter2\"\nURL=${HOST:-localhost}\n"
	_, r := Validate("x.env", []byte(written), Options{Dialect: Docker})
	want := map[string]string{
		CodeExport:       `remove "export "`,
		CodeQuotes:       "write the value bare",
		CodeDollarDocker: "write the value itself",
	}
	require.Len(t, r.Diagnostics, len(want))
	for _, d := range r.Diagnostics {
		assert.Equal(t, "compose would read this file, but Codeship reads encrypted env files as docker --env-file does "+
			"(no quotes, no ${…}, no export): "+want[d.Code]+", or pass --dialect compose if only compose reads this file", d.Hint, d.Code)
	}
	_, r = Validate("x.env", []byte(written+"BROKEN=\"never closed\n"), Options{Dialect: Docker})
	for _, d := range r.Diagnostics {
		assert.NotContains(t, d.Hint, "compose would read", d.Code)
	}
	_, r = Validate("x.env", []byte(written), Options{Dialect: Compose})
	assert.Empty(t, r.Diagnostics)
}
