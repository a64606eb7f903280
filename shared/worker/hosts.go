package worker

import (
	"net/url"
	"strings"
	"sync"
	"time"
)

// hostSlots bounds the deliveries in flight to one host, so that slow or
// hung targets can hold at most that many of a worker's slots and the rest
// keep serving healthy targets.
type hostSlots struct {
	mu    sync.Mutex
	limit int
	hosts map[string]*hostSem
}

// hostSem is one host's slots. users counts holders and waiters; took is a
// moving average of the host's recent attempt durations, kept while the host
// is idle so that a slow host is known as such when its next burst comes.
type hostSem struct {
	slots   chan struct{}
	users   int
	waiting int
	took    time.Duration
}

func newHostSlots(limit int) *hostSlots {
	return &hostSlots{limit: limit, hosts: map[string]*hostSem{}}
}

// acquire takes a slot for host. When all are taken it waits up to wait for
// one, but only for a host whose attempts have been finishing within wait and
// with at most limit waiters: a fast host's messages wait a few milliseconds
// here instead of being put off, while a slow or hung host's are put off at
// once and never hold the worker's slots while they wait.
func (h *hostSlots) acquire(host string, wait time.Duration) bool {
	s, mayWait := h.use(host, wait)

	select {
	case s.slots <- struct{}{}:
		h.stopWaiting(s, mayWait)
		return true
	default:
	}

	if !mayWait {
		h.drop(s)
		return false
	}

	t := time.NewTimer(wait)
	defer t.Stop()

	select {
	case s.slots <- struct{}{}:
		h.stopWaiting(s, true)
		return true
	case <-t.C:
		h.stopWaiting(s, true)
		h.drop(s)

		return false
	}
}

// release frees the slot and notes how long the attempt took.
func (h *hostSlots) release(host string, took time.Duration) {
	h.mu.Lock()
	s := h.hosts[host]
	if s.took == 0 {
		s.took = took
	} else {
		s.took = (3*s.took + took) / 4
	}
	h.mu.Unlock()

	<-s.slots
	h.drop(s)
}

func (h *hostSlots) use(host string, wait time.Duration) (*hostSem, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()

	s := h.hosts[host]
	if s == nil {
		h.prune()
		s = &hostSem{slots: make(chan struct{}, h.limit)}
		h.hosts[host] = s
	}

	s.users++

	mayWait := s.took < wait && s.waiting < h.limit
	if mayWait {
		s.waiting++
	}

	return s, mayWait
}

func (h *hostSlots) stopWaiting(s *hostSem, waited bool) {
	if !waited {
		return
	}

	h.mu.Lock()
	s.waiting--
	h.mu.Unlock()
}

func (h *hostSlots) drop(s *hostSem) {
	h.mu.Lock()
	defer h.mu.Unlock()

	s.users--
}

// maxHosts bounds the hosts remembered; past it, idle ones are forgotten.
const maxHosts = 1024

// prune forgets idle hosts once there are too many; h.mu is held.
func (h *hostSlots) prune() {
	if len(h.hosts) < maxHosts {
		return
	}

	for host, s := range h.hosts {
		if s.users == 0 {
			delete(h.hosts, host)
		}
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
