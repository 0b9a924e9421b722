package main

import (
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		// main itself, so that the tests see how the process ends
		// (killed by the signal that stopped a run).
		"shipseal": main,
	})
}

// TestScript runs the CLI scenarios in testdata/*.txt, written in the
// style of age's: each is a commented story of commands and checks.
func TestScript(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata",
		RequireExplicitExec: true,
		Setup: func(e *testscript.Env) error {
			// testscript starts from an empty environment, so no key
			// variable leaks in from the developer's; a scenario sets
			// $SHIPSEAL_KEY or $SHIPSEAL_KEY_PATH itself, and leaves them
			// set but empty afterwards, which counts as unset.
			e.Setenv("VECTORS", vectorsDir(t))
			return nil
		},
		Cmds: scriptCommands(),
	})
}
