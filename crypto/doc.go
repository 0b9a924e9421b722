// Package crypto holds shipseal's project key and the encrypted file
// formats that Codeship's jet writes and reads, as streaming readers and
// writers whose memory does not grow with the file.
//
// See docs/format.md for the formats in prose. In short:
//
//	v1: base64(IV || AES-256-CFB(key, IV, plaintext))
//	v2: "codeship:v2\n" base64(IV || AES-256-CFB(key, IV, md5hex(plaintext) || plaintext))
//
// Neither format is authenticated: v2's MD5 checksum detects a wrong key or
// corruption, not tampering by someone who holds the key.
package crypto
