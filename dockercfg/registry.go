package dockercfg

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	configcredentials "github.com/docker/cli/cli/config/credentials"

	"github.com/shipseal/shipseal/diag"
)

// DockerHubKey is the key docker stores Docker Hub credentials under.
const DockerHubKey = "https://index.docker.io/v1/"

// Normalize returns what shipseal matches a registry by, to tell whether
// two keys name the same registry (DC017, Config.Lookup, HelperFor): the
// host name (and port) without scheme or path, lower-cased, and
// DockerHubKey for every name of Docker Hub (docker.io, index.docker.io,
// registry-1.docker.io, https://index.docker.io/v1/). Docker itself does
// not lower-case: it looks a key up as written (configfile.GetAuthConfig,
// case-sensitively), so a key that is written for docker to find is
// LoginKey's, not Normalize's.
func Normalize(registry string) string {
	host := strings.ToLower(hostOf(strings.TrimSpace(registry)))
	switch host {
	case "docker.io", "index.docker.io", "registry-1.docker.io":
		return DockerHubKey
	}
	return host
}

// LoginKey returns the key that docker login stores registry's credentials
// under, in a config.json or a credential helper: DockerHubKey for every
// name of Docker Hub (see Normalize), otherwise docker's
// credentials.ConvertToHostname, which keeps host and port as typed, letter
// case too, and drops a scheme and a path (https://registry.example.com/v2/
// is registry.example.com). docker pull looks credentials up under the host
// exactly as the image names it (configfile.GetAuthConfig), so
// Registry.Example.com's are found for Registry.Example.com/team/app, and a
// lower-cased key would not be. Every key that shipseal writes or asks a
// helper for, from a registry given by name, is LoginKey's.
func LoginKey(registry string) string {
	registry = strings.TrimSpace(registry)
	if Normalize(registry) == DockerHubKey {
		return DockerHubKey
	}
	return hostOf(registry)
}

// hostOf is docker's credentials.ConvertToHostname: it keeps host and port
// and drops the scheme and path.
func hostOf(s string) string { return configcredentials.ConvertToHostname(s) }

// userinfo finds a user name, and maybe a password, written in a registry
// key or URL before its host ("https://robot:s3cret@registry.example.com",
// or the same without the scheme), as net/url reads them: the part of the
// authority (what follows the scheme, up to the first /) before its last
// @; or, when the authority has no @, a password with a / in it. It
// returns the offsets of that part, key[from:at], or at = -1 when the key
// has none. Within it, the password is what follows the first colon.
func userinfo(key string) (from, at int) {
	if i := strings.Index(key, "://"); i >= 0 && !strings.Contains(key[:i], "/") {
		from = i + len("://")
	}
	rest := key[from:]
	authority := rest
	slash := strings.IndexByte(rest, '/')
	if slash >= 0 {
		authority = rest[:slash]
	}
	if at = strings.LastIndexByte(authority, '@'); at >= 0 {
		return from, from + at
	}
	// A password pasted with a / in it (unescaped) ends the authority
	// early for net/url, and docker never matches the key; it is still a
	// password to hide. (So is a port followed by a path with an @ in
	// it, "registry.example.com:5000/team@x", which no registry key
	// has: hiding it is the safe mistake.)
	if slash < 0 || strings.IndexByte(authority, ':') < 0 {
		return from, -1
	}
	if at = strings.LastIndexByte(rest, '@'); at < 0 {
		return from, -1
	}
	return from, from + at
}

// passwordIn returns the offsets of the password written in key before its
// host, key[start:end], and whether there is one (see userinfo).
func passwordIn(key string) (start, end int, ok bool) {
	from, at := userinfo(key)
	if at < 0 {
		return 0, 0, false
	}
	colon := strings.IndexByte(key[from:at], ':')
	if colon < 0 || from+colon+1 == at {
		return 0, 0, false
	}
	return from + colon + 1, at, true
}

// RedactRegistry returns registry, a registry key or URL, as it may be
// shown: with the password of a user name and password written in it
// ("https://robot:s3cret@registry.example.com") replaced by ****
// ("https://robot:****@registry.example.com"). Every message that quotes a
// registry shows it through RedactRegistry.
func RedactRegistry(registry string) string {
	start, end, ok := passwordIn(registry)
	if !ok {
		return registry
	}
	return registry[:start] + diag.Mask + registry[end:]
}

// RedactKey returns key, what docker matches registry by (Normalize, or
// docker's ConvertToHostname), as it may be shown. A key normally drops
// the user name and password written in registry, but not when net/url
// cannot read the URL (a / in the password) or it has no scheme: the key
// then holds all of the password, or what comes before its /, and shows
// as RedactRegistry does, or with all after its first colon ****.
func RedactKey(registry, key string) string {
	if _, _, ok := passwordIn(registry); !ok || strings.EqualFold(key, Normalize(withoutUserinfo(registry))) {
		return key
	}
	if redacted := RedactRegistry(key); redacted != key {
		return redacted
	}
	if colon := strings.IndexByte(key, ':'); colon >= 0 {
		return key[:colon+1] + diag.Mask
	}
	return diag.Mask
}

// userinfoWhat says what key holds before its host: "a user name and
// password" or "a user name".
func userinfoWhat(key string) string {
	from, at := userinfo(key)
	if strings.Contains(key[from:at], ":") {
		return "a user name and password"
	}
	return "a user name"
}

// withoutUserinfo returns key without the user name and password written
// before its host, if any.
func withoutUserinfo(key string) string {
	from, at := userinfo(key)
	if at < 0 {
		return key
	}
	return key[:from] + key[at+1:]
}

// registryKeyProblem says why key cannot name a registry, or returns "".
// A key is an optional http:// or https:// scheme, a host name or IP
// address, an optional port, and an optional path.
func registryKeyProblem(key string) string {
	if key == "" {
		return "it is empty"
	}
	if _, at := userinfo(key); at >= 0 {
		return "it holds " + userinfoWhat(key)
	}
	if strings.TrimSpace(key) != key || strings.ContainsAny(key, " \t\r\n") {
		return "it contains white space"
	}
	rest := key
	if scheme, after, ok := strings.Cut(key, "://"); ok {
		if scheme != "http" && scheme != "https" {
			return "its scheme " + strconv.Quote(scheme) + " is not http or https"
		}
		rest = after
	}
	hostport, _, _ := strings.Cut(rest, "/")
	if hostport == "" {
		return "it has no host name"
	}
	host, port := hostport, ""
	if strings.HasPrefix(hostport, "[") {
		end := strings.Index(hostport, "]")
		if end < 0 || net.ParseIP(hostport[1:end]) == nil {
			return "its IPv6 address is not valid"
		}
		host, port = hostport[1:end], strings.TrimPrefix(hostport[end+1:], ":")
		if port == "" && end+1 < len(hostport) {
			return "its port is empty"
		}
	} else if h, p, ok := strings.Cut(hostport, ":"); ok {
		host, port = h, p
		if port == "" {
			return "its port is empty"
		}
	}
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return "its port " + strconv.Quote(port) + " is not a number from 1 to 65535"
		}
	}
	if host != "" && host[0] >= '0' && host[0] <= '9' || strings.Contains(host, ":") {
		if net.ParseIP(host) != nil {
			return ""
		}
	}
	for rest := host; ; {
		label, after, more := strings.Cut(rest, ".")
		if label == "" || len(label) > 63 {
			return "host name " + strconv.Quote(host) + " has an empty or too long label"
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
				c == '-' && i > 0 && i < len(label)-1 || c == '_'
			if !ok {
				return "host name " + strconv.Quote(host) + " holds " + strconv.Quote(label[i:i+1])
			}
		}
		if !more {
			return ""
		}
		rest = after
	}
}

// CheckRegistry returns an error when registry cannot name a registry: it
// must be a host name or IP address with an optional port, scheme (http or
// https) and path.
func CheckRegistry(registry string) error {
	if problem := registryKeyProblem(registry); problem != "" {
		return fmt.Errorf("registry %q is not a host name or URL: %s", RedactRegistry(registry), problem)
	}
	return nil
}
