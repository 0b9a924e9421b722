//go:build unix && !linux

package main

import (
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// raiseWait is how long raise waits for the signal to end the process. It
// takes microseconds; the wait only runs out if sig is ignored after all
// (edit's question caught a SIGINT that was ignored at start-up).
const raiseWait = time.Second

// raise sends sig, whose handler dieOf has reset, to the process, and
// returns only if sig does not end it (it is ignored).
//
// Linux sends it to the calling thread (tgkill, interrupt_linux.go), where
// it is handled before the call returns. These systems have no portable
// call for that in golang.org/x/sys/unix, and kill(2) to the process may
// hand the signal to another of the runtime's threads, which then ends
// the process while this one goes on towards os.Exit: so raise waits for
// it, and the exit that follows dieOf's call to raise cannot overtake it.
func raise(sig syscall.Signal) {
	if signal.Ignored(sig) {
		return // SIG_IGN since start-up (nohup): kill(2) would do nothing
	}
	if unix.Kill(os.Getpid(), sig) != nil {
		return
	}
	time.Sleep(raiseWait)
}
