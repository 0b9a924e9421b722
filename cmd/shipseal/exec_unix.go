//go:build unix

package main

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// forwarded are the signals exec passes on to the command.
var forwarded = []os.Signal{syscall.SIGTERM, syscall.SIGHUP, syscall.SIGUSR1, syscall.SIGUSR2,
	syscall.SIGINT, syscall.SIGQUIT, syscall.SIGWINCH}

// fromTerminal are the signals a terminal sends to its whole foreground
// process group: the command, in shipseal's group, gets them already, and
// forwarding them too would deliver Ctrl-C twice (which "docker compose
// up" takes as "kill now").
var fromTerminal = map[os.Signal]bool{syscall.SIGINT: true, syscall.SIGQUIT: true, syscall.SIGWINCH: true}

// inTerminalForeground reports whether shipseal runs in the foreground of
// its controlling terminal, so that the terminal's signals reach the
// command directly.
func inTerminalForeground() bool {
	tty, err := os.Open("/dev/tty")
	if err != nil {
		return false
	}
	defer tty.Close()
	pgrp, err := unix.IoctlGetInt(int(tty.Fd()), unix.TIOCGPGRP)
	return err == nil && pgrp == unix.Getpgrp()
}
