package crypto_test

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"os"
	"strings"

	"github.com/shipseal/shipseal/crypto"
)

// Encrypt and decrypt a v2 file. The key and IV are fixed so that the
// output is reproducible (it was checked with openssl and md5sum, as
// docs/format.md shows); real code parses codeship.aes and lets the IV come
// from crypto/rand.
func Example() {
	key, err := crypto.ParseKey([]byte("2bUT6mLvQxGmGEbDMy00LnxDMD0mgaWiDkqV8vUrJJo=\n"))
	if err != nil {
		log.Fatal(err)
	}
	plain := strings.NewReader("DB_PASSWORD=hunter2\n")
	var file bytes.Buffer
	iv := bytes.NewReader([]byte("0123456789abcdef"))
	if err := crypto.Encrypt(&file, plain, key, crypto.WriteOptions{Rand: iv}); err != nil {
		log.Fatal(err)
	}
	fmt.Println(file.String())

	r, err := crypto.NewReader(&file, key)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := io.Copy(os.Stdout, r); err != nil {
		log.Fatal(err) // for v2, a checksum mismatch shows here
	}
	// Output:
	// codeship:v2
	// MDEyMzQ1Njc4OWFiY2RlZvNiRamHNP5QukAadOWVKES8S0PUUtx185lXGqJm8zPQ+6duiaNtK+z+B9gjpJFd7JJyNkg=
	// DB_PASSWORD=hunter2
}

func ExampleParseKey() {
	_, err := crypto.ParseKey([]byte("c2hvcnRrZXlzaG9ydGtleQ==\n"))
	fmt.Println(err)
	key, _ := crypto.ParseKey([]byte("2bUT6mLvQxGmGEbDMy00LnxDMD0mgaWiDkqV8vUrJJo=\r\n"))
	fmt.Println(key) // the fingerprint, never the key
	// Output:
	// invalid key: the key decodes to 16 bytes, want 32
	// key 11e19ae3
}

func ExampleNewReader_wrongKey() {
	right, _ := crypto.ParseKey([]byte("2bUT6mLvQxGmGEbDMy00LnxDMD0mgaWiDkqV8vUrJJo="))
	wrong, _ := crypto.ParseKey([]byte("bH6Yh1ZtmKPJbm4ygl5DoxAZWBnQjS1XLbD0HpwW0RI="))
	var file bytes.Buffer
	crypto.Encrypt(&file, strings.NewReader("secret"), right, crypto.WriteOptions{})
	_, err := crypto.NewReader(&file, wrong)
	fmt.Println(err)
	// Output:
	// the key does not decrypt this file (key d4ace834): it was encrypted with another key
}

func ExampleNewWriter() {
	key, _ := crypto.ParseKey([]byte("2bUT6mLvQxGmGEbDMy00LnxDMD0mgaWiDkqV8vUrJJo="))
	// v1 streams: no checksum is needed up front.
	w, err := crypto.NewWriter(os.Stdout, key, crypto.WriteOptions{Version: crypto.V1, Rand: bytes.NewReader(make([]byte, 16))})
	if err != nil {
		log.Fatal(err)
	}
	io.WriteString(w, "a stream ")
	io.WriteString(w, "of writes")
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Println()
	// Output:
	// AAAAAAAAAAAAAAAAAAAAAC3TsWqgF+JqIWdNyV+14ezonQ==
}
