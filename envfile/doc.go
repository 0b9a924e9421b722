// Package envfile reads, checks and edits environment files: the
// NAME=value lists that `docker run --env-file`, Codeship's
// encrypted_env_file and Docker Compose's .env take.
//
// Two dialects exist. [Docker] follows docker/cli exactly: one variable per
// line, no quotes, no escapes, no interpolation, a bare NAME takes its value
// from the environment. [Compose] follows Docker Compose's .env rules:
// quotes, escapes in double quotes, an optional "export " prefix, inline
// comments, multi-line double-quoted values and ${VAR} interpolation.
//
// Every value is a secret. Diagnostics never quote a value: the byte range of
// each value is marked on the diag.Source, so excerpts show it as ****, and
// the decoded values are registered so that no message can print them.
package envfile
