package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// spoolFile creates spool's private temporary file, reopened to be deleted
// when it is closed: Windows cannot remove a file that is open, so the
// Unix way (unlink it at once) would leave the plaintext in %TEMP%. The
// system deletes the file when its last handle closes, also when shipseal
// is killed; only a kill between the two opens leaves an empty file.
func spoolFile() (*os.File, error) {
	tmp, err := os.CreateTemp("", ".shipseal-spool-*")
	if err != nil {
		return nil, err
	}
	name := tmp.Name()
	tmp.Close()
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		os.Remove(name)
		return nil, err
	}
	h, err := windows.CreateFile(p, windows.GENERIC_READ|windows.GENERIC_WRITE|windows.DELETE, 0, nil,
		windows.OPEN_EXISTING, windows.FILE_ATTRIBUTE_TEMPORARY|windows.FILE_FLAG_DELETE_ON_CLOSE, 0)
	if err != nil {
		os.Remove(name)
		return nil, &os.PathError{Op: "open", Path: name, Err: err}
	}
	return os.NewFile(uintptr(h), name), nil
}
