package main

import (
	"os"
	"syscall"
)

// forwarded are the signals exec catches while the command runs: Go's
// runtime makes SIGINT of Ctrl-C and Ctrl-Break, and SIGTERM of a closed
// console, a log-off or a shut-down. Windows has no other signals, and no
// way to send one to a process (os.Process.Signal can only kill).
var forwarded = []os.Signal{syscall.SIGINT, syscall.SIGTERM}

// fromTerminal are all of them: the console sends its events to every
// process attached to it, the command included, so exec only waits for
// the command to end and never passes a signal on.
var fromTerminal = map[os.Signal]bool{syscall.SIGINT: true, syscall.SIGTERM: true}

// inTerminalForeground is true: a console has no background processes.
func inTerminalForeground() bool { return true }
