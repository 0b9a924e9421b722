// Package faulttest holds shipseal's fault tests (issue 10): the shipseal
// binary is built, then killed with SIGKILL at random points, run out of
// disk space, denied permissions, pointed at other filesystems and
// symbolic links, and run 32 times at once on one path. Each test checks
// that an output path holds either its old content or the complete new
// one, that inputs are untouched, and that errors say what happened.
//
// The package has no code of its own; docs/reliability.md describes the
// behaviour these tests pin down.
package faulttest
