// Package e2etest decides what a test does when a real component it needs
// (a Docker engine, a registry, pre-commit, openssl, pass and gpg) is
// missing: on a user's machine it skips with the reason; when
// SHIPSEAL_E2E=require (as .ci/run sets it) it fails, so that CI never
// counts a skipped end-to-end test as a pass.
package e2etest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"
)

// Env is the variable that makes missing components a failure.
const Env = "SHIPSEAL_E2E"

// Required reports whether missing components must fail tests.
func Required() bool { return os.Getenv(Env) == "require" }

// Require stops the test unless ok: it skips with why, or fails with it
// when components are required.
func Require(t testing.TB, ok bool, why string) {
	t.Helper()
	if ok {
		return
	}
	if Required() {
		t.Fatalf("%s (required: %s=require)", why, Env)
	}
	t.Skipf("skipping: %s (set %s=require to make this a failure)", why, Env)
}

// LookPath returns the path of a program, or stops the test as Require does.
func LookPath(t testing.TB, name, hint string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	Require(t, err == nil, name+" is not installed"+hintSuffix(hint))
	return p
}

// Docker checks that a Docker engine answers, or stops the test as Require
// does.
func Docker(t testing.TB) {
	t.Helper()
	LookPath(t, "docker", "install Docker")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "docker", "version", "--format", "{{.Server.Version}}").CombinedOutput()
	Require(t, err == nil, "no Docker engine answers: "+string(out))
}

func hintSuffix(h string) string {
	if h == "" {
		return ""
	}
	return " (" + h + ")"
}
