//go:build unix

// Package process answers questions about other processes that shipseal's
// clean-up of killed runs needs.
package process

import (
	"errors"
	"syscall"
)

// Alive reports whether a process pid exists. EPERM means it does, as
// another user's; a pid of 0 or less is never a process of its own.
func Alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
