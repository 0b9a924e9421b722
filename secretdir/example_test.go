package secretdir_test

import (
	"fmt"
	"os"

	"github.com/shipseal/shipseal/secretdir"
)

func Example() {
	dir, err := secretdir.New("shipseal-docker-*")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer dir.Remove() // the plaintext goes with it
	path, err := dir.WriteFile("config.json", []byte(`{"auths": {}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	d, _ := os.Stat(dir.Path())
	f, _ := os.Stat(path)
	fmt.Println(d.Mode().Perm(), f.Mode().Perm())
	// Output: -rwx------ -rw-------
}
