package guard_test

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/chis-dev/chis/shared/guard"
)

// devAllowList is what local development passes: loopback only.
var devAllowList = []netip.Prefix{
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("::1/128"),
}

// TestCheckURLRefuses covers every P07 and P08 form, plus the IPv6 ways of
// embedding a private IPv4 address and the parse-level failures.
func TestCheckURLRefuses(t *testing.T) {
	t.Parallel()

	tests := []struct {
		url  string
		want error
	}{
		// P07, in the order the case lists them.
		{"http://127.0.0.1/", guard.ErrBlockedAddress},
		{"http://127.1/", guard.ErrAmbiguousHost},
		{"http://0.0.0.0:6379/", guard.ErrBlockedAddress},
		{"http://[::]/", guard.ErrBlockedAddress},
		{"http://[::1]/", guard.ErrBlockedAddress},
		{"http://169.254.169.254/latest/meta-data/", guard.ErrBlockedAddress},
		{"http://[fd00:ec2::254]/", guard.ErrBlockedAddress},
		{"http://2130706433/", guard.ErrAmbiguousHost},
		{"http://0x7f000001/", guard.ErrAmbiguousHost},
		{"http://0177.0.0.1/", guard.ErrAmbiguousHost},
		{"http://[::ffff:127.0.0.1]/", guard.ErrBlockedAddress},
		{"http://100.64.0.1/", guard.ErrBlockedAddress},
		{"http://10.0.0.5/", guard.ErrBlockedAddress},
		{"http://192.168.1.1/", guard.ErrBlockedAddress},
		{"http://localhost./", guard.ErrBlockedAddress},
		{"http://example.com@127.0.0.1/", guard.ErrBlockedAddress},
		{"file:///etc/passwd", guard.ErrScheme},
		{"gopher://127.0.0.1:6379/_x", guard.ErrScheme},

		// P08: the documentation range parses and is then refused, as the
		// ssrf registry tables do; a zoned link-local address is refused.
		{"http://[2001:db8::1]:8080/hook", guard.ErrBlockedAddress},
		{"http://[fe80::1%25eth0]/", guard.ErrBlockedAddress},
		{"http://[fe80::1]/", guard.ErrBlockedAddress},

		// Other spellings of loopback and private space.
		{"http://[::ffff:7f00:1]/", guard.ErrBlockedAddress},
		{"http://[::ffff:10.0.0.5]:8080/", guard.ErrBlockedAddress},
		{"http://[::127.0.0.1]/", guard.ErrBlockedAddress},
		{"http://[64:ff9b::7f00:1]/", guard.ErrBlockedAddress},
		{"http://[2002:7f00:1::]/", guard.ErrBlockedAddress},
		{"http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", guard.ErrBlockedAddress},
		{"http://[fc00::1]/", guard.ErrBlockedAddress},
		{"http://[ff02::1]/", guard.ErrBlockedAddress},
		{"http://172.16.0.1/", guard.ErrBlockedAddress},
		{"http://224.0.0.1/", guard.ErrBlockedAddress},
		{"http://240.0.0.1/", guard.ErrBlockedAddress},
		{"http://255.255.255.255/", guard.ErrBlockedAddress},
		{"http://192.0.2.1/", guard.ErrBlockedAddress},
		{"http://0/", guard.ErrAmbiguousHost},
		{"http://0x7f.1/", guard.ErrAmbiguousHost},
		{"http://0x/", guard.ErrAmbiguousHost},
		{"http://127.0.0.1./", guard.ErrAmbiguousHost},
		{"http://1.2.3.04/", guard.ErrAmbiguousHost},
		{"http://example.0x10/", guard.ErrAmbiguousHost},
		{"http://LOCALHOST/", guard.ErrBlockedAddress},
		{"http://api.localhost/", guard.ErrBlockedAddress},
		{"http://localhost../", guard.ErrBlockedAddress},

		// net/url refuses escaped hosts outright, so they never reach the
		// address rules.
		{"http://local%68ost/", guard.ErrInvalidURL},
		{"http://%31%32%37.0.0.1/", guard.ErrInvalidURL},

		// Not a usable absolute URL.
		{"", guard.ErrScheme},
		{"example.com/hook", guard.ErrScheme},
		{"//example.com/hook", guard.ErrScheme},
		{"ftp://example.com/", guard.ErrScheme},
		{"javascript:alert(1)", guard.ErrScheme},
		{"http:///hook", guard.ErrInvalidURL},
		{"http:example.com", guard.ErrInvalidURL},
		{"http://:8080/", guard.ErrInvalidURL},
		{"http://example.com:0/", guard.ErrInvalidURL},
		{"http://example.com:65536/", guard.ErrInvalidURL},
		{"http://[::1/", guard.ErrInvalidURL},
		{"http://exa mple.com/", guard.ErrInvalidURL},
		{"http://example.com/\x00", guard.ErrInvalidURL},
	}

	g := guard.New(nil)
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			t.Parallel()

			err := g.CheckURL(tt.url)
			if !errors.Is(err, tt.want) {
				t.Fatalf("CheckURL(%q) = %v, want %v", tt.url, err, tt.want)
			}
		})
	}
}

// TestCheckURLAccepts shows that public targets, names and userinfo pass.
func TestCheckURLAccepts(t *testing.T) {
	t.Parallel()

	tests := []string{
		"https://hooks.example.com/chis",
		"HTTPS://Hooks.Example.com/chis",
		"http://example.com:8080/a?b=c#d",
		"https://user:pass@example.com/hook?token=x",
		"http://93.184.215.14/",
		"http://1.1.1.1:443/",
		"http://[2606:4700:4700::1111]/",
		"http://[2a00:1450:4001:82b::200e]:8443/hook",
		"http://xn--bcher-kva.example/",
		"http://example.com./",
		"http://localhost.example.com/",
		"http://127.0.0.1.nip.example/",
		"http://0x7f000001.example/",
	}

	g := guard.New(nil)
	for _, raw := range tests {
		t.Run(raw, func(t *testing.T) {
			t.Parallel()

			if err := g.CheckURL(raw); err != nil {
				t.Fatalf("CheckURL(%q) = %v, want nil", raw, err)
			}
		})
	}
}

// TestCheckURLAllowList shows that the operator's allow-list opens exactly
// the listed ranges, localhost names with loopback, and nothing else.
func TestCheckURLAllowList(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name    string
		allowed []netip.Prefix
		url     string
		want    error
	}{
		{"loopback v4", devAllowList, "http://127.0.0.1:8080/hook", nil},
		{"loopback v6", devAllowList, "http://[::1]:8080/hook", nil},
		{"mapped loopback", devAllowList, "http://[::ffff:127.0.0.1]/", nil},
		{"localhost", devAllowList, "http://localhost:8080/", nil},
		{"sub localhost", devAllowList, "http://api.localhost./", nil},
		{"private stays blocked", devAllowList, "http://10.0.0.5/", guard.ErrBlockedAddress},
		{"metadata stays blocked", devAllowList, "http://169.254.169.254/",
			guard.ErrBlockedAddress},
		{"numeric stays ambiguous", devAllowList, "http://127.1/", guard.ErrAmbiguousHost},
		{"zone stays blocked", devAllowList, "http://[::1%25lo]/", guard.ErrBlockedAddress},
		{"one private range", []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")},
			"http://10.0.0.5/", nil},
		{"mapped allow prefix", []netip.Prefix{netip.MustParsePrefix("::ffff:10.0.0.0/104")},
			"http://10.1.2.3/", nil},
		{"private allowed, not localhost", []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")},
			"http://localhost/", guard.ErrBlockedAddress},
		{"documentation range", []netip.Prefix{netip.MustParsePrefix("2001:db8::/32")},
			"http://[2001:db8::1]:8080/hook", nil},
		{"invalid prefix ignored", []netip.Prefix{{}}, "http://127.0.0.1/",
			guard.ErrBlockedAddress},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			err := guard.New(tt.allowed).CheckURL(tt.url)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("CheckURL(%q) = %v, want %v", tt.url, err, tt.want)
			}
		})
	}
}

// TestCheckURLKeepsSecrets is P15 for the API: the error text a tenant sees
// names the host, never the userinfo, path or query.
func TestCheckURLKeepsSecrets(t *testing.T) {
	t.Parallel()

	secrets := []string{"PLACEHOLDER_USER", "PLACEHOLDER_PASS", "PLACEHOLDER_PATH",
		"PLACEHOLDER_QUERY", "PLACEHOLDER_FRAGMENT"}
	tail := "/T0/PLACEHOLDER_PATH?token=PLACEHOLDER_QUERY#PLACEHOLDER_FRAGMENT"
	tests := []string{
		"http://PLACEHOLDER_USER:PLACEHOLDER_PASS@127.0.0.1" + tail,
		"http://PLACEHOLDER_USER:PLACEHOLDER_PASS@127.1" + tail,
		"http://PLACEHOLDER_USER:PLACEHOLDER_PASS@localhost" + tail,
		"gopher://PLACEHOLDER_USER:PLACEHOLDER_PASS@example.com" + tail,
		"http://PLACEHOLDER_USER:PLACEHOLDER_PASS@example.com:99999" + tail,
		"http://PLACEHOLDER_USER:PLACEHOLDER_PASS@[::1" + tail,
		"http://PLACEHOLDER_USER:PLACEHOLDER_PASS@[fe80::1%25eth0]" + tail,
	}

	g := guard.New(nil)
	for _, raw := range tests {
		err := g.CheckURL(raw)
		if err == nil {
			t.Fatalf("CheckURL(%q) = nil, want an error", raw)
		}

		for _, s := range secrets {
			if strings.Contains(err.Error(), s) {
				t.Errorf("CheckURL error %q leaks %s", err, s)
			}
		}
	}
}
