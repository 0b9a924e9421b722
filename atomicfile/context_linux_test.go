package atomicfile_test

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/shipseal/shipseal/atomicfile"
	"github.com/shipseal/shipseal/internal/pipewait"
	"github.com/stretchr/testify/require"
)

// TestCreateContextGivesUpOpeningAPipe: opening a destination that is a
// named pipe waits in open(2) until a reader comes; CreateContext gives
// that wait up when its context ends, with the context's cause, and the
// open it gave up on, once a reader does come, closes the pipe (the
// reader gets end of file) instead of holding it open.
//
// The context ends once a thread of the test waits in the kernel to open
// the pipe (fs/pipe.c's wait_for_partner, in /proc/self/task/*/wchan).
func TestCreateContextGivesUpOpeningAPipe(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	errStop := errors.New("stopped")
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)

	created := make(chan error, 1)
	go func() {
		f, err := atomicfile.CreateContext(ctx, fifo, 0o600)
		if f != nil {
			f.Abort()
		}
		created <- err
	}()
	waitOpeningPipe(t)
	cancel(errStop)
	select {
	case err := <-created:
		require.ErrorIs(t, err, errStop)
	case <-time.After(time.Minute):
		t.Fatal("CreateContext still waits to open the pipe after its context ended")
	}
	st, err := os.Stat(fifo)
	require.NoError(t, err)
	require.Equal(t, fs.ModeNamedPipe, st.Mode().Type(), "the pipe was replaced")
	require.Empty(t, temps(t, dir))

	read := make(chan []byte, 1)
	go func() {
		r, err := os.Open(fifo) // meets the open given up on
		if err != nil {
			read <- nil
			return
		}
		defer r.Close()
		data, _ := io.ReadAll(r)
		read <- append([]byte{}, data...)
	}()
	select {
	case data := <-read:
		require.NotNil(t, data, "the reader could not open the pipe")
		require.Empty(t, data)
	case <-time.After(time.Minute):
		t.Fatal("the open given up on holds the pipe open: its reader never gets end of file")
	}
}

// waitOpeningPipe returns once a thread of this process waits in the
// kernel to open a named pipe. A kernel that does not say where threads
// wait skips the test.
func waitOpeningPipe(t *testing.T) {
	t.Helper()
	if err := pipewait.Wait(0, 30*time.Second); errors.Is(err, pipewait.ErrNotShown) {
		t.Skip(err)
	} else if err != nil {
		t.Fatalf("CreateContext never waited to open the named pipe: %v", err)
	}
}
