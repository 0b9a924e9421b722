// Package diag holds the diagnostics that shipseal's validators report
// (a code, a severity, a position, a message and a hint) and the one printer
// that renders them as text or JSON.
//
// Secret masking happens here and nowhere else: a validator marks the byte
// ranges of secret values on its Source, and every excerpt and message that
// leaves this package goes through Source.Mask, so no diagnostic can print a
// secret even if a validator's message accidentally quotes one.
package diag
