package crypto_test

import (
	"crypto/md5"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shipseal/shipseal/crypto"
	"github.com/stretchr/testify/require"
)

// patternReader yields n bytes of a pseudo-random 1 MiB block repeated,
// each copy with its index mixed in, without holding the stream.
type patternReader struct {
	block []byte
	off   int64
	n     int64
}

func newPatternReader(n int64) *patternReader {
	return &patternReader{block: randomBytes(99, 1<<20), n: n}
}

func (p *patternReader) Read(b []byte) (int, error) {
	if p.off >= p.n {
		return 0, io.EOF
	}
	b = b[:min(int64(len(b)), p.n-p.off)]
	for i := 0; i < len(b); {
		o := p.off + int64(i)
		c := copy(b[i:], p.block[o%int64(len(p.block)):])
		if o%int64(len(p.block)) == 0 {
			b[i] ^= byte(o >> 20) // so that the copies differ, whatever the read sizes
		}
		i += c
	}
	p.off += int64(len(b))
	return len(b), nil
}

// heapWatch samples the heap in use until stopped and reports its peak.
type heapWatch struct {
	peak atomic.Uint64
	stop chan struct{}
	done sync.WaitGroup
}

func watchHeap() *heapWatch {
	h := &heapWatch{stop: make(chan struct{})}
	h.done.Add(1)
	go func() {
		defer h.done.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > h.peak.Load() {
				h.peak.Store(ms.HeapInuse)
			}
			select {
			case <-h.stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return h
}

func (h *heapWatch) Stop() uint64 {
	close(h.stop)
	h.done.Wait()
	// A last sample, in case a loaded machine starved the sampler.
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return max(h.peak.Load(), ms.HeapInuse)
}

// TestStreamingMemory pushes 256 MiB through a Writer, an io.Pipe and a
// Reader, for both versions, and checks that the heap stays small: memory
// must not grow with the file (issue 3: a 4 GiB file in a few MiB).
func TestStreamingMemory(t *testing.T) {
	size := int64(256 << 20)
	if testing.Short() {
		size = 32 << 20
	}
	// Generous for buffers and a parallel implementation's chunks, and
	// still far below the file: a Reader or Writer that buffers the stream
	// goes over at once.
	const limit = 24 << 20
	key := seededKey(t, 50)
	for _, v := range versions {
		t.Run(v.String(), func(t *testing.T) {
			h := md5.New()
			_, err := io.Copy(h, newPatternReader(size))
			require.NoError(t, err)
			sum := h.Sum(nil)
			var want []byte
			if v == crypto.V2 {
				want = sum
			}
			runtime.GC()
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			watch := watchHeap()

			pr, pw := io.Pipe()
			encErr := make(chan error, 1)
			go func() {
				w, err := crypto.NewWriter(pw, key, crypto.WriteOptions{Version: v, Checksum: want})
				if err == nil {
					_, err = io.Copy(w, newPatternReader(size))
					if cerr := w.Close(); err == nil {
						err = cerr
					}
				}
				pw.CloseWithError(err)
				encErr <- err
			}()
			r, err := crypto.NewReader(pr, key)
			require.NoError(t, err)
			got := md5.New()
			n, err := io.Copy(got, r)
			require.NoError(t, err)
			require.NoError(t, <-encErr)
			peak := watch.Stop()
			var after runtime.MemStats
			runtime.ReadMemStats(&after)

			require.Equal(t, size, n)
			require.Equal(t, sum, got.Sum(nil), "the stream changed on its way through")

			growth := int64(peak) - int64(before.HeapInuse)
			t.Logf("%v: %d MiB through; heap in use %.1f MiB before, peak %.1f MiB (+%.1f MiB); allocated %.1f MiB in all",
				v, size>>20, mib(before.HeapInuse), mib(peak), float64(growth)/(1<<20), mib(after.TotalAlloc-before.TotalAlloc))
			require.Less(t, growth, int64(limit), "the heap grew with the stream: %s", fmt.Sprintf("+%.1f MiB", float64(growth)/(1<<20)))
		})
	}
}

func mib(n uint64) float64 { return float64(n) / (1 << 20) }

// TestHeapWatchSeesGrowth is the control for TestStreamingMemory: the
// watch does see a heap that grows past the limit.
func TestHeapWatchSeesGrowth(t *testing.T) {
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	watch := watchHeap()
	hog := make([]byte, 48<<20)
	for i := range hog {
		hog[i] = byte(i)
	}
	time.Sleep(30 * time.Millisecond)
	peak := watch.Stop()
	runtime.KeepAlive(hog)
	require.Greater(t, int64(peak)-int64(before.HeapInuse), int64(32<<20))
}
