//go:build linux

package pipewait_test

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/shipseal/shipseal/internal/pipewait"
)

func TestWait(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	// Nobody waits yet: Wait gives up (or the kernel does not say).
	if err := pipewait.Wait(0, 20*time.Millisecond); err == nil {
		t.Fatal("Wait returned before anything waited on a pipe")
	} else if errors.Is(err, pipewait.ErrNotShown) {
		t.Skip(err)
	}
	opened := make(chan *os.File, 1)
	go func() {
		f, _ := os.OpenFile(fifo, os.O_RDONLY, 0) // blocks until a writer opens it
		opened <- f
	}()
	if err := pipewait.Wait(0, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	if f := <-opened; f != nil {
		f.Close()
	}
}
