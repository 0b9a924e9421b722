package generator_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/generator"
	"github.com/shipseal/shipseal/projectkey"
)

// The whole run for the image's usual case: decrypt a baked-in file, check
// it, write it atomically.
func BenchmarkGenerateFromEncryptedFile(b *testing.B) {
	key, keyText := testKey(b)
	dir := b.TempDir()
	enc := filepath.Join(dir, "dockercfg.encrypted")
	encryptFile(b, enc, []byte(bigAuthConfig(10, "password")), key, crypto.V2)
	vars := env{generator.EnvDockercfg: enc, projectkey.EnvKey: keyText}
	g := &generator.Generator{Getenv: vars.get}
	out := filepath.Join(dir, "dockercfg")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := g.Generate(context.Background(), out); err != nil {
			b.Fatal(err)
		}
	}
}

// A cache hit: lock, read and check the entry, write.
func BenchmarkGenerateCacheHit(b *testing.B) {
	vars := env{generator.EnvAuthConfig: bigAuthConfig(10, "password")}
	dir := b.TempDir()
	g := &generator.Generator{Getenv: vars.get, CacheDir: filepath.Join(dir, "cache"), DefaultFile: filepath.Join(dir, "none")}
	out := filepath.Join(dir, "dockercfg")
	if _, err := g.Generate(context.Background(), out); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := g.Generate(context.Background(), out)
		if err != nil || !res.Cached {
			b.Fatal(err)
		}
	}
}
