package process

import (
	"errors"

	"golang.org/x/sys/windows"
)

// alive opens the process pid and asks whether it is still running: its
// handle is signalled once it has exited, even while another handle keeps
// the process object (and its pid) around. A pid that names no process
// fails to open (ERROR_INVALID_PARAMETER); one that this user may not open
// (ERROR_ACCESS_DENIED: another user's, a protected process) exists.
//
// (GetExitCodeProcess would say STILL_ACTIVE, 259, but so it does for a
// process that exited with the code 259; the wait cannot be mistaken.)
func alive(pid int) bool {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, uint32(pid))
	if err != nil {
		return errors.Is(err, windows.ERROR_ACCESS_DENIED)
	}
	defer windows.CloseHandle(h)
	ev, err := windows.WaitForSingleObject(h, 0)
	if err != nil {
		return true // it opened, so it exists: keep what is its
	}
	return ev == uint32(windows.WAIT_TIMEOUT)
}
