package process_test

import (
	"os"
	"os/exec"
	"testing"

	"github.com/shipseal/shipseal/internal/process"
)

func TestAlive(t *testing.T) {
	if !process.Alive(os.Getpid()) {
		t.Error("this process is not alive")
	}
	for _, pid := range []int{0, -1} {
		if process.Alive(pid) {
			t.Errorf("pid %d is alive", pid)
		}
	}
	// This test binary, running no test: a command every platform has.
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	if process.Alive(cmd.Process.Pid) {
		t.Errorf("pid %d of a finished, reaped process is alive", cmd.Process.Pid)
	}
}
