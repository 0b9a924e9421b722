package registrytest_test

import (
	"net/http"
	"testing"

	"github.com/shipseal/shipseal/internal/registrytest"
)

func TestStartAuthenticates(t *testing.T) {
	r := registrytest.Start(t, "robot", "s3cret-pass")
	for _, c := range []struct {
		user, password string
		want           int
	}{
		{"", "", http.StatusUnauthorized},
		{"robot", "s3cret-pass", http.StatusOK},
		{"robot", "wrong", http.StatusUnauthorized},
		{"other", "s3cret-pass", http.StatusUnauthorized},
	} {
		got, err := r.Ping(c.user, c.password)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("GET /v2/ as %q: status %d, want %d", c.user, got, c.want)
		}
	}
}

func TestTwoRegistriesAtOnce(t *testing.T) {
	a := registrytest.Start(t, "a", "pa")
	b := registrytest.Start(t, "b", "pb")
	if a.Host == b.Host {
		t.Fatalf("both registries on %s", a.Host)
	}
	if code, _ := b.Ping("a", "pa"); code != http.StatusUnauthorized {
		t.Errorf("registry b accepted a's credentials: %d", code)
	}
}
