//go:build unix

package process_test

import (
	"testing"

	"github.com/shipseal/shipseal/internal/process"
)

func TestAliveAnotherUsers(t *testing.T) {
	if !process.Alive(1) {
		t.Error("init (pid 1, another user's or ours) is not alive")
	}
}
