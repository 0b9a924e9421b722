package main

import "syscall"

// raise does nothing on Windows: a process there cannot be killed by a
// signal, and Go's runtime turns Ctrl-C and Ctrl-Break into SIGINT, and a
// closed console, a log-off or a shut-down into SIGTERM, for shipseal's
// handler only. dieOf then exits with 128+N, the code the other
// platforms' shells report for a run a signal stopped: 130 for Ctrl-C, 143
// for SIGTERM.
func raise(syscall.Signal) {}
