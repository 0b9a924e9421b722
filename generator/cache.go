package generator

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"

	"github.com/shipseal/shipseal/atomicfile"
)

// lockName is the lock file every run sharing a cache directory takes
// before it reads or refreshes an entry, so that concurrent runs ask the
// source once and never see each other's half-written entries.
const lockName = ".shipseal-generate.lock"

var (
	errCacheUnusable = errors.New("not trusted")
	errCacheExpired  = errors.New("the cached dockercfg has expired")
)

// lockRetry is how often a waiting run tries the lock again.
const lockRetry = 20 * time.Millisecond

// cached returns the cache entry for p while it is fresh and valid, and
// refreshes it otherwise.
func (g *Generator) cached(ctx context.Context, dir string, p *plan, res *Result) ([]byte, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating the cache directory: %w", err)
	}
	if st, err := os.Stat(dir); err == nil && st.Mode().Perm()&0o077 != 0 {
		g.warnf("cache directory %s has mode %#o: others may read or replace cached credentials; make it 0700", dir, st.Mode().Perm())
	}
	lock := flock.New(filepath.Join(dir, lockName), flock.SetPermissions(0o600))
	ok, err := lock.TryLockContext(ctx, lockRetry)
	if err != nil || !ok {
		if err == nil || ctx.Err() != nil {
			err = context.Cause(ctx)
		}
		return nil, fmt.Errorf("locking the cache directory %s: %w", dir, err)
	}
	defer lock.Unlock()

	entry := filepath.Join(dir, "dockercfg-"+p.cacheKey(g.format())+".json")
	data, age, err := g.readEntry(entry)
	switch {
	case err == nil:
		keys, cerr := check(p.origin, data)
		if cerr == nil {
			g.infof("reusing the cached dockercfg (%s old, max %s)", round(age), g.maxAge())
			res.Cached, res.CacheAge, res.Registries = true, age, keys
			return data, nil
		}
		g.warnf("the cached dockercfg %s is not valid: refreshing it", entry)
	case errors.Is(err, fs.ErrNotExist):
	case errors.Is(err, errCacheExpired):
		g.infof("%v; refreshing it", err)
	default:
		g.warnf("%v; refreshing it", err)
	}
	data, err = g.render(ctx, p, res)
	if err != nil {
		return nil, err
	}
	// An interrupt while the source was asked leaves the cache as it was.
	if ctx.Err() != nil {
		return nil, context.Cause(ctx)
	}
	if err := atomicfile.WriteFile(entry, data, 0o600); err != nil {
		// The cache is an optimisation: a full disk must not stop a build.
		g.warnf("cannot update the cache: %v", err)
	}
	return data, nil
}

// readEntry returns a cache entry's content and age, or an error saying why
// it cannot be used.
func (g *Generator) readEntry(entry string) ([]byte, time.Duration, error) {
	st, err := os.Lstat(entry)
	if err != nil {
		return nil, 0, err
	}
	if !st.Mode().IsRegular() {
		return nil, 0, fmt.Errorf("the cached dockercfg %s is not a regular file: %w", entry, errCacheUnusable)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, 0, fmt.Errorf("the cached dockercfg %s has mode %#o, not 0600: %w", entry, st.Mode().Perm(), errCacheUnusable)
	}
	age := g.now().Sub(st.ModTime())
	if age < -time.Minute || age >= g.maxAge() {
		return nil, 0, fmt.Errorf("%w (%s old, max %s)", errCacheExpired, round(age), g.maxAge())
	}
	if age < 0 {
		age = 0
	}
	data, err := os.ReadFile(entry)
	if err != nil {
		return nil, 0, err
	}
	return data, age, nil
}

func round(d time.Duration) time.Duration {
	if d > time.Minute || d < -time.Minute {
		return d.Round(time.Second)
	}
	return d.Round(time.Millisecond)
}
