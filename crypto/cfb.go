package crypto

import "crypto/cipher"

// newCFBEncrypter and newCFBDecrypter return AES-CFB (full-block, 128-bit
// feedback) streams, the mode of openssl's aes-256-cfb and of jet.
//
// crypto/cipher deprecates CFB because it is unauthenticated; the formats
// we must be compatible with use it, so we keep it in this one place.
func newCFBEncrypter(b cipher.Block, iv []byte) cipher.Stream {
	return cipher.NewCFBEncrypter(b, iv) //nolint:staticcheck // required by the jet formats
}

func newCFBDecrypter(b cipher.Block, iv []byte) cipher.Stream {
	return cipher.NewCFBDecrypter(b, iv) //nolint:staticcheck // required by the jet formats
}
