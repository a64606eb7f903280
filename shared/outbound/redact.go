package outbound

import (
	"net/url"
	"slices"
	"strings"
)

// redacted stands in for secrets removed from a message.
const redacted = "[redacted]"

// redact removes the parts of a target URL that may carry secrets (userinfo,
// path, query, fragment) from a message. Messages are built from typed
// fields that should not hold them in the first place; this is the second
// line, for text that comes from libraries or from the receiver.
func redact(msg, rawURL string) string {
	if msg == "" {
		return msg
	}

	for _, secret := range secretsOf(rawURL) {
		msg = strings.ReplaceAll(msg, secret, redacted)
	}

	return msg
}

// secretsOf lists the secret-bearing parts of a URL, longest first so that
// a part is not left half-replaced by a shorter one inside it.
func secretsOf(rawURL string) []string {
	secrets := []string{rawURL}

	u, err := url.Parse(rawURL)
	if err != nil {
		return secrets
	}

	if u.User != nil {
		password, _ := u.User.Password()
		secrets = append(secrets, u.User.String(), u.User.Username(), password)
	}

	if len(u.Path) > 1 {
		secrets = append(secrets, u.EscapedPath(), u.Path)
	}

	secrets = append(secrets, u.RawQuery, u.Fragment)
	for _, values := range u.Query() {
		secrets = append(secrets, values...)
	}

	return longestFirst(secrets)
}

// minSecret is the shortest part worth redacting: replacing every "1" or
// "id" in a message would make it unreadable and protect nothing.
const minSecret = 4

// longestFirst drops parts too short to redact and sorts the rest by
// length, longest first.
func longestFirst(parts []string) []string {
	kept := parts[:0]
	for _, p := range parts {
		if len(p) >= minSecret {
			kept = append(kept, p)
		}
	}

	slices.SortFunc(kept, func(a, b string) int { return len(b) - len(a) })

	return kept
}
