package diag

// Report is the result of validating one file.
type Report struct {
	// File is the name shown to the user.
	File string
	// Kind is what the file was taken to be: "dockercfg", "env",
	// "encrypted", "key", ...
	Kind string
	// Encrypted is true when the content was decrypted in memory first.
	Encrypted bool
	// Version is the encrypted format's version (1 or 2) when Encrypted.
	Version int
	// Notes are neutral one-line remarks ("content not checked: no key").
	Notes       []string
	Diagnostics []Diagnostic
	// Source gives excerpts and masking; it may be nil.
	Source *Source
}

// Add appends diagnostics to the report.
func (r *Report) Add(d ...Diagnostic) { r.Diagnostics = append(r.Diagnostics, d...) }

// Promote turns every warning into an error (--strict).
func (r *Report) Promote() {
	for i := range r.Diagnostics {
		if r.Diagnostics[i].Severity == Warning {
			r.Diagnostics[i].Severity = Error
		}
	}
}

// Count returns how many errors and warnings the report holds.
func (r *Report) Count() (errors, warnings int) {
	for _, d := range r.Diagnostics {
		switch d.Severity {
		case Error:
			errors++
		case Warning:
			warnings++
		}
	}
	return errors, warnings
}

// Valid is true when the report has no errors.
func (r *Report) Valid() bool {
	e, _ := r.Count()
	return e == 0
}

// WrongKey is true when an error in the report says the key is probably
// wrong.
func (r *Report) WrongKey() bool {
	for _, d := range r.Diagnostics {
		if d.Severity == Error && d.WrongKey {
			return true
		}
	}
	return false
}

// mask hides secrets in text using the report's source, if any.
func (r *Report) mask(text string) string {
	if r.Source == nil {
		return text
	}
	return r.Source.Mask(text)
}

// Message returns d's message with what it quotes from the file masked
// (see Source.MaskMessage).
func (r *Report) Message(d Diagnostic) string { return r.Source.MaskMessage(d) }

// Hint returns d's hint as it may be shown (see Source.MaskHint).
func (r *Report) Hint(d Diagnostic) string { return r.Source.MaskHint(d) }
