// Command shipseal encrypts, decrypts and validates the secrets that CI
// pipelines keep in their repositories, byte-compatible with Codeship's jet.
package main

import "os"

func main() { exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
