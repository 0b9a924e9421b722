package generator_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shipseal/shipseal/generator"
)

// cachedHelper is a generator asking a fake helper, with a cache in dir.
func cachedHelper(t *testing.T, h *fakeHelper, dir string, l *logs) *generator.Generator {
	g := newGenerator(t, env{}, l)
	g.Helper, g.Registries, g.HelperProgram = "fake", []string{reg}, h.program
	g.CacheDir = dir
	return g
}

func cacheEntries(t *testing.T, dir string) []string {
	t.Helper()
	var entries []string
	for _, n := range dirEntries(t, dir) {
		if strings.HasPrefix(n, "dockercfg-") {
			entries = append(entries, filepath.Join(dir, n))
		}
	}
	return entries
}

func TestCacheHit(t *testing.T) {
	h := &fakeHelper{creds: map[string][2]string{reg: {user, password}}}
	cache := filepath.Join(t.TempDir(), "cache")
	out := filepath.Join(t.TempDir(), "dockercfg")

	l := &logs{}
	res, err := cachedHelper(t, h, cache, l).Generate(context.Background(), out)
	if err != nil {
		t.Fatalf("%v\n%s", err, l)
	}
	if res.Cached || h.count() != 1 {
		t.Fatalf("first run: cached %v, helper asked %d times", res.Cached, h.count())
	}
	entries := cacheEntries(t, cache)
	if len(entries) != 1 {
		t.Fatalf("cache entries %q", entries)
	}
	for _, p := range []string{cache, entries[0]} {
		st, _ := os.Stat(p)
		if want := map[bool]os.FileMode{true: 0o700, false: 0o600}[st.IsDir()]; st.Mode().Perm() != want {
			t.Errorf("%s has mode %#o, want %#o", p, st.Mode().Perm(), want)
		}
	}
	first, _ := os.ReadFile(out)
	os.Remove(out)

	// The helper's answer changes; the cache still serves the first.
	h.mu.Lock()
	h.creds[reg] = [2]string{user, "rotated-password"}
	h.mu.Unlock()
	l = &logs{}
	res, err = cachedHelper(t, h, cache, l).Generate(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Cached || h.count() != 1 {
		t.Errorf("second run: cached %v, helper asked %d times", res.Cached, h.count())
	}
	if second, _ := os.ReadFile(out); !bytes.Equal(first, second) {
		t.Errorf("the cache hit wrote\n%s\nnot\n%s", second, first)
	}
	if !strings.Contains(l.String(), "reusing the cached dockercfg") {
		t.Errorf("the log does not say the cache was used:\n%s", l)
	}
	if st, _ := os.Stat(out); st.Mode().Perm() != 0o600 {
		t.Errorf("a cache hit wrote mode %#o", st.Mode().Perm())
	}

	// Other inputs (another registry) are another entry.
	g := cachedHelper(t, h, cache, &logs{})
	h.creds["b.example.com"] = [2]string{user, password}
	g.Registries = []string{"b.example.com"}
	if res, err := g.Generate(context.Background(), out); err != nil || res.Cached {
		t.Errorf("other inputs: cached %v, err %v", res != nil && res.Cached, err)
	}
	if n := len(cacheEntries(t, cache)); n != 2 {
		t.Errorf("%d cache entries, want 2", n)
	}
}

// Changing a static source's secret is a new entry, not a stale hit.
func TestCacheKeyCoversStaticInputs(t *testing.T) {
	cache := t.TempDir()
	out := filepath.Join(t.TempDir(), "dockercfg")
	for i, pw := range []string{"first-password", "second-password"} {
		g := newGenerator(t, env{generator.EnvRegistry: reg, generator.EnvUsername: user, generator.EnvPassword: pw}, &logs{})
		g.CacheDir = cache
		res, err := g.Generate(context.Background(), out)
		if err != nil {
			t.Fatal(err)
		}
		if res.Cached {
			t.Errorf("run %d hit the cache", i)
		}
		if _, got := readCredentials(t, out, reg); got != pw {
			t.Errorf("run %d wrote password %q, want %q", i, got, pw)
		}
	}
}

func TestCacheExpiry(t *testing.T) {
	h := &fakeHelper{creds: map[string][2]string{reg: {user, password}}}
	cache := t.TempDir()
	out := filepath.Join(t.TempDir(), "dockercfg")
	if _, err := cachedHelper(t, h, cache, &logs{}).Generate(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		later  time.Duration
		maxAge time.Duration
		hit    bool
	}{
		{59 * time.Minute, 0, true},
		{61 * time.Minute, 0, false},
		{10 * time.Minute, 5 * time.Minute, false},
		{-10 * time.Minute, 0, false}, // an entry from the future is not trusted
	} {
		// Each case starts from a fresh entry written now.
		entries := cacheEntries(t, cache)
		now := time.Now()
		os.Chtimes(entries[0], now, now)
		before := h.count()
		l := &logs{}
		g := cachedHelper(t, h, cache, l)
		g.MaxAge = c.maxAge
		g.Now = func() time.Time { return now.Add(c.later) }
		res, err := g.Generate(context.Background(), out)
		if err != nil {
			t.Fatal(err)
		}
		asked := h.count() - before
		if res.Cached != c.hit || asked != map[bool]int{true: 0, false: 1}[c.hit] {
			t.Errorf("%s later, max age %s: cached %v, helper asked %d times\n%s", c.later, c.maxAge, res.Cached, asked, l)
		}
		if !c.hit && !strings.Contains(l.String(), "refreshing") {
			t.Errorf("%s later: the log does not say the entry was refreshed:\n%s", c.later, l)
		}
	}
}

func TestCorruptCacheEntry(t *testing.T) {
	for name, damage := range map[string]func(path string){
		"garbage":        func(p string) { os.WriteFile(p, []byte("\x00garbage{"), 0o600) },
		"empty":          func(p string) { os.WriteFile(p, nil, 0o600) },
		"no credentials": func(p string) { os.WriteFile(p, []byte(`{"auths": {}}`), 0o600) },
		"world-readable": func(p string) { os.Chmod(p, 0o644) },
		"a directory":    func(p string) { os.Remove(p); os.Mkdir(p, 0o700) },
	} {
		t.Run(name, func(t *testing.T) {
			h := &fakeHelper{creds: map[string][2]string{reg: {user, password}}}
			cache := t.TempDir()
			out := filepath.Join(t.TempDir(), "dockercfg")
			if _, err := cachedHelper(t, h, cache, &logs{}).Generate(context.Background(), out); err != nil {
				t.Fatal(err)
			}
			want, _ := os.ReadFile(out)
			entry := cacheEntries(t, cache)[0]
			damage(entry)
			os.Remove(out)
			l := &logs{}
			res, err := cachedHelper(t, h, cache, l).Generate(context.Background(), out)
			if name == "a directory" {
				// The entry cannot be replaced, but the run still succeeds.
				if err != nil {
					t.Fatalf("%v\n%s", err, l)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if res.Cached || h.count() != 2 {
				t.Errorf("cached %v, helper asked %d times\n%s", res.Cached, h.count(), l)
			}
			if got, _ := os.ReadFile(out); !bytes.Equal(got, want) {
				t.Errorf("wrote\n%s", got)
			}
			if !strings.Contains(l.String(), "warning:") {
				t.Errorf("no warning about the entry:\n%s", l)
			}
			if name != "a directory" {
				if got, _ := os.ReadFile(entry); !bytes.Equal(got, want) {
					t.Errorf("the entry was not refreshed:\n%s", got)
				}
				if st, _ := os.Stat(entry); st.Mode().Perm() != 0o600 {
					t.Errorf("refreshed entry has mode %#o", st.Mode().Perm())
				}
			}
		})
	}
}

// Runs sharing a cache directory ask the source once: the first holds the
// lock while it refreshes, the others wait and then reuse its entry.
func TestConcurrentRunsShareTheCache(t *testing.T) {
	h := &fakeHelper{creds: map[string][2]string{reg: {user, password}}, delay: 100 * time.Millisecond}
	cache := t.TempDir()
	outDir := t.TempDir()
	const runs = 16
	var wg sync.WaitGroup
	errs := make([]error, runs)
	cached := make([]bool, runs)
	for i := 0; i < runs; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			res, err := cachedHelper(t, h, cache, &logs{}).Generate(context.Background(), filepath.Join(outDir, "dockercfg"))
			errs[i] = err
			if err == nil {
				cached[i] = res.Cached
			}
		}(i)
	}
	wg.Wait()
	hits := 0
	for i, err := range errs {
		if err != nil {
			t.Errorf("run %d: %v", i, err)
		}
		if cached[i] {
			hits++
		}
	}
	if h.count() != 1 || hits != runs-1 {
		t.Errorf("helper asked %d times, %d cache hits; want 1 and %d", h.count(), hits, runs-1)
	}
	if _, p := readCredentials(t, filepath.Join(outDir, "dockercfg"), reg); p != password {
		t.Errorf("wrote password %q", p)
	}
	if names := dirEntries(t, outDir); len(names) != 1 {
		t.Errorf("output directory holds %q", names)
	}
}

// A run waiting for the lock gives up when its context ends.
func TestCacheLockHonoursContext(t *testing.T) {
	// The first run holds the lock until the test is done with the
	// second, not for a fixed time that a loaded machine can outlast.
	hold := make(chan struct{})
	h := &fakeHelper{creds: map[string][2]string{reg: {user, password}}, hold: hold}
	cache := t.TempDir()
	out := filepath.Join(t.TempDir(), "dockercfg")
	first := cachedHelper(t, h, cache, &logs{})
	firstOut := filepath.Join(t.TempDir(), "first")
	done := make(chan error)
	go func() { _, err := first.Generate(context.Background(), firstOut); done <- err }()
	defer func() {
		if err := <-done; err != nil {
			t.Errorf("the run holding the lock: %v", err)
		}
	}()
	defer close(hold) // before waiting for the first run
	for h.count() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	second := cachedHelper(t, h, cache, &logs{})
	waited := make(chan error, 1)
	go func() { _, err := second.Generate(ctx, out); waited <- err }()
	var err error
	select {
	case err = <-waited:
	case <-time.After(time.Minute):
		t.Fatal("a run waiting for the lock did not give up when its context ended")
	}
	if err == nil || !strings.Contains(err.Error(), "locking the cache directory") {
		t.Errorf("got %v, want a lock timeout", err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a run that could not lock the cache wrote the file")
	}
}
