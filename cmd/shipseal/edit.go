package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/shipseal/shipseal/atomicfile"
	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/diag"
	"github.com/shipseal/shipseal/editor"
	"github.com/shipseal/shipseal/internal/shellquote"
	"github.com/shipseal/shipseal/secretdir"
	"github.com/shipseal/shipseal/validate"
	"github.com/spf13/cobra"
)

func init() { commands = append(commands, newEditCommand) }

type editOptions struct {
	key        keyOptions
	kind       string
	dialect    string
	noValidate bool
}

func newEditCommand(s *streams) *cobra.Command {
	opts := &editOptions{}
	cmd := &cobra.Command{
		Use:   "edit FILE",
		Short: "Edit an encrypted file in place, in $VISUAL or $EDITOR",
		Long: `Decrypt FILE into a private temporary file (mode 0600, in a 0700 directory
on /dev/shm when there is one), open it in $VISUAL (when $TERM is set and
not dumb, as git does), $EDITOR or vi, validate what was saved (dockercfg
or env file, detected as "validate" does) and encrypt it back over FILE
atomically, in the format version FILE had. The temporary file is named
like FILE without .encrypted, ending in .json for a dockercfg and .env for
an env file, so that the editor highlights it.

If FILE does not exist, the editor starts from a template (the shape of a
dockercfg or env file, when --type or FILE's name says which) and FILE is
created, in the v2 format with the mode encrypt gives a new file (0666 less
the umask), only if what was saved is not empty, not the template, and
valid. An existing FILE keeps its mode.

If the plaintext did not change, FILE is left byte for byte as it was (no
needless diff), and edit says so and exits 0. The editor must wait until
you close the file: a graphical one that returns within a second without
saving it because it lacks its wait flag (code without --wait, subl
without -w) ends edit with exit 1, since what you then type in its window
would be lost. If the result is invalid, edit asks whether to reopen the
editor when standard input is a terminal; otherwise it stops with exit code
5 and FILE unchanged. The temporary file is removed on every path, including
Ctrl-C and SIGTERM.

jet has no equivalent: with jet, this is decrypt, edit, encrypt, and
remembering to delete the plaintext.`,
		Example: `  # jet decrypt env.encrypted env && vi env && jet encrypt env env.encrypted && rm env
  shipseal edit env.encrypted
  EDITOR="code --wait" shipseal edit dockercfg.encrypted
  shipseal edit --type env --dialect compose prod.env.encrypted
  # a new encrypted file, with no plaintext left behind
  shipseal edit staging.env.encrypted`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErrorf("edit takes exactly one FILE, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error { return runEdit(cmd.Context(), s, opts, args[0]) },
	}
	f := cmd.Flags()
	opts.key.register(f, s)
	f.StringVar(&opts.kind, "type", "auto", "what the file holds: auto, dockercfg or env")
	f.StringVar(&opts.dialect, "dialect", "auto", dialectUsage)
	f.BoolVar(&opts.noValidate, "no-validate", false, "encrypt the result even if it is an invalid dockercfg or env file")
	return cmd
}

func runEdit(ctx context.Context, s *streams, opts *editOptions, name string) error {
	vopts, err := validationOptions(opts.kind, opts.dialect, false)
	if err != nil {
		return err
	}
	found, err := opts.key.find()
	if err != nil {
		return err
	}
	// A new file starts from a template, in the current format version,
	// with the mode encrypt gives its outputs.
	var (
		sealed  []byte
		plain   []byte
		version = crypto.V2
		isNew   bool
	)
	st, err := os.Stat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := checkNewFile(name); err != nil {
			return err
		}
		isNew = true
	case err != nil:
		return inputError(name, err)
	case !st.Mode().IsRegular():
		return fmt.Errorf("cannot edit %s: not a regular file", name)
	default:
		if sealed, err = os.ReadFile(name); err != nil {
			return inputError(name, err)
		}
		if err := validate.CheckNamed(name, sealed); err != nil {
			var ne *validate.NotEncryptedError
			errors.As(err, &ne)
			return withHint(err, "%s", ne.Hint())
		}
		if plain, version, err = decryptText(sealed, found.Key); err != nil {
			return fmt.Errorf("decrypting %s: %w", name, err)
		}
	}
	kind := vopts.Kind
	switch {
	case kind != validate.Auto:
	case isNew:
		kind = validate.KindFromName(name)
	default:
		kind = validate.DetectKind(name, plain)
	}
	if isNew {
		plain = editTemplate(kind)
		infof(s.err, "%s does not exist: editing a new file, created when you save it", name)
	}

	// A signal must not end shipseal before it removes the plaintext:
	// from here on, edit stops and cleans up.
	takeInterrupts(ctx)
	dir, err := secretdir.New("shipseal-edit-*")
	if err != nil {
		return err
	}
	defer dir.Remove()
	tmp, err := dir.WriteFile(editName(name, kind), plain)
	if err != nil {
		return fmt.Errorf("writing the plaintext for the editor: %w", err)
	}

	// Not once the editor has run: Ctrl-C in it (which edit ignores, as
	// git does) must not stop edit when it reopens the editor.
	if err := interrupted(ctx); err != nil {
		return leftBehind(err, "the file was left unchanged and the plaintext removed")
	}
	spec := editor.Find(nil)
	shown := plain
	for {
		before, _ := os.Stat(tmp)
		started := time.Now()
		if err := runEditor(s, spec, tmp); err != nil {
			return err
		}
		ran := time.Since(started)
		edited, err := os.ReadFile(tmp)
		if err != nil {
			return fmt.Errorf("reading back what the editor saved: %w: %s left unchanged", err, name)
		}
		if flag := editor.MissingWait(spec); flag != "" && ran < editorMinWait && bytes.Equal(edited, shown) && !saved(before, tmp) {
			return withHint(fmt.Errorf("the editor (%s) returned at once without saving: %s was left unchanged "+
				"and its plaintext removed, so nothing typed in that editor now is kept", spec, name),
				"this editor hands the file to a window and returns unless told to wait: give it its wait flag, %s=%s (see docs/tools.md)",
				editorVar(), shellquote.Single(spec+" "+flag))
		}
		shown = edited
		if isNew && (bytes.Equal(edited, plain) || len(bytes.TrimSpace(edited)) == 0) {
			return withHint(fmt.Errorf("%s not created: the editor left it empty or as the template was", name),
				"write the content and save it before leaving the editor")
		}
		if bytes.Equal(edited, plain) {
			// As git commit does with an unchanged message: not a
			// failure (exit 0), and FILE stays byte for byte as it was.
			infof(s.err, "%s unchanged: nothing re-encrypted", name)
			return nil
		}
		if !opts.noValidate && !editedValid(s, name, edited, vopts) {
			if again, err := askReopen(s); err != nil || !again {
				if err != nil {
					return err
				}
				if isNew {
					return exitError{code: exitInvalid, msg: name + " not created: the edited content is invalid"}
				}
				return exitError{code: exitInvalid, msg: name + " left unchanged: the edited content is invalid"}
			}
			continue
		}
		var write []atomicfile.Option
		if isNew {
			// Somebody may have created it meanwhile: never replace
			// that.
			write = append(write, atomicfile.NoClobber())
		} else if now, err := os.ReadFile(name); err != nil || !bytes.Equal(now, sealed) {
			return withHint(fmt.Errorf("%s changed while it was being edited: not overwritten", name),
				"run edit again and redo the change")
		}
		if err := reseal(name, edited, found.Key, version, write...); err != nil {
			if isNew && errors.Is(err, fs.ErrExist) {
				return withHint(fmt.Errorf("%s was created while it was being edited: not overwritten", name),
					"run edit on it, and redo the change")
			}
			return err
		}
		if isNew {
			infof(s.err, "encrypted the new file to %s (%v, %v)", name, version, found.Key)
		} else {
			infof(s.err, "encrypted the changes to %s (%v, %v)", name, version, found.Key)
		}
		return nil
	}
}

// editorMinWait is how long an editor must run for edit to believe that it
// waited for the user. A known graphical launcher without its wait flag
// (editor.MissingWait: code without --wait, subl without -w) that returns
// sooner without saving the file has handed it to a window and gone:
// taking that for "unchanged" would remove the file the user is about to
// edit. Any other editor that does so (true, a script's no-op) left the
// file unchanged. A variable, so that tests choose instead of timing.
var editorMinWait = time.Second

// editorVar is the variable that editor.Find took the editor from, for a
// hint that says how to change it.
func editorVar() string {
	if term := os.Getenv("TERM"); term != "" && term != "dumb" && strings.TrimSpace(os.Getenv("VISUAL")) != "" {
		return "VISUAL"
	}
	return "EDITOR"
}

// saved reports whether the file at path is not the one before described
// (the editor replaced it) or has been written since.
func saved(before fs.FileInfo, path string) bool {
	after, err := os.Stat(path)
	if before == nil || err != nil {
		return true
	}
	return !os.SameFile(before, after) || !after.ModTime().Equal(before.ModTime()) || after.Size() != before.Size()
}

// checkNewFile checks that a file that does not exist yet can be created
// by edit, before the user types anything.
// Its hint is every command's for an output that cannot be created
// (outputHint): mkdir -p DIR for a missing directory.
func checkNewFile(name string) error {
	dir := filepath.Dir(name)
	st, err := os.Stat(dir)
	if err == nil && !st.IsDir() {
		err = syscall.ENOTDIR
	}
	if err != nil {
		hint := outputHint(&atomicfile.Error{Op: "create", Path: name, Dir: dir, Err: err})
		if hint == "" {
			hint = "check the file name"
		}
		return withHint(fmt.Errorf("cannot create %s: no directory %s", name, dir), "%s", hint)
	}
	return nil
}

// editName is the name the editor sees: FILE's without .encrypted, ending
// in .json for a dockercfg and .env for an env file, so that the editor
// highlights it (dockercfg.encrypted is edited as dockercfg.json).
func editName(name string, kind validate.Kind) string {
	base := validate.BaseName(name)
	lower := strings.ToLower(base)
	switch {
	case kind == validate.Dockercfg && !strings.HasSuffix(lower, ".json"):
		base += ".json"
	case kind == validate.Env && !strings.HasSuffix(lower, ".env") && !strings.HasPrefix(lower, ".env"):
		base += ".env"
	}
	return base
}

// editTemplate is what a new file starts as: the shape of the content,
// which is not saved as it is.
func editTemplate(kind validate.Kind) []byte {
	switch kind {
	case validate.Dockercfg:
		return []byte(`{
	"auths": {
		"registry.example.com": {
			"username": "",
			"password": ""
		}
	}
}
`)
	case validate.Env:
		return []byte("# One NAME=value a line; lines starting with # are comments.\n")
	}
	return nil
}

// runEditor runs the editor on the terminal (the command's own streams).
// Like git, edit ignores Ctrl-C while the editor runs (editors use it
// themselves, and get it too); SIGTERM and SIGHUP are passed on to the
// editor, and edit then stops.
func runEditor(s *streams, spec, file string) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := editor.Command(ctx, spec, file)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = s.in, s.out, s.err
	if err := cmd.Start(); err != nil {
		return withHint(fmt.Errorf("cannot start the editor (%s): %w; the file was left unchanged", spec, err),
			"set $VISUAL or $EDITOR to an installed editor")
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	var got os.Signal
	done := make(chan struct{})
	go func() {
		defer close(done)
		select {
		case got = <-sigs:
			cmd.Process.Signal(got)
		case <-ctx.Done():
		}
	}()
	err := cmd.Wait()
	cancel()
	<-done
	if got != nil {
		return signalExit(got.(syscall.Signal),
			fmt.Sprintf("stopped by %v: the file was left unchanged and the plaintext removed", got))
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return signalExit(ws.Signal(),
				fmt.Sprintf("the editor was killed (%v): the file was left unchanged and the plaintext removed", ws.Signal()))
		}
	}
	if err != nil {
		return withHint(fmt.Errorf("the editor (%s) failed: %w; the file was left unchanged", spec, err),
			"fix the editor, or set $VISUAL or $EDITOR to another one")
	}
	return nil
}

// editedValid validates the edited plaintext and prints what is wrong.
func editedValid(s *streams, name string, data []byte, vopts validate.Options) bool {
	// No key: the text was typed, not decrypted, so it cannot be
	// garbage from a wrong key.
	r := validate.Plain(name, data, vopts, nil)
	if r.Valid() {
		if _, w := r.Count(); w > 0 {
			diag.WriteText(s.err, []*diag.Report{r})
		}
		return true
	}
	diag.WriteText(s.err, []*diag.Report{r})
	return false
}

// askReopen asks on a terminal whether to edit again; without a terminal
// the answer is no. Ctrl-C or SIGTERM at the question aborts.
func askReopen(s *streams) (bool, error) {
	if !isTerminal(s.in) {
		return false, nil
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sigs)
	fmt.Fprint(s.err, "shipseal: the file is invalid: reopen the editor (y) or abort and leave it unchanged (n)? [Y/n] ")
	type answer struct {
		line string
		err  error
	}
	answers := make(chan answer, 1)
	go func() {
		line, err := bufio.NewReader(s.in).ReadString('\n')
		answers <- answer{line, err}
	}()
	select {
	case sig := <-sigs:
		fmt.Fprintln(s.err)
		return false, signalExit(sig.(syscall.Signal),
			fmt.Sprintf("stopped by %v: the file was left unchanged and the plaintext removed", sig))
	case a := <-answers:
		if a.err != nil && a.err != io.EOF {
			return false, a.err
		}
		switch strings.ToLower(strings.TrimSpace(a.line)) {
		case "", "y", "yes":
			return true, nil
		}
		return false, nil
	}
}

// reseal encrypts plain over name atomically, keeping its format version
// and mode, after checking that the new file decrypts to plain.
func reseal(name string, plain []byte, key *crypto.Key, version crypto.Version, opts ...atomicfile.Option) error {
	var buf bytes.Buffer
	if err := crypto.Encrypt(&buf, bytes.NewReader(plain), key, crypto.WriteOptions{Version: version}); err != nil {
		return fmt.Errorf("encrypting %s: %w", name, err)
	}
	if back, _, err := validate.Decrypt(buf.Bytes(), key); err != nil || !bytes.Equal(back, plain) {
		return fmt.Errorf("encrypting %s: the new file does not decrypt to what was saved (%v); %s left unchanged", name, err, name)
	}
	if err := sealedOutput.writeFile(name, buf.Bytes(), opts...); err != nil {
		return writingError(name, err)
	}
	return nil
}

// decryptText decrypts a whole file in memory, for edit and exec, which
// work on text. A v1 file has no checksum: plaintext that is not text is
// binary content or a wrong key, as decrypt says.
func decryptText(sealed []byte, key *crypto.Key) ([]byte, crypto.Version, error) {
	plain, version, err := validate.Decrypt(sealed, key)
	if err != nil || version != crypto.V1 {
		return plain, version, err
	}
	err = crypto.CheckText(plain)
	var nt *crypto.NotTextError
	switch {
	case errors.As(err, &nt) && nt.Format != "":
		return nil, version, withHint(fmt.Errorf("%w: this looks like a binary file (%s)", crypto.ErrNotText, nt.Format),
			"only text can be edited or read as an env file: shipseal decrypt --binary decrypts a binary file")
	case errors.As(err, &nt) && nt.Binary():
		return nil, version, withHint(fmt.Errorf("%w at offset %d: a binary file, or text that is not UTF-8, not a wrong key (which garbles the first bytes)",
			crypto.ErrNotText, nt.Offset), "only UTF-8 text can be edited or read as an env file: decrypt it with shipseal decrypt --binary, "+
			"and convert text with iconv -f WINDOWS-1252 -t UTF-8 before encrypting it again")
	case errors.As(err, &nt):
		return nil, version, withHint(fmt.Errorf("%w: a binary file or the wrong key (%v)", crypto.ErrNotText, key),
			"a v1 file has no checksum, so shipseal cannot tell which: check that the key is this project's "+
				"(a binary file, which shipseal decrypt --binary decrypts, cannot be edited or read as an env file)")
	case err != nil:
		return nil, version, err
	}
	return plain, version, nil
}
