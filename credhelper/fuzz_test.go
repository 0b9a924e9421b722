package credhelper

import (
	"bytes"
	"testing"

	"github.com/shipseal/shipseal/dockercfg"
)

// FuzzEdit stores into and erases from any store that parses, laid out in
// any way, and checks the promises: the result parses, in the same format;
// the registry is there (store) or gone (erase); and every other
// registry's member text is still in the file, byte for byte.
func FuzzEdit(f *testing.F) {
	for _, s := range []string{
		"",
		"{}",
		"{\n\t\"auths\": {\n\t\t\"a.example.com\": {\n\t\t\t\"auth\": \"" + authA + "\"\n\t\t}\n\t}\n}\n",
		`{"auths":{"a.example.com":{"auth":"` + authA + `"},"b.example.com":{"auth":"` + authB + `"}},"psFormat":"x"}`,
		"{\n  \"a.example.com\": {\"auth\": \"" + authA + "\", \"email\": \"a@example.com\"}\n}",
		"{\"credHelpers\": {\"gcr.io\": \"gcloud\"}}",
		"{\"auths\": null, \"credsStore\": \"shipseal\"}",
		"{ \"auths\" : { \"https://index.docker.io/v1/\" : { \"username\" : \"u\" , \"password\" : \"p\" } } }",
	} {
		f.Add(s, "a.example.com", false)
		f.Add(s, "docker.io", true)
		f.Add(s, "new.example.com:5000", false)
	}
	entry := []byte(`{"auth":"` + authN + `"}`)
	f.Fuzz(func(t *testing.T, plain, registry string, erase bool) {
		before, err := parse([]byte(plain), testKey)
		if err != nil || dockercfg.CheckRegistry(registry) != nil {
			return
		}
		c := &contents{exists: plain != "", plain: []byte(plain), cfg: before}
		key := dockercfg.Normalize(registry)
		var kept [][]byte
		if _, regs, err := registries(c.plain, before.Format); err == nil && regs != nil {
			for _, m := range regs.members {
				if dockercfg.Normalize(m.key) != key {
					kept = append(kept, c.plain[m.start:m.valEnd])
				}
			}
		}
		var got []byte
		if erase {
			if before.Lookup(registry) == nil {
				return
			}
			got, err = deleteEntries(c, registry)
		} else {
			got, err = setEntry(c, registry, entry)
		}
		if err != nil {
			t.Fatalf("edit: %v", err)
		}
		after, err := parse(got, testKey)
		if err != nil {
			t.Fatalf("result does not parse: %v\n%s", err, got)
		}
		if len(before.Auths) > 0 && len(after.Auths) > 0 && after.Format != before.Format {
			t.Errorf("format changed from %v to %v", before.Format, after.Format)
		}
		e := after.Lookup(registry)
		switch {
		case erase && e != nil:
			t.Errorf("%s is still there:\n%s", registry, got)
		case !erase && (e == nil || e.Auth != authN):
			t.Errorf("%s does not hold what was stored:\n%s", registry, got)
		}
		if !sameOthers(before, after, registry) {
			t.Errorf("other registries changed:\n%s\n->\n%s", plain, got)
		}
		for _, k := range kept {
			if !bytes.Contains(got, k) {
				t.Errorf("member %s was rewritten:\n%s", k, got)
			}
		}
	})
}
