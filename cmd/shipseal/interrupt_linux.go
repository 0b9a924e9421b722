package main

import (
	"os"
	"runtime"
	"syscall"

	"golang.org/x/sys/unix"
)

// raise sends sig, whose handler dieOf has reset, to the calling thread,
// and returns only if sig does not end the process (it is ignored).
func raise(sig syscall.Signal) {
	// To this thread, not the process: the kernel hands a signal sent to
	// the process to its main thread, and this one could exit before that
	// one dies. A signal to the calling thread is handled before tgkill
	// returns.
	runtime.LockOSThread()
	unix.Tgkill(os.Getpid(), unix.Gettid(), sig)
}
