package worker

import (
	"net/url"
	"strings"
	"sync"
)

// hostSlots bounds the deliveries in flight to one host, so that slow or
// hung targets can hold at most that many of a worker's slots and the rest
// keep serving healthy targets.
type hostSlots struct {
	mu    sync.Mutex
	limit int
	used  map[string]int
}

func newHostSlots(limit int) *hostSlots {
	return &hostSlots{limit: limit, used: map[string]int{}}
}

// acquire takes a slot for host, or reports false when all are taken.
func (h *hostSlots) acquire(host string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()

	if h.used[host] >= h.limit {
		return false
	}

	h.used[host]++

	return true
}

func (h *hostSlots) release(host string) {
	h.mu.Lock()
	defer h.mu.Unlock()

	if h.used[host]--; h.used[host] <= 0 {
		delete(h.used, host)
	}
}

// hostOf is the key slots are counted by: the host name without port, in
// lower case, so one target cannot dodge its limit with other spellings.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}

	return strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
}
