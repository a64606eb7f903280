package httpapi

import (
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// apiPrefixes are the paths the API owns; the dashboard's own routes never
// start with them, so an unknown path under them is an API 404 in JSON.
var apiPrefixes = []string{"/api/", "/auth/", "/webhook/"}

// apiPaths are the API's single routes outside those prefixes.
var apiPaths = []string{"/api", "/auth", "/webhook", "/health", "/ready", "/metrics"}

// notFound serves the dashboard for GET paths outside the API: the file if
// it exists, else index.html, whose router shows the page. Everything else
// is a JSON 404.
func (s *server) notFound(w http.ResponseWriter, r *http.Request) {
	if s.DashboardDir == "" || (r.Method != http.MethodGet && r.Method != http.MethodHead) ||
		isAPIPath(r.URL.Path) {
		writeError(w, notFound("route"))
		return
	}

	setPageHeaders(w.Header())

	// Cleaning a rooted path removes every "..", so name stays inside the
	// dashboard directory.
	name := filepath.Join(s.DashboardDir, filepath.FromSlash(path.Clean("/"+r.URL.Path)))
	if info, err := os.Stat(name); err != nil || info.IsDir() { //nolint:gosec // cleaned above
		name = filepath.Join(s.DashboardDir, "index.html")
		w.Header().Set("Cache-Control", "no-cache")
	} else if strings.HasPrefix(r.URL.Path, "/assets/") {
		// Vite names assets by content hash, so they never change.
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	}

	http.ServeFile(w, r, name) //nolint:gosec // cleaned above
}

func isAPIPath(p string) bool {
	for _, prefix := range apiPrefixes {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}

	return slices.Contains(apiPaths, p)
}

// pagePolicy lets the dashboard load only its own scripts, styles, fonts and
// API, and never be framed (it has destructive buttons).
const pagePolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; " +
	"frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

func setPageHeaders(h http.Header) {
	h.Set("Content-Security-Policy", pagePolicy)
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
}
