// Command docker-credential-shipseal is a Docker credential helper that
// keeps registry credentials in an encrypted dockercfg, sealed with the
// project key. With {"credsStore": "shipseal"} in docker's config.json,
// docker login stores credentials through it and docker pull and push read
// them from it. See docs/credential-helper.md.
package main

import (
	"fmt"
	"os"
	"runtime/debug"

	"github.com/docker/docker-credential-helpers/credentials"

	"github.com/shipseal/shipseal/credhelper"
	"github.com/shipseal/shipseal/projectkey"
)

// version is set at build time with -ldflags "-X main.version=…"; otherwise
// the module version from the build info is used.
var version = ""

func main() {
	credentials.Name = "docker-credential-shipseal"
	credentials.Package = "github.com/shipseal/shipseal"
	credentials.Version = versionString()
	credentials.Serve(&credhelper.Helper{Keys: projectkey.Finder{Warnf: warnf}})
}

// warnf writes a warning to standard error, which docker does not show
// but a person running the helper by hand sees; standard output is the
// protocol's.
func warnf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s: warning: %s\n", credentials.Name, fmt.Sprintf(format, args...))
}

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
