// Package process answers questions about other processes that shipseal's
// clean-up of killed runs needs.
package process

// Alive reports whether a process pid exists. A pid of 0 or less is never
// a process of its own. On Unix, a process that exists but is another
// user's is alive (kill(2) says EPERM); on Windows, so is one that this
// user may not open (a service's, another session's).
func Alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	return alive(pid)
}
