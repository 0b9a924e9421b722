//go:build unix

package main

import "os"

// spoolFile creates spool's private temporary file and unlinks it at once:
// it is gone from the file system when it is closed, or when shipseal is
// killed.
func spoolFile() (*os.File, error) {
	f, err := os.CreateTemp("", ".shipseal-spool-*")
	if err != nil {
		return nil, err
	}
	os.Remove(f.Name())
	return f, nil
}
