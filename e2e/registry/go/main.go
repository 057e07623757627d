// A container registry for tests (workspace images pushed by the kubernetes backend), built from
// the CNCF distribution module: the same main as distribution's cmd/registry.
package main

import (
	_ "github.com/distribution/distribution/v3/registry/storage/driver/filesystem"
	_ "github.com/distribution/distribution/v3/registry/storage/driver/inmemory"

	"github.com/distribution/distribution/v3/registry"
)

func main() {
	registry.RootCmd.Execute()
}
