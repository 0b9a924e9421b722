package faulttest

import "syscall"

// unmount detaches a mount of mountTmpfs even while something still uses
// it, as umount -l does.
func unmount(dir string) { syscall.Unmount(dir, syscall.MNT_DETACH) }
