// Package dockercfg reads, checks and writes the Docker credential files
// that Codeship pulls private images with: config.json
// ({"auths": {REGISTRY: {...}}, "credsStore", "credHelpers", ...}) and the
// legacy .dockercfg ({REGISTRY: {"auth", "email"}}), in one model.
//
// Validate explains every problem it finds as a diag.Diagnostic with a
// stable code (DC001...), a position and a hint, and marks every secret on
// the report's Source, so that no excerpt or message shows one. Parse is
// the strict reader built on it; Config.Marshal writes either form;
// Normalize and Config.Lookup match registries as docker does; Detect
// sniffs whether content is a dockercfg at all; Config.Inline copies
// credentials out of credential helpers. docs/dockercfg.md describes the
// formats and every diagnostic.
package dockercfg
