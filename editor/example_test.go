package editor_test

import (
	"context"
	"fmt"

	"github.com/shipseal/shipseal/editor"
)

func Example() {
	env := map[string]string{"EDITOR": "code --wait"}
	spec := editor.Find(func(k string) string { return env[k] })
	cmd := editor.Command(context.Background(), spec, "/dev/shm/shipseal-edit-1/env")
	fmt.Println(spec)
	fmt.Printf("%q\n", cmd.Args)
	// Output:
	// code --wait
	// ["/bin/sh" "-c" "code --wait \"$@\"" "code --wait" "/dev/shm/shipseal-edit-1/env"]
}
