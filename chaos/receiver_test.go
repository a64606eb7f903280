package chaos

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
)

// receiver is the target of every webhook. It fails a share of attempts
// with a 500 and remembers, per message id, how many requests it got, how
// many it answered 2xx, and how many were ever in flight at once.
type receiver struct {
	*httptest.Server

	failShare float64

	mu   sync.Mutex
	byID map[string]*seen
}

type seen struct {
	hits      int
	successes int
	inflight  int
	most      int
}

func newReceiver(failShare float64) *receiver {
	r := &receiver{failShare: failShare, byID: map[string]*seen{}}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))

	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	id := req.Header.Get("X-Webhook-ID")

	r.mu.Lock()
	s := r.byID[id]
	if s == nil {
		s = &seen{}
		r.byID[id] = s
	}

	s.hits++
	s.inflight++
	s.most = max(s.most, s.inflight)
	fail := rand.Float64() < r.failShare
	if !fail {
		s.successes++
	}
	r.mu.Unlock()

	defer func() {
		r.mu.Lock()
		s.inflight--
		r.mu.Unlock()
	}()

	if fail {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}

	w.WriteHeader(http.StatusOK)
}

// get returns what the receiver saw of one message id.
func (r *receiver) get(id string) seen {
	r.mu.Lock()
	defer r.mu.Unlock()

	if s := r.byID[id]; s != nil {
		return *s
	}

	return seen{}
}
