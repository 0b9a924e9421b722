package main

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"shipseal": func() { os.Exit(execute(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScript runs the CLI scenarios in testdata/*.txt, written in the
// style of age's: each is a commented story of commands and checks.
func TestScript(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata",
		RequireExplicitExec: true,
		Setup: func(e *testscript.Env) error {
			// Keys from the environment would leak into every scenario.
			e.Setenv("SHIPSEAL_KEY", "")
			e.Setenv("SHIPSEAL_KEY_PATH", "")
			e.Setenv("VECTORS", vectorsDir(t))
			return nil
		},
		Cmds: scriptCommands(),
	})
}
