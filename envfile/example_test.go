package envfile_test

import (
	"fmt"
	"os"

	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/envfile"
)

func ExampleParse() {
	data := []byte("# database\nDB_HOST=db.internal\nDB_PASSWORD=hunter2\nHOME\n")
	f, err := envfile.Parse(data, envfile.Docker)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range f.Entries {
		fmt.Println(e.Line, e.Name, e.Inherit)
	}
	// Output:
	// 2 DB_HOST false
	// 3 DB_PASSWORD false
	// 4 HOME true
}

func ExampleParse_compose() {
	data := []byte("export HOST=db.internal\nURL=\"postgres://${HOST}:5432/app\" # the app database\n")
	f, err := envfile.Parse(data, envfile.Compose)
	if err != nil {
		fmt.Println(err)
		return
	}
	v, _ := f.Get("URL", nil)
	fmt.Println(v)
	// Output:
	// postgres://db.internal:5432/app
}

func ExampleValidate() {
	data := []byte("export DB_PASSWORD=hunter2\nAPI_TOKEN=\"tok-123456\"\n")
	_, report := envfile.Validate("app.env", data, envfile.Options{Dialect: envfile.Docker})
	_ = diag.WriteText(os.Stdout, []*diag.Report{report})
	// Output:
	// app.env:1:1: error EV008: "export DB_PASSWORD": docker takes the whole "export ..." as the name and refuses it
	//     export DB_PASSWORD=****
	//     ^
	//   hint: compose would read this file, but Codeship reads encrypted env files as docker --env-file does (no quotes, no ${…}, no export): remove "export ", or pass --dialect compose if only compose reads this file
	// app.env:2:11: warning EV009: the value is in quotes that docker keeps as part of it
	//     export DB_PASSWORD=****
	//     API_TOKEN=****
	//               ^
	//   hint: compose would read this file, but Codeship reads encrypted env files as docker --env-file does (no quotes, no ${…}, no export): write the value bare, or pass --dialect compose if only compose reads this file
}

func ExampleFile_Set() {
	f, err := envfile.Parse([]byte("# keep me\r\nA=1   \r\nB=2\r\n"), envfile.Docker)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := f.Set("B", "3"); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%q\n", f.Bytes())
	// Output:
	// "# keep me\r\nA=1   \r\nB=3\r\n"
}
