package envfile

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/docker/cli/pkg/kvfile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/internal/leaktest"
)

// pemBlock returns a PEM block of kind whose body is 64-column base64 of
// n random bytes, and the body's lines.
func pemBlock(r *rand.Rand, kind string, n int) (string, []string) {
	raw := make([]byte, n)
	for i := range raw {
		raw[i] = byte(r.IntN(256))
	}
	body := base64.StdEncoding.EncodeToString(raw)
	var lines []string
	for len(body) > 64 {
		lines = append(lines, body[:64])
		body = body[64:]
	}
	lines = append(lines, body)
	return "-----BEGIN " + kind + "-----\n" + strings.Join(lines, "\n") + "\n-----END " + kind + "-----\n", lines
}

// shown is one diagnostic as a test compares it: line, severity, code
// and the start of its message.
func shown(r *diag.Report) []string {
	var out []string
	for _, d := range r.Diagnostics {
		out = append(out, fmt.Sprintf("%d %s %s %s", d.Pos.Line, d.Severity, d.Code, r.Message(d)))
	}
	return out
}

// TestMultiLineValues: the lines that continue a value opened on a
// NAME=value line are reported once, as a run, at its first line; the
// errors docker raises in it are still errors (the first, with the count
// of the others); the file reads as docker reads it.
func TestMultiLineValues(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 6))
	key, _ := pemBlock(r, "PRIVATE KEY", 1190) // 25 body lines
	chain1, _ := pemBlock(r, "CERTIFICATE", 300)
	chain2, _ := pemBlock(r, "CERTIFICATE", 300)
	const run = "continue %s's value: docker's --env-file reads one line per variable"
	const refused = "docker refuses the file at this line of %s's value: a line without = is a variable name to docker, and a name cannot hold whitespace"
	tests := []struct {
		name string
		in   string
		want []string // line, severity, code, message
	}{{
		name: "the audit's deploy key",
		in:   "DEPLOY_KEY=" + key + "OTHER=1\n",
		want: []string{
			"2 warning EV013 lines 2–27 " + fmt.Sprintf(run, "DEPLOY_KEY"),
			"27 error EV013 " + fmt.Sprintf(refused, "DEPLOY_KEY"),
		},
	}, {
		name: "the key from the line after NAME=",
		in:   "A=1\nTLS_KEY=\n" + key,
		want: []string{
			"3 warning EV013 lines 3–29 " + fmt.Sprintf(run, "TLS_KEY"),
			"3 error EV013 " + fmt.Sprintf(refused, "TLS_KEY") + " (and at 1 more of its lines)",
		},
	}, {
		name: "in quotes",
		in:   `KEY="` + strings.TrimSuffix(key, "\n") + "\"\n",
		want: []string{
			"2 warning EV013 lines 2–27 " + fmt.Sprintf(run, "KEY"),
			"27 error EV013 " + fmt.Sprintf(refused, "KEY"),
		},
	}, {
		name: "a certificate chain",
		in:   "CA=" + chain1 + chain2 + "B=2\n",
		want: []string{
			"2 warning EV013 lines 2–18 " + fmt.Sprintf(run, "CA"),
			"9 error EV013 " + fmt.Sprintf(refused, "CA") + " (and at 2 more of its lines)",
		},
	}, {
		name: "a pasted service-account key",
		in:   "GCP_KEY={\n  \"type\": \"service_account\",\n  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIE\\n\",\n  \"x\": {\"y\": [1, \"}\"]}\n}\nB=2\n",
		want: []string{
			"2 warning EV013 lines 2–5 " + fmt.Sprintf(run, "GCP_KEY"),
			"2 error EV013 " + fmt.Sprintf(refused, "GCP_KEY") + " (and at 2 more of its lines)",
		},
	}, {
		name: "compact JSON that docker reads, as { alone",
		in:   "CFG={\n\"a\":\"b\"\n}\n",
		want: []string{"2 warning EV013 lines 2–3 " + fmt.Sprintf(run, "CFG")},
	}, {
		name: "lines that docker reads as NAME=value",
		in:   "K={\n=x\n\"a b\"=1\n\"c\"=2\n}\n",
		want: []string{
			"2 warning EV013 lines 2–5 " + fmt.Sprintf(run, "K"),
			"2 error EV005 docker refuses the file at this line of K's value: it starts with =, so it has no variable name (and at 1 more of its lines)",
		},
	}, {
		name: "a line that is no part of a PEM body ends it",
		in:   "K=-----BEGIN X-----\nAAAA==\nB=1\n-----END X-----\n",
		want: []string{"4 error EV013 the line is not NAME=value: it has no = and docker refuses it"},
	}, {
		name: "a PEM block without its end is no run",
		in:   "K=-----BEGIN X-----\nAB/C+\nB=1\n",
		want: []string{"2 warning EV013 the line has no =: docker takes it as a variable name to inherit, and drops it when that is not set"},
	}, {
		name: "a quote closed inside a line is no run",
		in:   "A=\"abc\nB=it's \"x\" here\n",
		want: []string{"1 warning EV009 the value is in an opening quote that docker keeps as part of it"},
	}, {
		name: "brackets closed on the line are no run",
		in:   "A={\"a\":1}\nB=[1,\n",
		want: nil,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.in)
			f, rep := Validate("x.env", data, Options{Dialect: Docker})
			assert.Equal(t, tt.want, shown(rep))
			want, err := kvfile.ParseFromReader(bytes.NewReader(data), nil)
			compareDocker(t, data, want, err)
			if f != nil {
				assert.Equal(t, data, f.Bytes())
			}
		})
	}
}

// TestMultiLineHint: a quoted multi-line value that compose would read
// gets the hint that says so; a key in a docker file the plain fix.
func TestMultiLineHint(t *testing.T) {
	_, r := Validate("x.env", []byte("MSG=\"first\nsecond\"\n"), Options{Dialect: Docker})
	require.Len(t, r.Diagnostics, 1)
	assert.Contains(t, r.Diagnostics[0].Hint, "compose would read this file")
	assert.Contains(t, r.Diagnostics[0].Hint, "or pass --dialect compose if only compose reads this file")
	_, r = Validate("x.env", []byte("K=-----BEGIN X-----\nAAAA\n-----END X-----\n"), Options{Dialect: Docker})
	require.Len(t, r.Diagnostics, 2)
	assert.Equal(t, `put the value on one line (e.g. base64 it, or \n escapes if the app unescapes them) or mount it as a file`, r.Diagnostics[0].Hint)
}

// TestMultiLineNoLeak plants secrets in every line of pasted keys and
// JSON, quoted or not, and checks that no report shows a piece of them,
// nor of the lines docker would take for names.
func TestMultiLineNoLeak(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for i := 0; i < 200; i++ {
		block, lines := pemBlock(r, "RSA PRIVATE KEY", 100+r.IntN(2000))
		token := leaktest.Token(r)
		var in string
		switch i % 4 {
		case 0:
			in = "DEPLOY_KEY=" + block
		case 1:
			in = "DEPLOY_KEY=\"" + strings.TrimSuffix(block, "\n") + "\"\n"
		case 2:
			in = "SA={\n  \"private_key\": \"" + token + "\",\n  \"client_email\": \"x@y.iam\"\n}\n"
		case 3:
			// A legacy encrypted key: headers, a blank line, the body.
			in = "DEPLOY_KEY=" + strings.Replace(block, "\n", "\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,"+token+"\n\n", 1)
		}
		in = "A=1\n" + in + "B=2\n"
		c := leaktest.Case{Data: []byte(in), Secrets: append([]string{token}, lines...)}
		for _, d := range []Dialect{Docker, Compose} {
			_, rep := Validate("leak.env", c.Data, Options{Dialect: d})
			leaktest.Check(t, c, "Validate ("+d.String()+")", leaktest.Render(t, rep))
			if _, err := Parse(c.Data, d); err != nil {
				leaktest.Check(t, c, "Parse ("+d.String()+")", err.Error())
			}
		}
		if t.Failed() {
			return
		}
	}
}

// TestRunMissesAreBounded: a file that opens many multi-line values that
// never close is read in linear time: after maxRunMisses, shipseal stops
// looking for their ends.
func TestRunMissesAreBounded(t *testing.T) {
	var b strings.Builder
	for i := 0; i < maxRunMisses; i++ {
		b.WriteString("A={\n")
	}
	b.WriteString("K=-----BEGIN X-----\nAAAA\n-----END X-----\n")
	_, r := Validate("x.env", []byte(b.String()), Options{Dialect: Docker})
	for _, s := range shown(r) {
		assert.NotContains(t, s, "continue", "no run is looked for after %d misses", maxRunMisses)
	}
	_, r = Validate("x.env", []byte("A={\nK=-----BEGIN X-----\nAAAA\n-----END X-----\n"), Options{Dialect: Docker})
	assert.Contains(t, strings.Join(shown(r), "\n"), "lines 3–4 continue K's value")

	c := newChecker("", []byte(strings.Repeat("A={\n", 100000)), Options{Dialect: Docker})
	c.run()
	assert.Equal(t, maxRunMisses, c.runMisses)
}
