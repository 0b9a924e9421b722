package generator_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shipseal/shipseal/dockercfg"
	"github.com/shipseal/shipseal/generator"
)

// bigAuthConfig is a dockercfg of n registries, large enough that a
// non-atomic write is visible to a reader half-way.
func bigAuthConfig(n int, password string) string {
	var b strings.Builder
	b.WriteString(`{"auths": {`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "%q: {%q: %q}", fmt.Sprintf("registry-%d.example.com", i), "auth", dockercfg.EncodeAuth("user", password))
	}
	b.WriteString("}}")
	return b.String()
}

// poll reads path until stop is closed and reports every read that is
// neither "no such file" nor one of the complete contents in want; it
// counts them in tornCount as it goes.
func poll(t *testing.T, path string, want [][]byte, stop <-chan struct{}, tornCount *atomic.Int64) (reads int, torn []int) {
	for {
		select {
		case <-stop:
			return reads, torn
		default:
		}
		data, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Errorf("reading %s: %v", path, err)
			return reads, torn
		}
		reads++
		ok := false
		for _, w := range want {
			ok = ok || bytes.Equal(data, w)
		}
		if !ok {
			torn = append(torn, len(data))
			tornCount.Add(1)
		}
	}
}

// A reader polling PATH while the generator rewrites it sees only whole
// files.
func TestWriteIsAtomic(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "dockercfg")
	a, b := bigAuthConfig(800, "password-a"), bigAuthConfig(800, "password-b")
	var want [][]byte
	for _, text := range []string{a, b} {
		p := filepath.Join(t.TempDir(), "ref")
		if _, err := newGenerator(t, env{generator.EnvAuthConfig: text}, &logs{}).Generate(context.Background(), p); err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(p)
		want = append(want, data)
	}
	if len(want[0]) < 32<<10 {
		t.Fatalf("the test file is only %d bytes", len(want[0]))
	}

	stop := make(chan struct{})
	var reads int
	var torn []int
	var wg sync.WaitGroup
	wg.Add(1)
	var count atomic.Int64
	go func() { defer wg.Done(); reads, torn = poll(t, out, want, stop, &count) }()
	const writes = 20
	for i := 0; i < writes; i++ {
		text := a
		if i%2 == 1 {
			text = b
		}
		if _, err := newGenerator(t, env{generator.EnvAuthConfig: text}, &logs{}).Generate(context.Background(), out); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	if len(torn) > 0 {
		t.Fatalf("%d of %d reads saw a partial file (sizes %v)", len(torn), reads, torn[:min(len(torn), 10)])
	}
	if reads == 0 {
		t.Fatal("the reader never saw the file")
	}
	t.Logf("%d writes, %d whole reads", writes, reads)
	if names := dirEntries(t, dir); len(names) != 1 {
		t.Errorf("temporary files left: %q", names)
	}
}

// The poller does catch a write that is not atomic, so TestWriteIsAtomic
// can fail.
func TestPollerCatchesTornWrites(t *testing.T) {
	out := filepath.Join(t.TempDir(), "dockercfg")
	content := []byte(bigAuthConfig(2000, "p"))
	os.WriteFile(out, content, 0o600)
	stop := make(chan struct{})
	var count atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); poll(t, out, [][]byte{content}, stop, &count) }()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && count.Load() == 0 {
		os.WriteFile(out, content, 0o600) // truncates, then writes
	}
	close(stop)
	wg.Wait()
	if count.Load() == 0 {
		t.Fatal("the poller never saw the truncated file that os.WriteFile leaves for a moment")
	}
}
