package dockercfg

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// DockerHubKey is the key docker stores Docker Hub credentials under.
const DockerHubKey = "https://index.docker.io/v1/"

// Normalize returns the key that docker matches a registry by: the host
// name (and port) without scheme or path, lower-cased, and DockerHubKey for
// every name of Docker Hub (docker.io, index.docker.io,
// registry-1.docker.io, https://index.docker.io/v1/).
func Normalize(registry string) string {
	host := strings.ToLower(hostOf(strings.TrimSpace(registry)))
	switch host {
	case "docker.io", "index.docker.io", "registry-1.docker.io":
		return DockerHubKey
	}
	return host
}

// hostOf is docker's credentials.ConvertToHostname: it keeps host and port
// and drops the scheme and path.
func hostOf(s string) string {
	if strings.Contains(s, "://") {
		if u, err := url.Parse(s); err == nil && u.Hostname() != "" {
			if u.Port() == "" {
				return u.Hostname()
			}
			return net.JoinHostPort(u.Hostname(), u.Port())
		}
		_, s, _ = strings.Cut(s, "://")
	}
	host, _, _ := strings.Cut(s, "/")
	return host
}

// registryKeyProblem says why key cannot name a registry, or returns "".
// A key is an optional http:// or https:// scheme, a host name or IP
// address, an optional port, and an optional path.
func registryKeyProblem(key string) string {
	if key == "" {
		return "it is empty"
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
		return fmt.Errorf("registry %q is not a host name or URL: %s", registry, problem)
	}
	return nil
}
