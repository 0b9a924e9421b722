// Package generator writes a ready dockercfg for Codeship's
// dockercfg_service: it resolves registry credentials from the first
// configured source, validates them with the dockercfg package and writes
// the file atomically, with an optional cache for dynamic credentials.
//
// The sources, in precedence order:
//
//  1. an encrypted dockercfg: Generator.File, else $SHIPSEAL_DOCKERCFG,
//     else DefaultFile when it exists (baked into a custom image), decrypted
//     in memory with the project key from $SHIPSEAL_KEY or
//     $SHIPSEAL_KEY_PATH;
//  2. $DOCKER_AUTH_CONFIG, a whole dockercfg as JSON;
//  3. $DOCKER_REGISTRY, $DOCKER_USERNAME, $DOCKER_PASSWORD and the optional
//     $DOCKER_EMAIL;
//  4. a docker credential helper (Generator.Helper) asked for each of
//     Generator.Registries.
//
// The first configured source is used; other configured sources are
// reported as ignored. Configuration that cannot be resolved (two sources
// selected at once, a half-set source, both key variables) is an error
// wrapping ErrConfig that names the variables involved.
package generator
