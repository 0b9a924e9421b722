package dockercfg

import (
	"bytes"
	"encoding/base64"
	"errors"
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
	user, pass, err := splitAuth(decoded)
	return string(user), string(pass), err
}

// splitAuth is DecodeAuth after the base64: user and password are slices
// of decoded.
func splitAuth(decoded []byte) (user, password []byte, err error) {
	user, password, ok := bytes.Cut(decoded, []byte{':'})
	if !ok {
		return nil, nil, ErrAuthNoColon
	}
	password = bytes.Trim(password, "\x00")
	if len(user) == 0 {
		return nil, nil, ErrAuthEmptyUser
	}
	if len(password) == 0 {
		return user, nil, ErrAuthEmptyPassword
	}
	return user, password, nil
}
