package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/shipseal/shipseal/atomicfile"
	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/internal/shellquote"
	"github.com/shipseal/shipseal/projectkey"
)

// The exit codes, documented in docs/cli.md. Every command uses these.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
	exitKey     = 3
	exitDecrypt = 4
	exitInvalid = 5
	// A run stopped by signal N exits 128+N (interruptError.code,
	// signalExit), and main then ends the process by the signal.
)

// usageError is a bad command line: exit 2, with a pointer to --help.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// hintError attaches advice to an error; the advice is printed on a line of
// its own after the error.
type hintError struct {
	err  error
	hint string
}

func (e hintError) Error() string { return e.err.Error() }
func (e hintError) Unwrap() error { return e.err }

func withHint(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return hintError{err, fmt.Sprintf(format, args...)}
}

// exitError ends the command with a code, after its output (diagnostics,
// say) has been printed already; msg may be empty. sig is the signal that
// ended the run, if one did (exec's command, edit's editor or edit
// itself): main ends the process by it after the clean-up.
type exitError struct {
	code int
	msg  string
	sig  syscall.Signal
}

func (e exitError) Error() string { return e.msg }

// signalExit is the end of a run that signal sig stopped: exit 128+N, as a
// shell reports it, and then killed by sig in main.
func signalExit(sig syscall.Signal, msg string) exitError {
	return exitError{code: 128 + int(sig), msg: msg, sig: sig}
}

// signalOf is the signal that stopped the run that ended with err, or 0.
func signalOf(err error) syscall.Signal {
	var ie *interruptError
	var ee exitError
	switch {
	case errors.As(err, &ie):
		return ie.sig
	case errors.As(err, &ee):
		return ee.sig
	}
	return 0
}

// contentError is content that fails validation (exit 5), with its
// message printed like any error.
type contentError struct{ err error }

func (e contentError) Error() string { return e.err.Error() }
func (e contentError) Unwrap() error { return e.err }

// errContentInvalid and errCannotDecrypt end commands whose diagnostics
// already said what was wrong.
var (
	errContentInvalid = exitError{code: exitInvalid}
	errCannotDecrypt  = exitError{code: exitDecrypt}
)

// exitCode maps an error to the documented exit codes.
func exitCode(err error) int {
	var ee exitError
	var ue usageError
	var ce contentError
	var ie *interruptError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ie):
		return ie.code()
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ue):
		return exitUsage
	case errors.As(err, &ce):
		return exitInvalid
	case errors.Is(err, projectkey.ErrNoKey), errors.Is(err, crypto.ErrInvalidKey), errors.Is(err, projectkey.ErrUnreadable):
		return exitKey
	case errors.Is(err, crypto.ErrNotEncrypted), errors.Is(err, crypto.ErrUnsupportedVersion),
		errors.Is(err, crypto.ErrWrongKey), errors.Is(err, crypto.ErrChecksum),
		errors.Is(err, crypto.ErrTruncated), errors.Is(err, crypto.ErrNotText):
		return exitDecrypt
	}
	return exitFailure
}

// defaultHint gives advice for the errors every command can meet.
func defaultHint(err error) string {
	switch {
	case errors.Is(err, projectkey.ErrEmptyEnv):
		return "CI services withhold secrets from some builds (a pull request from a fork, say): " +
			"give this build the secret, or unset the variable to use a key file"
	case errors.Is(err, projectkey.ErrUnreadable):
		return "make the key file a regular file readable by the user shipseal runs as"
	case errors.Is(err, projectkey.ErrKeyNotPath):
		return "$SHIPSEAL_KEY holds the key's base64 text, --key-path and $SHIPSEAL_KEY_PATH the path of a file that holds it " +
			"(in a Codeship encrypted_env_file: SHIPSEAL_KEY=…)"
	case errors.Is(err, projectkey.ErrNoKey):
		return "download the project's AES key from Codeship (Project Settings → General → AES Key) into codeship.aes, " +
			"or point to it with --key-path or $SHIPSEAL_KEY_PATH; for a new project, create one with `shipseal keygen`"
	case errors.Is(err, crypto.ErrInvalidKey):
		return "codeship.aes must hold the base64 text of a 32-byte key, exactly as Codeship's project settings give it"
	case errors.Is(err, crypto.ErrChecksum):
		// A wrong v2 key fails on the checksum's first bytes (ErrWrongKey):
		// a mismatch at the end means the file itself changed.
		return "the file is corrupt (edited by hand, cut short, or a merge conflict?): restore it from git, or encrypt the plaintext again"
	case errors.Is(err, crypto.ErrWrongKey), errors.Is(err, crypto.ErrNotText):
		return "check that the key is this project's (each Codeship project has its own key); " +
			"if the file was encrypted with another project's key, re-encrypt it with `shipseal encrypt`"
	case errors.Is(err, crypto.ErrNotEncrypted):
		return "the input is not encrypted; `shipseal validate FILE` says what it is"
	case errors.Is(err, crypto.ErrUnsupportedVersion):
		return "this file was written by a newer tool; upgrade shipseal"
	case errors.As(err, new(*atomicfile.SymlinkError)):
		return "another user may have planted the link to make this run write where they choose: " +
			"remove the link if it is not yours, or write to a path outside that directory"
	}
	return outputHint(err)
}

// outputHint says what to do about an output file that could not be
// written, whichever command wrote it: all of them write through
// atomicfile, whose *Error says what failed and why.
func outputHint(err error) string {
	var de *outputDirError
	if errors.As(err, &de) {
		if de.suggest == "" {
			return ""
		}
		return "write to a file in it, such as " + shellquote.Quote(filepath.Join(de.dir, de.suggest))
	}
	var ae *atomicfile.Error
	if !errors.As(err, &ae) {
		return ""
	}
	dir := shellquote.Quote(ae.Dir)
	switch {
	case errors.Is(ae.Err, syscall.EROFS):
		return ae.Dir + " is on a read-only file system: write the output somewhere else"
	case errors.Is(ae.Err, syscall.ENOSPC), errors.Is(ae.Err, syscall.EDQUOT):
		if st, err := os.Stat(ae.Path); err == nil && !st.Mode().IsRegular() {
			return "" // a full device (/dev/full), written in place
		}
		return "free some space on that file system (df -h " + dir + "), or write the output somewhere else"
	case ae.Op != "create":
		return ""
	case errors.Is(ae.Err, fs.ErrNotExist):
		return "create it first: mkdir -p " + dir
	case errors.Is(ae.Err, syscall.ENOTDIR):
		return "a part of " + ae.Dir + " is a file, not a directory: give another path"
	case errors.Is(ae.Err, fs.ErrPermission):
		// shipseal replaces a file rather than writing into it, which
		// takes the directory's permission, not the file's.
		return "write somewhere you can, or check the directory's permissions: ls -ld " + dir
	}
	return ""
}

// report prints err as "shipseal: error: …" and its hint, and returns the
// exit code. command is the command that failed ("shipseal dockercfg
// show"): a usage error without a hint of its own points at its --help.
func report(w io.Writer, err error, command string) int {
	code := exitCode(err)
	var ee exitError
	if errors.As(err, &ee) && ee.msg == "" {
		return code
	}
	// Stopping was asked for, so it is not an error: one line says what
	// the run left behind.
	var ie *interruptError
	if errors.As(err, &ie) {
		fmt.Fprintf(w, "shipseal: %s\n", ie)
		return code
	}
	fmt.Fprintf(w, "shipseal: error: %s\n", err)
	var he hintError
	hint := defaultHint(err)
	if errors.As(err, &he) {
		hint = he.hint
	}
	if code == exitUsage && hint == "" {
		hint = "run `" + command + " --help` for usage"
	}
	if hint != "" {
		fmt.Fprintf(w, "shipseal: hint: %s\n", hint)
	}
	return code
}

// warnf prints a warning in the same voice.
func warnf(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, "shipseal: warning: %s\n", strings.TrimSpace(fmt.Sprintf(format, args...)))
}

// infof prints a progress line ("wrote x") in the same voice.
func infof(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, "shipseal: %s\n", fmt.Sprintf(format, args...))
}
