//go:build linux

// Package pipewait tells a test when a process is blocked in the kernel
// opening a named pipe (a FIFO) that nobody has opened from the other end,
// so that a test can signal it there without sleeping and hoping.
//
// Linux shows where each thread waits in /proc/PID/task/TID/wchan; a thread
// in open(2) of such a pipe waits in fs/pipe.c's wait_for_partner. Kernels
// built without that information show "0" everywhere.
package pipewait

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// ErrNotShown is Wait's error when the kernel does not show where threads
// wait: a test should skip, not fail.
var ErrNotShown = errors.New("this kernel does not show where a thread waits (/proc/PID/task/*/wchan is 0)")

// Wait returns nil once a thread of process pid (0 for this process) waits
// to open a named pipe, ErrNotShown when the kernel does not say, or an
// error after timeout.
func Wait(pid int, timeout time.Duration) error {
	tasks := "/proc/self/task"
	if pid != 0 {
		tasks = fmt.Sprintf("/proc/%d/task", pid)
	}
	shown := false
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		entries, _ := os.ReadDir(tasks)
		for _, e := range entries {
			wchan, err := os.ReadFile(filepath.Join(tasks, e.Name(), "wchan"))
			if err != nil {
				continue
			}
			shown = shown || (len(wchan) > 0 && string(wchan) != "0")
			if string(wchan) == "wait_for_partner" {
				return nil
			}
		}
	}
	if !shown {
		return ErrNotShown
	}
	return fmt.Errorf("no thread of %s waited to open a named pipe within %v", tasks, timeout)
}
