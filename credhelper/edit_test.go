package credhelper

import (
	"crypto/rand"
	"testing"

	"github.com/shipseal/shipseal/crypto"
	"github.com/shipseal/shipseal/dockercfg"
)

var testKey, _ = crypto.GenerateKey(rand.Reader)

// The edits on their own, on stores laid out in every way people and tools
// write them. Each case is the whole decrypted store before and after, so
// that what stays byte-identical is visible.

const (
	authA = "YWxpY2U6cHctYQ==" // alice:pw-a
	authB = "Ym9iOnB3LWI="     // bob:pw-b
	authN = "bmV3Om5ldy1wdw==" // new:new-pw
)

func TestSetEntry(t *testing.T) {
	entry := []byte(`{"auth":"` + authN + `"}`)
	for _, c := range []struct {
		name, registry, in, want string
	}{
		{
			name:     "docker layout, new registry",
			registry: "new.example.com",
			in:       "{\n\t\"auths\": {\n\t\t\"a.example.com\": {\n\t\t\t\"auth\": \"" + authA + "\"\n\t\t}\n\t},\n\t\"psFormat\": \"table\"\n}\n",
			want: "{\n\t\"auths\": {\n\t\t\"a.example.com\": {\n\t\t\t\"auth\": \"" + authA + "\"\n\t\t},\n" +
				"\t\t\"new.example.com\": {\n\t\t\t\"auth\": \"" + authN + "\"\n\t\t}\n\t},\n\t\"psFormat\": \"table\"\n}\n",
		},
		{
			name:     "two-space layout, replaced in place, serveraddress and order of the others kept",
			registry: "https://A.example.com/v2/",
			in: "{\n  \"auths\": {\n    \"b.example.com\": {\n      \"auth\": \"" + authB + "\",\n      \"serveraddress\": \"b.example.com\"\n    },\n" +
				"    \"a.example.com\": {\n      \"username\": \"alice\",\n      \"password\": \"pw-a\"\n    }\n  }\n}",
			want: "{\n  \"auths\": {\n    \"b.example.com\": {\n      \"auth\": \"" + authB + "\",\n      \"serveraddress\": \"b.example.com\"\n    },\n" +
				"    \"a.example.com\": {\n      \"auth\": \"" + authN + "\"\n    }\n  }\n}",
		},
		{
			name:     "compact one line",
			registry: "new.example.com",
			in:       `{"auths":{"a.example.com":{"auth":"` + authA + `"}},"credHelpers":{"gcr.io":"gcloud"}}`,
			want:     `{"auths":{"a.example.com":{"auth":"` + authA + `"},"new.example.com":{"auth":"` + authN + `"}},"credHelpers":{"gcr.io":"gcloud"}}`,
		},
		{
			name:     "one line with spaces after colons",
			registry: "new.example.com",
			in:       `{"a.example.com": {"auth": "` + authA + `"}}`,
			want:     `{"a.example.com": {"auth": "` + authA + `"}, "new.example.com": {"auth":"` + authN + `"}}`,
		},
		{
			name:     "one line, separators copied from the last two",
			registry: "new.example.com",
			in:       `{ "auths": { "a.example.com": { "auth": "` + authA + `" } ,  "b.example.com": { "auth": "` + authB + `" } } }`,
			want: `{ "auths": { "a.example.com": { "auth": "` + authA + `" } ,  "b.example.com": { "auth": "` + authB + `" } ,  ` +
				`"new.example.com": {"auth":"` + authN + `"} } }`,
		},
		{
			name:     "entries on one line each inside an indented object",
			registry: "new.example.com",
			in:       "{\n    \"auths\": {\n        \"a.example.com\": { \"auth\": \"" + authA + "\" }\n    }\n}\n",
			want:     "{\n    \"auths\": {\n        \"a.example.com\": { \"auth\": \"" + authA + "\" },\n        \"new.example.com\": {\"auth\":\"" + authN + "\"}\n    }\n}\n",
		},
		{
			name:     "legacy .dockercfg",
			registry: "new.example.com",
			in:       "{\n  \"a.example.com\": {\n    \"auth\": \"" + authA + "\",\n    \"email\": \"a@example.com\"\n  }\n}\n",
			want: "{\n  \"a.example.com\": {\n    \"auth\": \"" + authA + "\",\n    \"email\": \"a@example.com\"\n  },\n" +
				"  \"new.example.com\": {\n    \"auth\": \"" + authN + "\"\n  }\n}\n",
		},
		{
			name:     "empty auths",
			registry: "new.example.com",
			in:       "{\n\t\"auths\": {},\n\t\"credsStore\": \"shipseal\"\n}\n",
			want:     "{\n\t\"auths\": {\n\t\t\"new.example.com\": {\n\t\t\t\"auth\": \"" + authN + "\"\n\t\t}\n\t},\n\t\"credsStore\": \"shipseal\"\n}\n",
		},
		{
			name:     "no auths at all",
			registry: "new.example.com",
			in:       "{\n  \"credHelpers\": {\n    \"gcr.io\": \"gcloud\"\n  }\n}\n",
			want: "{\n  \"credHelpers\": {\n    \"gcr.io\": \"gcloud\"\n  },\n  \"auths\": {\n    \"new.example.com\": {\n" +
				"      \"auth\": \"" + authN + "\"\n    }\n  }\n}\n",
		},
		{
			name:     "auths null",
			registry: "new.example.com",
			in:       "{\"auths\": null, \"credsStore\": \"shipseal\"}",
			want:     "{\"auths\": {\"new.example.com\":{\"auth\":\"" + authN + "\"}}, \"credsStore\": \"shipseal\"}",
		},
		{
			name:     "new store",
			registry: "new.example.com",
			in:       "",
			want:     "{\n\t\"auths\": {\n\t\t\"new.example.com\": {\n\t\t\t\"auth\": \"" + authN + "\"\n\t\t}\n\t}\n}\n",
		},
		{
			name:     "an emptied legacy file",
			registry: "new.example.com",
			in:       "{}\n",
			want:     "{\n\t\"auths\": {\n\t\t\"new.example.com\": {\n\t\t\t\"auth\": \"" + authN + "\"\n\t\t}\n\t}\n}\n",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			ct := contentsOf(t, c.in)
			got, err := setEntry(ct, c.registry, entry)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != c.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, c.want)
			}
			if _, err := parse(got, testKey); err != nil {
				t.Errorf("the result does not parse: %v", err)
			}
		})
	}
}

func TestDeleteEntries(t *testing.T) {
	for _, c := range []struct {
		name, registry, in, want string
	}{
		{
			name:     "first of two, docker layout",
			registry: "a.example.com",
			in:       "{\n\t\"auths\": {\n\t\t\"a.example.com\": {\n\t\t\t\"auth\": \"" + authA + "\"\n\t\t},\n\t\t\"b.example.com\": {\n\t\t\t\"auth\": \"" + authB + "\"\n\t\t}\n\t}\n}\n",
			want:     "{\n\t\"auths\": {\n\t\t\"b.example.com\": {\n\t\t\t\"auth\": \"" + authB + "\"\n\t\t}\n\t}\n}\n",
		},
		{
			name:     "last of two, matched by another spelling",
			registry: "https://B.EXAMPLE.COM/v1/",
			in:       "{\n\t\"auths\": {\n\t\t\"a.example.com\": {\n\t\t\t\"auth\": \"" + authA + "\"\n\t\t},\n\t\t\"b.example.com\": {\n\t\t\t\"auth\": \"" + authB + "\"\n\t\t}\n\t}\n}\n",
			want:     "{\n\t\"auths\": {\n\t\t\"a.example.com\": {\n\t\t\t\"auth\": \"" + authA + "\"\n\t\t}\n\t}\n}\n",
		},
		{
			name:     "the only one",
			registry: "a.example.com",
			in:       "{\n\t\"auths\": {\n\t\t\"a.example.com\": {\n\t\t\t\"auth\": \"" + authA + "\"\n\t\t}\n\t},\n\t\"psFormat\": \"table\"\n}\n",
			want:     "{\n\t\"auths\": {},\n\t\"psFormat\": \"table\"\n}\n",
		},
		{
			name:     "middle of three, compact",
			registry: "b.example.com",
			in:       `{"a.example.com":{"auth":"` + authA + `"},"b.example.com":{"auth":"` + authB + `"},"c.example.com":{"auth":"` + authN + `"}}`,
			want:     `{"a.example.com":{"auth":"` + authA + `"},"c.example.com":{"auth":"` + authN + `"}}`,
		},
		{
			name:     "docker hub by its short name",
			registry: "docker.io",
			in:       "{\"auths\": {\"https://index.docker.io/v1/\": {\"auth\": \"" + authA + "\"}, \"b.example.com\": {\"auth\": \"" + authB + "\"}}}",
			want:     "{\"auths\": {\"b.example.com\": {\"auth\": \"" + authB + "\"}}}",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := deleteEntries(contentsOf(t, c.in), c.registry)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != c.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, c.want)
			}
			cfg, err := parse(got, testKey)
			if err != nil {
				t.Fatalf("the result does not parse: %v", err)
			}
			if cfg.Lookup(c.registry) != nil {
				t.Errorf("%s is still there", c.registry)
			}
		})
	}
}

// contentsOf is a store holding plain, as read would return it.
func contentsOf(t *testing.T, plain string) *contents {
	t.Helper()
	c := &contents{exists: plain != "", plain: []byte(plain), cfg: &dockercfg.Config{Format: dockercfg.FormatConfigJSON}}
	if plain != "" {
		cfg, err := parse([]byte(plain), testKey)
		if err != nil {
			t.Fatalf("test store does not parse: %v", err)
		}
		c.cfg = cfg
	}
	return c
}
