//go:build unix && !linux

package faulttest

import "os/exec"

// unmount removes a mount of mountTmpfs (where mount -t tmpfs exists at
// all: FreeBSD has it, macOS does not, and its tests skip).
func unmount(dir string) { exec.Command("umount", "-f", dir).Run() }
