//go:build unix

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
	if !process.Alive(1) {
		t.Error("init (pid 1, another user's or ours) is not alive")
	}
	for _, pid := range []int{0, -1} {
		if process.Alive(pid) {
			t.Errorf("pid %d is alive", pid)
		}
	}
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	if process.Alive(cmd.Process.Pid) {
		t.Errorf("pid %d of a finished, reaped process is alive", cmd.Process.Pid)
	}
}
