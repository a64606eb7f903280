package stack

import (
	"context"
	"net/http"
	"strconv"
	"time"
)

// ping stands in for the Knative PingSource: every TickEvery it posts a
// CloudEvent in binary mode to Tick, as the PingSource would.
func (s *Stack) ping(ctx context.Context) {
	every := s.opts.TickEvery
	if every == 0 {
		every = 5 * time.Second
	}

	t := time.NewTicker(every)
	defer t.Stop()

	for n := 1; ; n++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}

		// Every Tick instance gets every ping, so that several sweeps overlap
		// as they may with several replicas or a late PingSource.
		for _, name := range s.instances("tick") {
			go s.sendTick(ctx, name, n)
		}
	}
}

func (s *Stack) sendTick(ctx context.Context, instance string, n int) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL(instance)+"/Tick", nil)
	if err != nil {
		return
	}

	req.Header.Set("Ce-Specversion", "1.0")
	req.Header.Set("Ce-Type", "dev.knative.sources.ping")
	req.Header.Set("Ce-Source", "/apis/v1/namespaces/local/pingsources/chis-tick")
	req.Header.Set("Ce-Id", "local-tick-"+strconv.Itoa(n))
	req.Header.Set("Ce-Time", time.Now().UTC().Format(time.RFC3339Nano))

	// A failed tick is retried by the next one, as with the real PingSource.
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		_ = resp.Body.Close()
	}
}
