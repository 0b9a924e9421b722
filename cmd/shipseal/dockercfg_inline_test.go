package main

import (
	"encoding/base64"
	"testing"
	"time"
)

func TestJWTExpiry(t *testing.T) {
	b64 := base64.RawURLEncoding.EncodeToString
	header := b64([]byte(`{"alg":"RS256","typ":"JWT"}`))
	for _, c := range []struct {
		name, token string
		want        int64 // 0: not an expiring token
	}{
		{"exp", header + "." + b64([]byte(`{"exp":1700000000,"sub":"x"}`)) + ".sig", 1700000000},
		{"padded", header + "==." + base64.URLEncoding.EncodeToString([]byte(`{"exp":1700000000.5}`)) + ".sig", 1700000000},
		{"no exp", header + "." + b64([]byte(`{"sub":"x"}`)) + ".sig", 0},
		{"no alg", b64([]byte(`{"typ":"JWT"}`)) + "." + b64([]byte(`{"exp":1700000000}`)) + ".sig", 0},
		{"two parts", header + "." + b64([]byte(`{"exp":1700000000}`)), 0},
		{"not base64", "ghp_abc.def.ghi", 0},
		{"empty", "", 0},
	} {
		got, ok := jwtExpiry(c.token)
		switch {
		case c.want == 0 && ok:
			t.Errorf("%s: jwtExpiry = %v, want no expiry", c.name, got)
		case c.want != 0 && (!ok || !got.Equal(time.Unix(c.want, 0))):
			t.Errorf("%s: jwtExpiry = %v, %v, want %v", c.name, got, ok, time.Unix(c.want, 0))
		}
	}
}
