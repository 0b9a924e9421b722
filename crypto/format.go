package crypto

import (
	"errors"
	"fmt"
)

// Version is an encrypted file format version.
type Version int

const (
	// V1 is jet's original format, without a checksum.
	V1 Version = 1
	// V2 is the format of jet ≥ 2.6: a header line and an MD5 checksum of
	// the plaintext in front of it. shipseal writes it by default.
	V2 Version = 2
)

func (v Version) String() string { return fmt.Sprintf("v%d", int(v)) }

// HeaderV2 is the first line of a v2 file.
const HeaderV2 = "codeship:v2"

// headerPrefix starts every versioned file; a later version would be
// "codeship:v3".
const headerPrefix = "codeship:"

const (
	ivSize       = 16 // the AES block size
	checksumSize = 32 // lowercase hex MD5
)

var (
	// ErrNotEncrypted means the input is not in either format: not base64,
	// or too short to hold an IV.
	ErrNotEncrypted = errors.New("not a shipseal/jet encrypted file")
	// ErrUnsupportedVersion means a "codeship:" header other than v2.
	ErrUnsupportedVersion = errors.New("unsupported encrypted file version")
	// ErrWrongKey means the v2 checksum did not decrypt to hex: the key is
	// not the one the file was encrypted with. No plaintext was released.
	ErrWrongKey = errors.New("the key does not decrypt this file")
	// ErrChecksum means the v2 checksum did not match the plaintext: the
	// file is corrupt (or the key is wrong). It is jet's wording.
	ErrChecksum = errors.New("checksum for decrypted data is invalid, corrupt AES key or data")
	// ErrTruncated means a v2 file ends before its checksum.
	ErrTruncated = errors.New("encrypted data is truncated")
)
