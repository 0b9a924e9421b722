package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/shipseal/shipseal/atomicfile"
	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/internal/shellquote"
	"github.com/shipseal/shipseal/projectkey"
	"github.com/shipseal/shipseal/rekey"
	"github.com/shipseal/shipseal/validate"
	"github.com/spf13/cobra"
)

func init() { commands = append(commands, newRekeyCommand) }

type rekeyOptions struct {
	oldKey     keyOptions
	newKeyPath string
	all        bool
	dryRun     bool
	format     string
	noValidate bool
	kind       string
	dialect    string
	verbose    bool
}

func newRekeyCommand(s *streams) *cobra.Command {
	opts := &rekeyOptions{}
	cmd := &cobra.Command{
		Use:   "rekey --new-key-path NEW [--old-key-path OLD] (FILE... | --all)",
		Short: "Re-encrypt files with a new key, all or nothing",
		Long: `Move encrypted files from the old project key to a new one. Every file is
decrypted with the old key, validated, encrypted with the new key in the
format version it had, and checked by decrypting it again; only when every
file has passed are they all replaced (each atomically, keeping its mode).
If any file fails, none is replaced.

--all finds every encrypted file of the git work tree by its content
(tracked and untracked files that are not ignored; key files are skipped).
A file that already decrypts with the new key is left alone, so running the
same rekey again after an interruption finishes the rotation; such files
are counted, and listed one by one with --verbose. A run that was killed
(SIGKILL, the OOM killer) may leave staged files named
.NAME.shipseal-PID-RANDOM.tmp beside the files: --all never takes them
for files of the project, and the next rekey removes those of NAME once
they are a minute old (and says which younger ones it left).

The old key is found like every command's (--old-key-path, then
$SHIPSEAL_KEY, $SHIPSEAL_KEY_PATH, ./codeship.aes, the git root).
--dry-run lists what would change, as text or as JSON (--format json):
{"old_key": FINGERPRINT, "new_key": FINGERPRINT, "files": [{"file": NAME,
"version": 1|2, "action": "rekey"|"current"|"fail", "size": BYTES}]}.
A dry run lists every file even when some cannot be rotated: those are
marked fail (in JSON with an "error" field, and "version" 0 when it cannot
be told), and their errors follow on standard error, with the exit code
a real run would have.

jet has no equivalent. See docs/rotation.md for rotating a Codeship
project's key.`,
		Example: `  shipseal keygen -o new.aes
  shipseal rekey --old-key-path codeship.aes --new-key-path new.aes --all --dry-run
  shipseal rekey --old-key-path codeship.aes --new-key-path new.aes --all
  shipseal rekey --new-key-path new.aes dockercfg.encrypted env.encrypted
  shipseal rekey --new-key-path new.aes --all --dry-run --format json`,
		RunE: func(cmd *cobra.Command, args []string) error { return runRekey(cmd.Context(), s, opts, args) },
	}
	f := cmd.Flags()
	opts.oldKey.stderr = s.err
	opts.oldKey.flag = "--old-key-path"
	f.StringVar(&opts.oldKey.path, "old-key-path", "", "the key the files are encrypted with now (default: the project key, found as --key-path is)")
	f.StringVar(&opts.newKeyPath, "new-key-path", "", "the key to encrypt them with (required)")
	f.BoolVar(&opts.all, "all", false, "every encrypted file in the git work tree")
	f.BoolVarP(&opts.dryRun, "dry-run", "n", false, "check everything and list what would change, change nothing")
	f.StringVar(&opts.format, "format", "text", "the --dry-run listing: text or json")
	f.BoolVar(&opts.noValidate, "no-validate", false, "rotate files whose decrypted content is an invalid dockercfg or env file")
	f.StringVar(&opts.kind, "type", "auto", "what the files hold: auto, dockercfg or env")
	f.StringVar(&opts.dialect, "dialect", "auto", dialectUsage)
	f.BoolVarP(&opts.verbose, "verbose", "v", false, "name every file re-encrypted or already on the new key, not only their numbers")
	return cmd
}

// rekeyListing is the --dry-run --format json document. Its fields are a
// stable interface: add, never rename or remove.
type rekeyListing struct {
	OldKey string           `json:"old_key"`
	NewKey string           `json:"new_key"`
	Files  []rekeyListEntry `json:"files"`
}

type rekeyListEntry struct {
	File    string `json:"file"`
	Version int    `json:"version"`
	Action  string `json:"action"`
	Size    int64  `json:"size"`
	// Error is why a file marked "fail" cannot be rotated.
	Error string `json:"error,omitempty"`
}

func runRekey(ctx context.Context, s *streams, opts *rekeyOptions, args []string) error {
	switch {
	case opts.format != "text" && opts.format != "json":
		return usageErrorf("unknown --format %q: want text or json", opts.format)
	case opts.format == "json" && !opts.dryRun:
		return usageErrorf("--format json lists a plan: use it with --dry-run")
	case opts.newKeyPath == "":
		return withHint(usageErrorf("--new-key-path is required"), "create a new key with `shipseal keygen -o new.aes`")
	case opts.all && len(args) > 0:
		return usageErrorf("give either FILE arguments or --all, not both")
	case !opts.all && len(args) == 0:
		return usageErrorf("nothing to rekey: give FILE arguments or --all")
	}
	vopts, err := validationOptions(opts.kind, opts.dialect, false)
	if err != nil {
		return err
	}
	old, err := opts.oldKey.find()
	if err != nil {
		return fmt.Errorf("the old key: %w", err)
	}
	nk, err := projectkey.Finder{Path: opts.newKeyPath, Flag: "--new-key-path"}.Find()
	if errors.Is(err, projectkey.ErrNoKey) && !errors.Is(err, projectkey.ErrKeyNotPath) {
		return withHint(fmt.Errorf("the new key: %w", err), "create the new key with `shipseal keygen -o %s`", shellquote.Quote(opts.newKeyPath))
	}
	if err != nil {
		return fmt.Errorf("the new key: %w", err)
	}
	if old.Key.Equal(nk.Key) {
		return usageErrorf("the old and the new key are the same key (%v)", nk.Key)
	}
	names := args
	if opts.all {
		if names, err = rekey.Find("."); err != nil {
			return err
		}
		if len(names) == 0 {
			infof(s.err, "no encrypted files found in the git work tree")
		}
	}

	ropts := rekey.Options{Old: old.Key, New: nk.Key, DryRun: opts.dryRun}
	if !opts.noValidate {
		ropts.Check = func(name string, plain []byte) *diag.Report {
			// No key: rekey.Prepare has already made sure that the key
			// is right, so content that is not text is not a wrong key
			// (a v2 file of binary data is rotated as it is).
			return validate.Plain(name, plain, vopts, nil)
		}
	}
	var total int64
	for _, n := range names {
		total += fileSize(n)
	}
	if bar := newProgress(s, total, "rekey"); bar != nil {
		ropts.Progress = func(n int64) { bar.Add64(n) }
		defer bar.Finish()
	}
	if !opts.dryRun {
		sweepLeftovers(s, names)
	}
	// Prepare stages the new files beside the old ones: from here on, a
	// signal stops rekey, which removes them.
	takeInterrupts(ctx)
	set, err := rekey.PrepareContext(ctx, names, ropts)
	if err != nil {
		if set != nil && opts.dryRun {
			// The whole plan first, then why the marked files fail.
			if lerr := listRekey(s, opts.format, old.Key, nk.Key, set); lerr != nil {
				return lerr
			}
		}
		return leftBehind(rekeyFailure(s, err, old.Key), "no file was changed")
	}
	defer set.Abort()

	if opts.dryRun {
		return listRekey(s, opts.format, old.Key, nk.Key, set)
	}
	// Once the renames start, they all run: stopping half-way would leave
	// a half-rotated set.
	if err := interrupted(ctx); err != nil {
		return leftBehind(err, "no file was changed")
	}
	if err := set.Commit(); err != nil {
		return err
	}
	var current []string
	for _, f := range set.Files {
		switch {
		case f.Action == rekey.Current:
			current = append(current, f.Name)
		case opts.verbose:
			infof(s.err, "re-encrypted %s (%v)", f.Name, f.Version)
		}
	}
	switch {
	case len(current) == 1 || opts.verbose:
		for _, name := range current {
			infof(s.err, "%s already uses the new key (%v)", name, nk.Key)
		}
	case len(current) > 1:
		infof(s.err, "%d files already use the new key (%v): left alone (--verbose names them)", len(current), nk.Key)
	}
	infof(s.err, "re-encrypted %d %s from %v to %v", set.Changed(), plural(set.Changed(), "file", "files"), old.Key, nk.Key)
	return nil
}

// sweepLeftovers removes the staged files that a killed rekey (or any
// killed shipseal) left beside names, and says which recent ones it left.
func sweepLeftovers(s *streams, names []string) {
	for _, name := range names {
		removed, kept := atomicfile.RemoveStale(name)
		for _, p := range removed {
			infof(s.err, "removed %s, a leftover temporary file of an interrupted shipseal run", p)
		}
		for _, p := range kept {
			warnf(s.err, "%s is a leftover temporary file of an interrupted shipseal run, less than a minute old: "+
				"if no other shipseal is running, remove it (rm -- %s)", p, shellquote.Quote(p))
		}
	}
}

// rekeyFailure prints why each failing file failed; nothing was replaced.
// old is the key the files did not decrypt with, for the hint.
func rekeyFailure(s *streams, err error, old *crypto.Key) error {
	var fes []*rekey.FileError
	var joined interface{ Unwrap() []error }
	if errors.As(err, &joined) {
		for _, e := range joined.Unwrap() {
			var fe *rekey.FileError
			if errors.As(e, &fe) {
				fes = append(fes, fe)
			}
		}
	}
	if len(fes) == 0 {
		return err
	}
	code := exitFailure
	var wrongKey, invalid int
	for _, fe := range fes {
		if fe.Report != nil {
			diag.WriteText(s.err, []*diag.Report{fe.Report})
		} else {
			fmt.Fprintf(s.err, "shipseal: error: %v\n", fe)
			if h := outputHint(fe.Err); h != "" {
				fmt.Fprintf(s.err, "shipseal: hint: %s\n", h)
			}
		}
		c := exitCode(fe.Err)
		switch {
		case errors.Is(fe.Err, rekey.ErrInvalid):
			c = exitInvalid
			invalid++
		case errors.Is(fe.Err, crypto.ErrWrongKey), errors.Is(fe.Err, crypto.ErrNotText):
			// A v2 checksum, or v1 content that is not text: rekey
			// has already tried the new key too.
			wrongKey++
		}
		// The most telling code wins: a wrong key over invalid content.
		if code == exitFailure || c == exitDecrypt {
			code = c
		}
	}
	var hints []string
	if wrongKey > 0 {
		h := "the old key (%v) is not the one this file was encrypted with: pass that key with --old-key-path, or leave the file out"
		if wrongKey > 1 {
			h = "the old key (%v) is not the one these files were encrypted with: pass that key with --old-key-path, or leave them out"
		}
		hints = append(hints, fmt.Sprintf(h, old))
	}
	if other := len(fes) - wrongKey; other > 0 {
		h := "fix or leave out the files above and run rekey again"
		if wrongKey > 0 {
			h = "fix or leave out the other " + plural(other, "file", "files") + " and run rekey again"
		}
		if invalid > 0 {
			h += "; --no-validate rotates invalid content as it is"
		}
		hints = append(hints, h)
	}
	return withHint(exitError{code: code, msg: fmt.Sprintf("%d of the files cannot be rotated: no file was changed", len(fes))},
		"%s", strings.Join(hints, "; "))
}

func listRekey(s *streams, format string, old, nk *crypto.Key, set *rekey.Set) error {
	if format == "json" {
		l := rekeyListing{OldKey: old.Fingerprint(), NewKey: nk.Fingerprint(), Files: []rekeyListEntry{}}
		for _, f := range set.Files {
			e := rekeyListEntry{File: f.Name, Version: int(f.Version), Action: string(f.Action), Size: f.Size}
			if f.Err != nil {
				e.Error = f.Err.Err.Error()
			}
			l.Files = append(l.Files, e)
		}
		enc := json.NewEncoder(s.out)
		enc.SetIndent("", "  ")
		return enc.Encode(l)
	}
	failed := 0
	for _, f := range set.Files {
		switch f.Action {
		case rekey.Rekey:
			fmt.Fprintf(s.out, "rekey    %s (%v)\n", f.Name, f.Version)
		case rekey.Current:
			fmt.Fprintf(s.out, "current  %s (%v, already uses the new key)\n", f.Name, f.Version)
		case rekey.Fail:
			fmt.Fprintf(s.out, "fail     %s (%s)\n", f.Name, failReason(f))
			failed++
		}
	}
	if failed > 0 {
		return nil // the caller explains the failures
	}
	infof(s.err, "dry run: %d %s would be re-encrypted from %v to %v; nothing changed", set.Changed(), plural(set.Changed(), "file", "files"), old, nk)
	return nil
}

// failReason is the short reason on a failing file's plan line; the full
// error follows the plan.
func failReason(f *rekey.File) string {
	why := "cannot be rotated: see below"
	switch {
	case errors.Is(f.Err, rekey.ErrInvalid):
		why = "invalid content: see below"
	case errors.Is(f.Err, crypto.ErrWrongKey), errors.Is(f.Err, crypto.ErrNotText):
		why = "not the old key: see below"
	}
	if f.Version == 0 {
		return why
	}
	return f.Version.String() + ", " + why
}
