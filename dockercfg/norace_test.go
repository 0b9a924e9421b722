//go:build !race

package dockercfg

const raceEnabled = false
