// Package diag holds the diagnostics that shipseal's validators report
// (a code, a severity, a position, a message and a hint) and the one printer
// that renders them as text or JSON.
//
// Secret masking happens here and nowhere else: a validator marks the byte
// ranges of secret values on its Source, excerpts show them as ****, and
// whatever a message quotes from the file (the arguments of Errorf and
// Warnf) goes through Source.Mask, which hides every whole occurrence of a
// secret value, so no diagnostic can print a secret even if a validator's
// message accidentally quotes one. A message's own words and its hint are
// shipseal's and are shown as they are: a password that is also a word of
// them ("docker", "pass") neither garbles them nor shows where it is.
package diag
