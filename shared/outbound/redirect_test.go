package outbound_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chis-dev/chis/shared/outbound"
)

// TestRedirectsNotFollowed is P06: each 3xx is a failed attempt with its
// status and the Location reduced to scheme, host and path, and no request
// reaches a Location target. Each target is a canary that answers 200, so a
// followed redirect would also turn the attempt into a success.
func TestRedirectsNotFollowed(t *testing.T) {
	t.Parallel()

	loopback := newCanary(t, "127.0.0.1:0")
	third := newCanary(t, "127.0.0.2:0")
	v6 := newCanary(t, "[::1]:0")

	tests := []struct {
		name, location, want string
		status               int
	}{
		{"302 to loopback", loopback.URL + "/x?secret=s3cr3t", loopback.URL + "/x", 302},
		{"301 to another host", third.URL + "/moved?token=t0k3n#frag", third.URL + "/moved", 301},
		{"307 to a third", v6.URL + "/v6", v6.URL + "/v6", 307},
		{"308 with userinfo", "http://u:pw@" + loopback.Listener.Addr().String() + "/p",
			loopback.URL + "/p", 308},
		{"relative", "/next?q=1", "", 303},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter,
				r *http.Request) {
				http.Redirect(w, r, tt.location, tt.status)
			}))
			t.Cleanup(srv.Close)

			want := tt.want
			if want == "" {
				want = srv.URL + "/next"
			}

			c := outbound.New(outbound.Options{Timeout: 2 * time.Second})
			res := c.Do(context.Background(), outbound.Request{URL: srv.URL + "/hook"})

			if res.StatusCode != tt.status || res.ErrorClass != outbound.ClassRedirect {
				t.Fatalf("result = %d %q, want %d redirect", res.StatusCode, res.ErrorClass,
					tt.status)
			}

			if res.Location != want {
				t.Errorf("location = %q, want %q", res.Location, want)
			}

			if !strings.Contains(res.ErrorMessage, "not followed") {
				t.Errorf("message = %q, want it to say redirects are not followed",
					res.ErrorMessage)
			}
		})
	}

	// Every subtest above has returned, and a followed redirect would have
	// completed within its Do, so the counts are final.
	t.Cleanup(func() {
		for _, c := range []*canary{loopback, third, v6} {
			c.assertUntouched(t)
		}
	})
}
