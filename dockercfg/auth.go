package dockercfg

import (
	"encoding/base64"
	"errors"
	"strings"
)

// Errors that DecodeAuth wraps.
var (
	ErrAuthNotBase64     = errors.New("auth is not base64")
	ErrAuthNoColon       = errors.New("auth does not decode to user:password")
	ErrAuthEmptyUser     = errors.New("auth has an empty user name")
	ErrAuthEmptyPassword = errors.New("auth has an empty password")
)

// EncodeAuth returns the value of an entry's "auth" field for a user name
// and password: base64 of "user:password", as docker login writes it.
func EncodeAuth(username, password string) string {
	return base64.StdEncoding.EncodeToString([]byte(username + ":" + password))
}

// DecodeAuth splits an "auth" value into user name and password. Like
// docker, it cuts at the first colon (user names cannot hold one, passwords
// can) and drops NUL bytes around the password. Unlike docker, it rejects
// an empty password: no registry accepts one, so it is always a mistake.
func DecodeAuth(auth string) (username, password string, err error) {
	decoded, err := base64.StdEncoding.DecodeString(auth)
	if err != nil {
		return "", "", ErrAuthNotBase64
	}
	username, password, ok := strings.Cut(string(decoded), ":")
	if !ok {
		return "", "", ErrAuthNoColon
	}
	password = strings.Trim(password, "\x00")
	if username == "" {
		return "", "", ErrAuthEmptyUser
	}
	if password == "" {
		return username, "", ErrAuthEmptyPassword
	}
	return username, password, nil
}
