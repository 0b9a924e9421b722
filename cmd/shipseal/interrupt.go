package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// Until a command takes charge of interrupts (takeInterrupts), Ctrl-C's
// SIGINT or SIGTERM ends shipseal at once, killed by the signal: the
// command has written nothing yet, and it may be waiting where no check
// would ever run (reading a terminal or an idle pipe, opening a named
// pipe). A command takes charge when it is about to leave something that
// it must clean up (an output's temporary file, rekey's staged files,
// exec's DOCKER_CONFIG directory, edit's plaintext). From then on a signal
// cancels the command's context with an *interruptError as its cause. The
// long copies read their input through interruptible, so they stop at
// their next read; an input that may wait for ever (a pipe, a terminal)
// goes through interruptibleInput too, so that even a read that waits
// gives up. The command then discards its pending output and says, in one
// line, what it left; execute returns 128+N, and main then ends the
// process by the signal itself (dieOf), as sudo and timeout do, so that
// the shell sees a process killed by it.

// interruptError is a run stopped by a signal. left says what the run left
// behind ("out.json was not changed"); it is empty until the command that
// stopped fills it in.
type interruptError struct {
	sig  syscall.Signal
	left string
}

func (e *interruptError) Error() string {
	if e.left == "" {
		return "interrupted"
	}
	return "interrupted; " + e.left
}

// code is 128+N, what a shell reports for a process killed by signal N.
func (e *interruptError) code() int { return 128 + int(e.sig) }

// notifyInterrupt returns a context that SIGINT or SIGTERM cancels with an
// *interruptError, once the command has taken charge; before that, the
// signal ends the process. Until stop, later signals are caught and
// dropped, so a second Ctrl-C cannot cut short the clean-up of the first.
func notifyInterrupt(parent context.Context) (ctx context.Context, stop func()) {
	state := &interrupts{}
	ctx, cancel := context.WithCancelCause(context.WithValue(parent, interruptsKey{}, state))
	sigs := make(chan os.Signal, 1)
	notifyUnlessIgnored(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case sig := <-sigs:
			state.mu.Lock()
			defer state.mu.Unlock()
			if !state.inCharge {
				dieOf(sig.(syscall.Signal), 128+int(sig.(syscall.Signal)))
			}
			cancel(&interruptError{sig: sig.(syscall.Signal)})
		case <-ctx.Done():
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		cancel(nil)
	}
}

// notifyUnlessIgnored is signal.Notify for those of sigs that were not
// ignored when shipseal started (SIGINT and SIGHUP can be): a job that a
// shell runs in the background, or under nohup, must not become one that
// Ctrl-C or a hang-up ends, and nor must the command that exec runs, which
// inherits what shipseal has.
func notifyUnlessIgnored(c chan<- os.Signal, sigs ...os.Signal) {
	var kept []os.Signal
	for _, sig := range sigs {
		if !signal.Ignored(sig) {
			kept = append(kept, sig)
		}
	}
	if len(kept) > 0 { // none would mean all
		signal.Notify(c, kept...)
	}
}

// interrupts is whether the running command has taken charge of the
// signals, for notifyInterrupt's handler.
type interrupts struct {
	mu       sync.Mutex
	inCharge bool
}

type interruptsKey struct{}

// takeInterrupts makes the command in charge of SIGINT and SIGTERM: from
// now on they cancel ctx, and the command must stop and clean up. A
// command calls it before it creates what a signal must not leave behind,
// and must read its input interruptibly from then on. With a context that
// notifyInterrupt did not make (a test's), it does nothing.
func takeInterrupts(ctx context.Context) {
	if state, ok := ctx.Value(interruptsKey{}).(*interrupts); ok {
		state.mu.Lock()
		state.inCharge = true
		state.mu.Unlock()
	}
}

// reraised are the signals dieOf ends the process by: those that Go's
// runtime, once the handler is reset, ends a program by.
var reraised = map[syscall.Signal]bool{syscall.SIGINT: true, syscall.SIGTERM: true, syscall.SIGHUP: true}

// dieOf ends the process by sig, as if shipseal had never caught it, so
// that the shell sees a process killed by the signal and not one that
// exited 128+N: bash goes on with a script after a child that exited (it
// takes that for a child that handled Ctrl-C), and stops it after one that
// was killed. sudo and timeout --foreground do the same. If the signal
// does not end the process (it was ignored when shipseal started, or it
// is not one of reraised), it exits with code. Windows has no signal to
// die of: there shipseal exits with code, 130 for Ctrl-C (raise, in
// interrupt_windows.go).
func dieOf(sig syscall.Signal, code int) {
	if reraised[sig] {
		signal.Reset(sig)
		raise(sig)
	}
	os.Exit(code)
}

// exit ends main: killed by sig after the run's clean-up, when a signal
// stopped it, and otherwise with code.
func exit(code int, sig syscall.Signal) {
	if sig != 0 {
		dieOf(sig, code)
	}
	os.Exit(code)
}

// interrupted returns the interruption that cancelled ctx, or nil.
func interrupted(ctx context.Context) error {
	if ctx.Err() == nil {
		return nil
	}
	return context.Cause(ctx)
}

// leftBehind turns an interruption into the command's one-line report of
// what it left: "interrupted; " + the formatted text. Any other error is
// returned as it is.
func leftBehind(err error, format string, args ...any) error {
	var ie *interruptError
	if !errors.As(err, &ie) {
		return err
	}
	return &interruptError{sig: ie.sig, left: fmt.Sprintf(format, args...)}
}

// outputLeft is leftBehind for a command's output: a file output is never
// touched, and standard output holds whatever had streamed out. A defer
// can call it after the run, when the output name is known.
func outputLeft(err error, name string) error {
	var ie *interruptError
	if !errors.As(err, &ie) {
		return err
	}
	if name == stdio {
		return leftBehind(err, "the output written so far is incomplete: discard it")
	}
	if _, serr := os.Lstat(name); serr == nil {
		return leftBehind(err, "%s was not changed", name)
	}
	return leftBehind(err, "%s was not created", name)
}

// interruptible returns r with a check of ctx before every read: once ctx
// is cancelled, Read returns its cause. The copies read 32 KiB to 256 KiB
// at a time, so the check (an atomic load) costs nothing measurable and a
// run stops within a read of the signal.
func interruptible(ctx context.Context, r io.Reader) io.Reader {
	return &interruptReader{ctx: ctx, r: r}
}

type interruptReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *interruptReader) Read(p []byte) (int, error) {
	if err := interrupted(c.ctx); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// interruptibleInput makes a command's input one that returns as soon as
// ctx is cancelled, even from a read that is waiting: a pipe or a terminal
// may send nothing for ever (a mistyped command waiting for standard
// input), and the check before each read would never run. Such an input is
// read in a goroutine of its own; a regular file (or anything that is not
// a file) is returned as it is, and read through interruptible.
func interruptibleInput(ctx context.Context, r io.Reader) io.Reader {
	if f, ok := r.(*os.File); !ok || isRegular(f) {
		return r
	}
	return &waitingReader{ctx: ctx, r: r, want: make(chan struct{}), got: make(chan readResult)}
}

// waitingReader reads r into its own buffer in another goroutine, so that
// Read can give up on it. After an interrupt the goroutine may stay blocked
// in that buffer; nothing reads it again, and the process is about to end.
type waitingReader struct {
	ctx     context.Context
	r       io.Reader
	buf     []byte
	pending []byte // read but not yet returned
	err     error  // the error of the read that filled pending
	started bool
	want    chan struct{}
	got     chan readResult
}

type readResult struct {
	n   int
	err error
}

// waitingBuffer is the most one read asks of a stream; a pipe hands over
// 64 KiB at most.
const waitingBuffer = 256 << 10

func (w *waitingReader) Read(p []byte) (int, error) {
	if err := interrupted(w.ctx); err != nil {
		return 0, err
	}
	if len(w.pending) == 0 && w.err == nil {
		if err := w.fill(); err != nil {
			return 0, err
		}
	}
	n := copy(p, w.pending)
	w.pending = w.pending[n:]
	if len(w.pending) == 0 && w.err != nil {
		err := w.err
		w.err = nil
		return n, err
	}
	return n, nil
}

// fill reads once into the buffer, or gives up when ctx is cancelled.
func (w *waitingReader) fill() error {
	if !w.started {
		w.started = true
		w.buf = make([]byte, waitingBuffer)
		go func() {
			for range w.want {
				n, err := w.r.Read(w.buf)
				w.got <- readResult{n, err}
			}
		}()
	}
	w.want <- struct{}{}
	select {
	case res := <-w.got:
		w.pending, w.err = w.buf[:res.n], res.err
		return nil
	case <-w.ctx.Done():
		return context.Cause(w.ctx)
	}
}

// interruptibleSeeker is interruptible for an input that is read twice (v2
// encryption hashes it first).
func interruptibleSeeker(ctx context.Context, rs io.ReadSeeker) io.ReadSeeker {
	return &interruptSeeker{interruptReader{ctx: ctx, r: rs}, rs}
}

type interruptSeeker struct {
	interruptReader
	s io.Seeker
}

func (c *interruptSeeker) Seek(off int64, whence int) (int64, error) { return c.s.Seek(off, whence) }
