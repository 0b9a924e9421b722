package generator

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/docker/docker-credential-helpers/client"

	"github.com/shipseal/shipseal/atomicfile"
	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/dockercfg"
)

// DefaultMaxAge is how long a cached dockercfg is reused.
const DefaultMaxAge = time.Hour

// Generator resolves credentials and writes a dockercfg. The zero value
// picks the source by precedence from the process environment and writes
// config.json form with mode 0600, without a cache.
type Generator struct {
	// Source forces a source; empty picks the first configured one.
	Source Source
	// File is the encrypted dockercfg (--from-file); it selects SourceFile.
	File string
	// KeyPath is the key file (--key-path); empty means $SHIPSEAL_KEY or
	// $SHIPSEAL_KEY_PATH.
	KeyPath string
	// Helper is a credential helper's name (--from-helper ecr-login runs
	// docker-credential-ecr-login); it selects SourceHelper, asked for
	// each of Registries.
	Helper     string
	Registries []string

	// Format is the written form; zero means dockercfg.FormatConfigJSON.
	Format dockercfg.Format
	// Mode is the written file's permission bits; zero means 0600.
	Mode os.FileMode

	// CacheDir keeps the last generated dockercfg; empty means
	// $SHIPSEAL_CACHE_DIR, and no cache when that is empty too.
	CacheDir string
	// MaxAge is how long a cached dockercfg is reused; zero means
	// DefaultMaxAge.
	MaxAge time.Duration

	// DefaultFile replaces DefaultFile (for tests).
	DefaultFile string
	// Getenv reads the environment; nil means os.Getenv.
	Getenv func(string) string
	// HelperProgram runs a credential helper; nil runs
	// docker-credential-NAME from $PATH.
	HelperProgram func(name string) client.ProgramFunc
	// Infof and Warnf receive progress lines and warnings, never holding
	// a secret; nil discards them.
	Infof, Warnf func(format string, args ...any)
	// Now is the clock for cache ages; nil means time.Now.
	Now func() time.Time
}

// Result says what Generate wrote.
type Result struct {
	Path   string
	Source Source
	// Origin says where the credentials came from (no secrets).
	Origin string
	// Registries are the keys written, in file order.
	Registries []string
	Format     dockercfg.Format
	Mode       os.FileMode
	// Cached is set when the content came from the cache, CacheAge old.
	Cached   bool
	CacheAge time.Duration
	// Report holds warnings about the credentials, or is nil.
	Report *diag.Report
}

func (g *Generator) infof(format string, args ...any) {
	if g.Infof != nil {
		g.Infof(format, args...)
	}
}

func (g *Generator) warnf(format string, args ...any) {
	if g.Warnf != nil {
		g.Warnf(format, args...)
	}
}

func (g *Generator) format() dockercfg.Format {
	if g.Format == 0 {
		return dockercfg.FormatConfigJSON
	}
	return g.Format
}

func (g *Generator) mode() os.FileMode {
	if g.Mode == 0 {
		return 0o600
	}
	return g.Mode
}

// Resolve finds the credentials without writing anything.
func (g *Generator) Resolve() (*Credentials, error) {
	p, err := g.plan()
	if err != nil {
		return nil, err
	}
	for _, msg := range p.ignored {
		g.warnf("%s", msg)
	}
	return p.resolve(context.Background())
}

// Generate resolves the credentials, validates them and writes them to
// path atomically: a reader sees the old file or the complete new one, and
// on any error path is left as it was.
//
// Once ctx is done, Generate writes nothing and returns context.Cause(ctx),
// also from a wait that no check would end: reading an input that is a
// named pipe nothing writes to, a credential helper that does not answer
// (it is killed), the cache lock, opening a path that is a named pipe
// nothing reads. A read or an open that was given up on may go on in a
// goroutine until it ends by itself; its result is dropped.
func (g *Generator) Generate(ctx context.Context, path string) (*Result, error) {
	if ctx.Err() != nil {
		return nil, context.Cause(ctx)
	}
	if path == "" {
		return nil, &configError{msg: "no output path", hint: "give the path the dockercfg is written to"}
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return nil, &hinted{fmt.Errorf("%s is a directory", path), "give a file name in it, such as " + filepath.Join(path, "dockercfg")}
	}
	if st, err := os.Stat(filepath.Dir(path)); err != nil || !st.IsDir() {
		return nil, &hinted{fmt.Errorf("cannot write %s: directory %s does not exist", path, filepath.Dir(path)),
			"mount a volume there: docker run -v /tmp:/opt/data IMAGE /opt/data/dockercfg"}
	}
	if m := g.mode(); m&^fs.ModePerm != 0 {
		return nil, &configError{msg: fmt.Sprintf("mode %#o is not permission bits", m), hint: "give an octal mode such as 0600"}
	}
	p, err := await(ctx, g.plan)
	if err != nil {
		return nil, err
	}
	g.infof("using %s", p.origin)
	for _, msg := range p.notes {
		g.infof("%s", msg)
	}
	for _, msg := range p.ignored {
		g.warnf("%s", msg)
	}
	g.checkName(path)
	res := &Result{Path: path, Source: p.source, Origin: p.origin, Format: g.format(), Mode: g.mode()}

	var data []byte
	if dir := g.cacheDir(); dir != "" {
		data, err = g.cached(ctx, dir, p, res)
	} else {
		data, err = g.render(ctx, p, res)
	}
	// An interrupt while the source was asked (a helper, a cache lock)
	// leaves path as it was.
	if err != nil || ctx.Err() != nil {
		return nil, stopped(ctx, err)
	}
	if err := g.write(ctx, path, data); err != nil {
		if ctx.Err() != nil {
			return nil, stopped(ctx, err)
		}
		err = fmt.Errorf("writing the dockercfg: %w", err)
		if h := writeHint(err); h != "" {
			return nil, &hinted{err, h}
		}
		return nil, err
	}
	return res, nil
}

// write puts data at path atomically, unless ctx is done before the file
// is complete. A path that is a named pipe (or a device) is written in
// place, and opening a pipe waits for a reader: atomicfile.CreateContext
// gives that wait up when ctx is done.
func (g *Generator) write(ctx context.Context, path string, data []byte) error {
	f, err := atomicfile.CreateContext(ctx, path, g.mode())
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(data); err != nil {
		return err
	}
	// A signal while the file was written still leaves path as it was.
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return f.Commit()
}

// stopped is the error of a step that ended with err (or nil) once ctx
// may be done: the cause of ctx when err does not already say it (a
// helper killed by the interrupt fails with "signal: killed"), else err.
func stopped(ctx context.Context, err error) error {
	cause := context.Cause(ctx)
	if cause == nil || errors.Is(err, cause) {
		return err
	}
	return cause
}

// await runs f in a goroutine of its own and returns its result, or
// ctx's cause as soon as ctx is done: f may wait where no check of ctx
// would run (opening or reading a named pipe, a file system that does not
// answer). f must leave nothing behind: once given up on, it goes on until
// its wait ends, and its result is dropped.
func await[T any](ctx context.Context, f func() (T, error)) (T, error) {
	if ctx.Done() == nil { // never done
		return f()
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := f()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, context.Cause(ctx)
	}
}

// render resolves the plan and turns the credentials into the file's bytes,
// validated.
func (g *Generator) render(ctx context.Context, p *plan, res *Result) ([]byte, error) {
	creds, err := p.resolve(ctx)
	if err != nil {
		return nil, err
	}
	cfg := creds.Config
	// The file is for a CI machine: docker there would look for the helper
	// named here and ignore the credentials written inline. (Validation
	// already refused credHelpers entries: those registries have no
	// credentials in the file.)
	if cfg.CredsStore != "" {
		g.warnf("dropping \"credsStore\": %q from %s: CI has no docker-credential-%s, and docker would ignore the credentials in the file", cfg.CredsStore, p.origin, cfg.CredsStore)
		cfg.CredsStore = ""
	}
	data, err := cfg.Marshal(g.format())
	if err != nil {
		return nil, &hinted{fmt.Errorf("the credentials from %s cannot be written as %s: %w", p.origin, g.format(), err),
			"write config.json form (drop --format legacy), or remove those fields"}
	}
	keys, err := check(p.origin, data)
	if err != nil {
		return nil, err
	}
	res.Registries = keys
	res.Report = creds.Report
	return data, nil
}

// check validates what is about to be written and returns its registries.
func check(origin string, data []byte) ([]string, error) {
	cfg, rep := dockercfg.Validate("generated dockercfg", data, dockercfg.Options{})
	if !rep.Valid() || cfg == nil {
		return nil, &InvalidError{What: "the dockercfg generated from " + origin, Report: rep}
	}
	var keys []string
	for _, e := range cfg.Auths {
		if !e.Empty() {
			keys = append(keys, e.Registry)
		}
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%s holds no registry credentials: %w", origin, ErrInvalid)
	}
	return keys, nil
}

func (g *Generator) now() time.Time {
	if g.Now != nil {
		return g.Now()
	}
	return time.Now()
}

func (g *Generator) cacheDir() string {
	if g.CacheDir != "" {
		return g.CacheDir
	}
	return g.getenv(EnvCacheDir)
}

func (g *Generator) maxAge() time.Duration {
	if g.MaxAge == 0 {
		return DefaultMaxAge
	}
	return g.MaxAge
}
