package precommit

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/envfile"
	"github.com/shipseal/shipseal/validate"
)

func TestEnvSecretKind(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		want        string // "" for no secret
	}{
		// Names that say the value is a secret.
		{"DB_PASSWORD", "hunter2", "a password"},
		{"POSTGRES_PASSWORD", "s3cr3t!", "a password"},
		{"dbPassword", "hunter2", "a password"},
		{"SMTP_PASSWD", "hunter2", "a password"},
		{"DB_PASS", "hunter2", "a password"},
		{"MYSQL_PWD", "hunter2", "a password"},
		{"GPG_PASSPHRASE", "correct horse battery staple", "a password"},
		{"ADMIN_PASSWORDS", "a,b,c", "a password"},
		{"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "a secret"},
		{"NEXTAUTH_SECRET", "f00ba5", "a secret"},
		{"SECRET_KEY_BASE", "a1b2c3", "a secret"},
		{"GITHUB_TOKEN", "abc123", "a token"},
		{"npm_token", "abc123", "a token"},
		{"STRIPE_API_KEY", "sk_live_abc", "a key"},
		{"apiKey", "abc", "a key"},
		{"SENDGRID_APIKEY", "abc", "a key"},
		{"MINIO_ACCESS_KEY", "minio", "a key"},
		{"JWT_PRIVATE_KEY", "abc", "a key"},
		{"APP_KEY", "base64:Zm9vYmFy", "a key"},
		{"ENCRYPTION_KEY", "short", "a key"},
		// Any other NAME_KEY: only a value that looks generated.
		{"MAILGUN_KEY", "3f6c1e0b9a7d4c2e8f5a", "a key"},
		{"SORT_KEY", "created_at", ""},
		{"CACHE_KEY", "v2", ""},
		{"KEYBOARD", "3f6c1e0b9a7d4c2e8f5a", ""},
		// Names about a secret, not holding one.
		{"POSTGRES_PASSWORD_FILE", "/run/secrets/db", ""},
		{"TOKEN_TTL", "3600", ""},
		{"OAUTH_TOKEN_URL", "https://auth.example.com/token", ""},
		{"SECRET_NAME", "app-secrets", ""},
		{"AWS_ACCESS_KEY_ID", "some-id", ""},
		{"PASSWORD_MIN_LENGTH", "12", ""},
		{"NEXT_PUBLIC_API_KEY", "pk_abc", ""},
		{"STRIPE_PUBLISHABLE_KEY", "pk_live_abc", ""},
		{"TOKENIZER", "bert-base", ""},
		{"PWD", "/app", ""},
		{"LOG_LEVEL", "debug", ""},
		// Placeholders and references.
		{"DB_PASSWORD", "", ""},
		{"DB_PASSWORD", "  ", ""},
		{"DB_PASSWORD", `""`, ""},
		{"DB_PASSWORD", "changeme", ""},
		{"DB_PASSWORD", "CHANGE_ME", ""},
		{"DB_PASSWORD", "'change-me'", ""},
		{"DB_PASSWORD", "password", ""},
		{"DB_PASSWORD", "xxxxxxxx", ""},
		{"DB_PASSWORD", "********", ""},
		{"DB_PASSWORD", "...", ""},
		{"DB_PASSWORD", "<password>", ""},
		{"DB_PASSWORD", "${DB_PASSWORD}", ""},
		{"DB_PASSWORD", "$DB_PASSWORD", ""},
		{"DB_PASSWORD", "$(cat /run/secrets/db)", ""},
		{"DB_PASSWORD", "{{ .Values.db.password }}", ""},
		{"DB_PASSWORD", "op://prod/db/password", ""},
		{"DB_PASSWORD", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db", ""},
		{"DB_PASSWORD", "encrypted:BDb7t3bQmiL9xQ4ZGkG0", ""},
		{"DB_PASSWORD", "ENC[AES256_GCM,data:kTV=,iv:a=,tag:b=,type:str]", ""},
		{"API_TOKEN", "your-api-token", ""},
		{"API_TOKEN", "YOUR_API_TOKEN", ""},
		{"API_TOKEN", "put-your-token-here", ""},
		{"API_TOKEN", "example", ""},
		{"API_TOKEN", "dummy", ""},
		{"API_TOKEN", "test", ""},
		{"USE_SECRET", "true", ""},
		{"DB_PASSWORD", "changeme # set in CI", ""},
		{"DB_PASSWORD", `"changeme" # set in CI`, ""},
		// Quotes and comments do not hide a real value.
		{"DB_PASSWORD", `"hunter2"`, "a password"},
		{"DB_PASSWORD", "'hunter2' # prod", "a password"},
		{"DB_PASSWORD", "pa$$w0rd", "a password"},
		{"DB_PASSWORD", "$ecret", ""}, // reads as a reference to $ecret: a blind spot
		{"DB_PASSWORD", "your", "a password"},
		// Shapes, whatever the name.
		{"CI", "AKIA2E0A8F3B244C9986", "an AWS access key id"},
		{"AWS_ACCESS_KEY_ID", "ASIA2E0A8F3B244C9986", "an AWS access key id"},
		{"X", "ghp_" + strings.Repeat("a1B2", 9), "a GitHub token"},
		{"X", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "a GitHub token"},
		{"NOTIFY", "xoxb-1234567890-abcdefghij", "a Slack token"},
		{"DEPLOY", `"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----"`, "a private key"},
		{"SIGNING", "-----BEGIN PGP PRIVATE KEY BLOCK-----", "a private key"},
		{"DATABASE_URL", "postgres://app:s3cr3t@db:5432/app", "a URL with a password"},
		{"REDIS_URL", "redis://:s3cr3t@cache:6379/0", "a URL with a password"},
		{"NEXT_PUBLIC_X", "ghp_" + strings.Repeat("a1B2", 9), "a GitHub token"},
		// Shapes that are not credentials.
		{"DATABASE_URL", "postgres://app@db/app", ""},
		{"DATABASE_URL", "postgres://app:${DB_PASSWORD}@db/app", ""},
		{"DATABASE_URL", "postgres://app:password@db/app", ""},
		{"HOMEPAGE", "https://example.com:8080/", ""},
		{"CERT", "-----BEGIN CERTIFICATE-----", ""},
		{"SSH_PUBLIC_KEY", "-----BEGIN PUBLIC KEY-----", ""},
		{"AWS_REGION", "AKIA2E0A8F3B244C99861", ""}, // 17 characters after AKIA
		{"BRANCH", "ghp_short", ""},
	} {
		if got := envSecretKind(tc.name, tc.value); got != tc.want {
			t.Errorf("envSecretKind(%s, %q) = %q, want %q", tc.name, tc.value, got, tc.want)
		}
	}
}

func TestTemplateName(t *testing.T) {
	for name, want := range map[string]bool{
		".env.example": true, ".env.sample": true, ".env.template": true, ".env.dist": true, ".env.tpl": true,
		"config/.env.example": true, "example.env": true, ".env-example": true, ".env.production.sample": true,
		".env": false, ".env.local": false, "prod.env": false, "env": false, "examples/.env": false, ".env.test": false,
	} {
		if got := templateName(name); got != want {
			t.Errorf("templateName(%s) = %v, want %v", name, got, want)
		}
	}
}

// secretCodes lists the CK006 findings of a check of name, as
// line:column VARIABLE, and the other codes apart.
func secretCodes(t *testing.T, c *Checker, name, data string) (secrets, others []string) {
	t.Helper()
	r, err := c.Check(name, []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if r == nil {
		return nil, []string{"-"}
	}
	for _, d := range r.Diagnostics {
		if d.Code != CodePlainEnvSecret {
			others = append(others, d.Code)
			continue
		}
		if d.Severity != diag.Error {
			t.Errorf("%s: CK006 is a %v, want an error", name, d.Severity)
		}
		v, _, _ := strings.Cut(d.Message, " ")
		secrets = append(secrets, d.Pos.String()+" "+v)
	}
	return secrets, others
}

func TestCheckEnvSecrets(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		want       string // CK006 findings, "line:column VARIABLE" joined by ", "
		others     string // other codes, "-" for no report
	}{
		{".env", "DB_PASSWORD=hunter2\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n", "1:1 DB_PASSWORD, 2:1 AWS_SECRET_ACCESS_KEY", ""},
		{".env", "LOG_LEVEL=debug\nDB_PASSWORD=\nAPI_TOKEN=changeme\n", "", ""},
		// Every name an env file goes by; not other files, whatever they hold.
		{"deploy/app.env", "DB_PASSWORD=hunter2\n", "1:1 DB_PASSWORD", ""},
		{".env.production", "DB_PASSWORD=hunter2\n", "1:1 DB_PASSWORD", ""},
		{"env", "DB_PASSWORD=hunter2\n", "1:1 DB_PASSWORD", ""},
		{"config/environment", "DB_PASSWORD=hunter2\n", "1:1 DB_PASSWORD", ""},
		{"app.properties", "db.password=hunter2\n", "", "-"},
		{"deploy.sh", "export DB_PASSWORD=hunter2\n", "", "-"},
		{".envrc", "export DB_PASSWORD=hunter2\n", "", "-"},
		// Templates are skipped.
		{".env.example", "DB_PASSWORD=hunter2\n", "", ""},
		{"config/example.env", "DB_PASSWORD=hunter2\n", "", ""},
		// CRLF, indentation, export, quotes, in both dialects (prod.env is
		// read as docker run does, which refuses export: EV008).
		{".env", "A=1\r\nDB_PASSWORD=hunter2\r\n", "2:1 DB_PASSWORD", "EV011"},
		{"prod.env", "A=1\r\nDB_PASSWORD=hunter2\r\n", "2:1 DB_PASSWORD", "EV011"},
		{".env", "  export DB_PASSWORD='hunter2'\n", "1:10 DB_PASSWORD", ""},
		{"prod.env", "export DB_PASSWORD=hunter2\n", "1:8 DB_PASSWORD", "EV008"},
		{"prod.env", "DB_PASSWORD=\"hunter2\"\n", "1:1 DB_PASSWORD", "EV009"},
		{"prod.env", "DB_PASSWORD=\"changeme\"\n", "", "EV009"},
		{".env", "DB_PASSWORD=\"\"\n", "", ""},
		// A syntax error elsewhere does not hide a secret.
		{"prod.env", "=oops\nGITHUB_TOKEN=abc123\n", "2:1 GITHUB_TOKEN", "EV005"},
		// Compose: a default is a value, a reference to the environment is
		// not; a multi-line value is one.
		{".env", "DB_PASSWORD=${DB_PASSWORD:-hunter2}\n", "1:1 DB_PASSWORD", ""},
		{".env", "A=1\nDEPLOY_KEY=\"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=\n-----END OPENSSH PRIVATE KEY-----\"\n", "2:1 DEPLOY_KEY", ""},
		// Inherited from the environment: no value in the file.
		{"prod.env", "DB_PASSWORD\n", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			secrets, others := secretCodes(t, &Checker{Validate: validate.Options{AutoDialect: true}}, tc.name, tc.data)
			if got := strings.Join(secrets, ", "); got != tc.want {
				t.Errorf("CK006 in %q = %q, want %q", tc.data, got, tc.want)
			}
			if got := strings.Join(others, " "); got != tc.others {
				t.Errorf("other codes in %q = %q, want %q", tc.data, got, tc.others)
			}
		})
	}
}

func TestCheckEnvSecretsAllowed(t *testing.T) {
	c := &Checker{Validate: validate.Options{AutoDialect: true}}
	data := "# shipseal:allow CK006\nDB_PASSWORD=hunter2\nAPI_TOKEN=abc123\n"
	r, err := c.Check(".env", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Diagnostics) != 1 || r.Diagnostics[0].Pos.Line != 3 {
		t.Errorf("pragma: diagnostics %+v, want only line 3's", r.Diagnostics)
	}
	if len(r.Notes) != 1 || r.Notes[0] != "CK006 at line 2 allowed by a # shipseal:allow comment" {
		t.Errorf("pragma: notes %q", r.Notes)
	}
	r, _ = c.Check(".env", []byte("# shipseal:allow-file CK006\n"+data))
	if !r.Valid() || len(r.Notes) != 2 {
		t.Errorf("allow-file: %+v, notes %q; want valid with two notes", r.Diagnostics, r.Notes)
	}
	c.Allow = []Allow{{Code: "CK006", Glob: ".env.test"}}
	if r, _ = c.Check(".env.test", []byte(data)); !r.Valid() {
		t.Errorf("--allow: %+v, want valid", r.Diagnostics)
	}
	if r, _ = c.Check(".env", []byte(data)); r.Valid() {
		t.Errorf("--allow for .env.test allowed .env")
	}
}

func TestCheckEnvSecretsMessage(t *testing.T) {
	const secret = "hunter2hunter2"
	r, err := (&Checker{Validate: validate.Options{AutoDialect: true}}).Check("deploy/.env", []byte("LOG=1\n  export API_TOKEN=\""+secret+"\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := diag.WriteText(&out, []*diag.Report{r}); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	if err := diag.WriteJSON(&out, []*diag.Report{r}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), secret) {
		t.Errorf("the output shows the secret:\n%s", out.String())
	}
	for _, want := range []string{
		"deploy/.env:2:10: error CK006: API_TOKEN holds a token in plaintext: anyone who can read the repository can use it\n",
		"  export API_TOKEN=****\n",
		"hint: commit the encrypted file only: shipseal encrypt deploy/.env deploy/.env.encrypted, then git rm --cached deploy/.env and add it to .gitignore",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the output lacks %q:\n%s", want, text)
		}
	}
}

// TestCheckEnvParsesOnce checks that CK006 reads the env file that
// validation parsed instead of parsing it again: checking an env file
// allocates what validating it, the CK006 search over its variables and
// the search for # shipseal:allow comments do, and (within a small
// margin, for the rest of the check) nothing more, while a second parse
// would allocate as much as a parse.
func TestCheckEnvParsesOnce(t *testing.T) {
	var b bytes.Buffer
	for i := range 200 {
		fmt.Fprintf(&b, "# service %d\nSERVICE_%d_HOST=svc%d.internal\nSERVICE_%d_TOKEN_TTL=%ds\n", i, i, i, i, 60+i)
	}
	data := b.Bytes()
	// The search reads the variables of the file it is given, not data's.
	given, err := envfile.Parse([]byte("DB_PASSWORD=hunter2\n"), envfile.Compose)
	if err != nil {
		t.Fatal(err)
	}
	if d := envSecrets(".env", ".env.encrypted", []byte("A=1\n"), given, nil, nil); len(d) != 1 {
		t.Errorf("envSecrets of a file given parsed: %d findings, want 1, the given file's", len(d))
	}
	c := &Checker{Validate: validate.Options{AutoDialect: true}, Exists: func(string) bool { return false }}
	opts := validate.Options{Kind: validate.Env, Dialect: validate.DialectFromName(".env")}
	r, f := validate.PlainEnv(".env", data, opts, nil)
	if f == nil || len(f.Entries) != 400 || !r.Valid() {
		t.Fatalf("the test's env file: parsed %v, diagnostics %v; want 400 entries and no findings", f != nil, r.Diagnostics)
	}
	if cr, err := c.Check(".env", data); err != nil || cr == nil || len(cr.Diagnostics) != 0 {
		t.Fatalf("Check: error %v, report %v; want a report with no findings", err, cr != nil)
	}
	check := testing.AllocsPerRun(10, func() { c.Check(".env", data) })
	plain := testing.AllocsPerRun(10, func() { validate.PlainEnv(".env", data, opts, nil) })
	search := testing.AllocsPerRun(10, func() { envSecrets(".env", ".env.encrypted", data, f, r.Source, nil) })
	pragmas := testing.AllocsPerRun(10, func() { parsePragmas(data) })
	parse := testing.AllocsPerRun(10, func() { envfile.Parse(data, opts.Dialect) })
	rest := check - plain - search - pragmas
	t.Logf("allocations: check %v = validation %v + CK006 search %v + # shipseal:allow comments %v + the rest %v; a parse is %v",
		check, plain, search, pragmas, rest, parse)
	if rest >= parse/10 {
		t.Errorf("checking an env file allocates %v more than validating it, searching it for secrets and for pragmas; a parse allocates %v: is it parsed twice?", rest, parse)
	}
}
