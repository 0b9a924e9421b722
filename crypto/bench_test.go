package crypto

import (
	"bytes"
	"crypto/md5"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// Benchmarks per stage, so that a regression shows where it comes from:
// the cipher (serial encryption, parallel decryption), base64, whitespace
// filtering, the checksums, then the whole pipeline in memory and through
// files. Run them with:
//
//	go test -run '^$' -bench . ./crypto/
//
// bench/run.sh measures the shipseal binary against openssl on 1 GiB.

const benchSize = 4 << 20

func benchKey(b *testing.B) *Key {
	k, err := GenerateKey(bytes.NewReader(bytes.Repeat([]byte{7}, KeySize)))
	if err != nil {
		b.Fatal(err)
	}
	return k
}

func benchData(n int) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = byte(i*131 + i>>9)
	}
	return p
}

func BenchmarkCFBEncrypt(b *testing.B) {
	s := newCFBEncrypter(benchKey(b), make([]byte, ivSize))
	buf := benchData(encChunkSize)
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		s.XORKeyStream(buf, buf)
	}
}

// BenchmarkCFBDecryptBlocks is one core's share of parallel decryption.
func BenchmarkCFBDecryptBlocks(b *testing.B) {
	k := benchKey(b)
	src, dst := benchData(decChunkBytes), make([]byte, decChunkBytes)
	var seed [blockSize]byte
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		cfbDecryptBlocks(k.block, roundKeys(k), &seed, dst, src)
	}
}

func BenchmarkBase64Encode(b *testing.B) {
	src := benchData(encChunkSize)
	dst := make([]byte, encodedChunkSize)
	b.Run("stdlib", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			b64.Encode(dst, src)
		}
	})
	b.Run("pairs", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			encodeBase64(dst, src)
		}
	})
}

// BenchmarkBase64Decode is one chunk of the Reader; "asm" is decodeBase64
// (the AVX2 assembly where the CPU has it, else encoding/base64 again).
func BenchmarkBase64Decode(b *testing.B) {
	text := []byte(b64.EncodeToString(benchData(decChunkBytes)))
	dst := make([]byte, decChunkBytes)
	for _, c := range []struct {
		name   string
		decode func(dst, src []byte) (int, error)
	}{{"stdlib", b64.Decode}, {"asm", decodeBase64}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(decChunkBytes)
			for b.Loop() {
				if _, err := c.decode(dst, text); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDropSpace is the scan of one-line base64 (the usual case) and of
// base64 wrapped at 76 columns, with the AVX2 assembly ("asm", where the
// CPU has it) and eight bytes at a time ("scalar").
func BenchmarkDropSpace(b *testing.B) {
	text := []byte(b64.EncodeToString(benchData(decChunkBytes)))
	var wrapped []byte
	for t := text; len(t) > 0; t = t[min(76, len(t)):] {
		wrapped = append(append(wrapped, t[:min(76, len(t))]...), '\n')
	}
	for _, c := range []struct {
		name string
		text []byte
	}{{"oneline", text}, {"wrapped", wrapped}} {
		for _, asm := range scanPaths() {
			name := c.name + "/scalar"
			if asm {
				name = c.name + "/asm"
			}
			b.Run(name, func(b *testing.B) {
				buf := make([]byte, len(c.text))
				b.SetBytes(int64(len(c.text)))
				for b.Loop() {
					copy(buf, c.text)
					dropSpaceWith(asm, buf)
				}
			})
		}
	}
}

func BenchmarkMD5(b *testing.B) {
	p := benchData(encChunkSize)
	h := md5.New()
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		h.Write(p)
	}
}

// BenchmarkCRCCheck is Encrypt's second-pass check of its input.
func BenchmarkCRCCheck(b *testing.B) {
	p := benchData(encChunkSize)
	var c crcCheck
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		c.write(p)
	}
}

// BenchmarkWriter is the whole encryption pipeline in memory (plaintext
// in, base64 out to io.Discard); throughput is plaintext bytes.
func BenchmarkWriter(b *testing.B) {
	k := benchKey(b)
	plain := benchData(benchSize)
	for _, v := range []Version{V1, V2} {
		b.Run(v.String(), func(b *testing.B) {
			sum := md5.Sum(plain)
			b.SetBytes(int64(len(plain)))
			for b.Loop() {
				if err := Encrypt(io.Discard, bytes.NewReader(plain), k, WriteOptions{Version: v, Checksum: sum[:]}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReader is the whole decryption pipeline in memory; throughput
// is plaintext bytes.
func BenchmarkReader(b *testing.B) {
	k := benchKey(b)
	plain := benchData(benchSize)
	for _, v := range []Version{V1, V2} {
		b.Run(v.String(), func(b *testing.B) {
			var enc bytes.Buffer
			if err := Encrypt(&enc, bytes.NewReader(plain), k, WriteOptions{Version: v}); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(plain)))
			for b.Loop() {
				r, err := NewReader(bytes.NewReader(enc.Bytes()), k)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := r.WriteTo(io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFiles adds the file system: Encrypt and decrypt file to file
// (page cache, no fsync), as the CLI does.
func BenchmarkFiles(b *testing.B) {
	k := benchKey(b)
	dir := b.TempDir()
	plainPath, encPath := filepath.Join(dir, "plain"), filepath.Join(dir, "enc")
	if err := os.WriteFile(plainPath, benchData(benchSize), 0o600); err != nil {
		b.Fatal(err)
	}
	for _, v := range []Version{V1, V2} {
		b.Run("encrypt/"+v.String(), func(b *testing.B) {
			b.SetBytes(benchSize)
			for b.Loop() {
				in, out := openPair(b, plainPath, encPath)
				if err := Encrypt(out, in, k, WriteOptions{Version: v}); err != nil {
					b.Fatal(err)
				}
				in.Close()
				out.Close()
			}
		})
		b.Run("decrypt/"+v.String(), func(b *testing.B) {
			in, out := openPair(b, plainPath, encPath)
			if err := Encrypt(out, in, k, WriteOptions{Version: v}); err != nil {
				b.Fatal(err)
			}
			in.Close()
			out.Close()
			b.SetBytes(benchSize)
			for b.Loop() {
				in, out := openPair(b, encPath, filepath.Join(dir, "dec"))
				r, err := NewReader(in, k)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(out, r); err != nil {
					b.Fatal(err)
				}
				in.Close()
				out.Close()
			}
		})
	}
}

func openPair(b *testing.B, in, out string) (*os.File, *os.File) {
	f, err := os.Open(in)
	if err != nil {
		b.Fatal(err)
	}
	g, err := os.Create(out)
	if err != nil {
		b.Fatal(err)
	}
	return f, g
}
