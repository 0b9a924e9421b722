//go:build man

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// make test runs this with -tags man, the build make man uses.
func TestManPages(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "man")
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	var stdout, stderr bytes.Buffer
	if code := execute([]string{"man", dir}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("shipseal man %s: exit %d\n%s", dir, code, stderr.String())
	}
	for _, page := range []string{"shipseal.1", "shipseal-edit.1", "shipseal-rekey.1", "shipseal-git-setup.1"} {
		if _, err := os.Stat(filepath.Join(dir, page)); err != nil {
			t.Errorf("no page %s: %v", page, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "shipseal-man.1")); err == nil {
		t.Error("the hidden man command has a page of its own")
	}
	// The date is SOURCE_DATE_EPOCH's, so the pages are reproducible.
	if page := readPage(t, dir, "shipseal.1"); !strings.Contains(page, "Nov 2023") {
		t.Errorf("shipseal.1 is not dated Nov 2023 (SOURCE_DATE_EPOCH):\n%s", page)
	}
	if page := readPage(t, dir, "shipseal-encrypt.1"); !strings.Contains(page, "jet") {
		t.Errorf("shipseal-encrypt.1 does not have encrypt's help:\n%s", page)
	}

	if code := execute([]string{"man"}, nil, &stdout, &stderr); code != exitUsage {
		t.Errorf("shipseal man without DIR: exit %d, want %d", code, exitUsage)
	}
	t.Setenv("SOURCE_DATE_EPOCH", "yesterday")
	if code := execute([]string{"man", dir}, nil, &stdout, &stderr); code != exitUsage {
		t.Errorf("shipseal man with SOURCE_DATE_EPOCH=yesterday: exit %d, want %d", code, exitUsage)
	}
}

func readPage(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
