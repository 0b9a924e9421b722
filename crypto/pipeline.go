package crypto

import (
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"runtime"
	"sync"
)

// b64 is the only encoding of both formats.
var b64 = base64.StdEncoding

// pipelineDepth is how many chunks a Reader or Writer keeps in flight:
// two per core keeps every core busy while one chunk waits for I/O, and
// bounds memory at a few MiB whatever the file size.
func pipelineDepth() int {
	return min(max(2*runtime.GOMAXPROCS(0), 2), 8)
}

// dropSpace removes ASCII whitespace from b in place and returns the new
// length. Base64 files are usually one line, so it looks for bytes at or
// below ' ' (64 at a time with AVX2, else eight) and only copies around the
// ones it finds.
func dropSpace(b []byte) int {
	return dropSpaceWith(useScanAsm(), b)
}

// dropSpaceWith is dropSpace with or without the assembly, so that tests
// can check both. The assembly skips whole 64-byte steps with no byte ≤
// ' '; the word loop, then the byte loop, find the first such byte
// within or after them, and only isSpace decides what is dropped (other
// control bytes are kept, for the base64 decoder to refuse).
func dropSpaceWith(asm bool, b []byte) int {
	w, i, n := 0, 0, len(b)
	for i < n {
		j := i
		if asm && n-j >= 64 {
			j += scanNoSpaceAVX2(b[j:])
		}
		for j+8 <= n && !anyAtMostSpace(binary.LittleEndian.Uint64(b[j:])) {
			j += 8
		}
		for j < n && !isSpace(b[j]) {
			j++
		}
		if w != i {
			copy(b[w:], b[i:j])
		}
		w += j - i
		for j < n && isSpace(b[j]) {
			j++
		}
		i = j
	}
	return w
}

// anyAtMostSpace reports whether one of the eight bytes of x is ≤ 0x20,
// the range of every ASCII whitespace character.
func anyAtMostSpace(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	return (x-0x21*ones)&^x&highs != 0
}

// crcCheck is Encrypt's check that its input did not change between the
// pass that computed the MD5 and the pass that encrypts: two CRC-32s (64
// bits) over the plaintext, which cost a fortieth of an MD5.
type crcCheck struct {
	c, ieee uint32
	want    uint64
}

// castagnoli is made on first use: building it costs more than the rest of
// the package's start-up, and most runs never encrypt.
var castagnoli = sync.OnceValue(func() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) })

func (c *crcCheck) write(p []byte) {
	c.c = crc32.Update(c.c, castagnoli(), p)
	c.ieee = crc32.Update(c.ieee, crc32.IEEETable, p)
}

func (c *crcCheck) sum() uint64 { return uint64(c.c)<<32 | uint64(c.ieee) }
func (c *crcCheck) ok() bool    { return c.sum() == c.want }
