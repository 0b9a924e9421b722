//go:build race

package dockercfg

const raceEnabled = true
