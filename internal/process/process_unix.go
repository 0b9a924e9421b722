//go:build unix

package process

import (
	"errors"
	"syscall"
)

// alive asks kill(2) with signal 0, which checks the pid without sending
// anything. EPERM means the process exists, as another user's.
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
