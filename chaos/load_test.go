package chaos

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// load sends webhooks through the API at a steady rate and keeps the ids of
// those answered 201: the messages Chis promised to deliver.
type load struct {
	api    string
	key    string
	target string
	client *http.Client

	mu       sync.Mutex
	accepted []string
	refused  map[int]int // status (0 for a transport error) -> count
}

func newLoad(api, key, target string) *load {
	return &load{api: api, key: key, target: target, refused: map[int]int{},
		client: &http.Client{Timeout: 10 * time.Second}}
}

// run sends rate webhooks a second for d, from a bounded pool of senders so
// a slow API cannot make it open without limit.
func (l *load) run(ctx context.Context, rate int, d time.Duration) {
	ticks := make(chan int)
	var wg sync.WaitGroup

	for range 32 {
		wg.Go(func() {
			for n := range ticks {
				l.send(ctx, n)
			}
		})
	}

	interval := time.Second / time.Duration(rate)
	t := time.NewTicker(interval)
	defer t.Stop()

	end := time.After(d)
	for n := 0; ; n++ {
		select {
		case <-end:
			close(ticks)
			wg.Wait()

			return
		case <-t.C:
			select {
			case ticks <- n:
			default: // every sender is busy: this tick is dropped, not queued
			}
		}
	}
}

// once sends one webhook outside the load and returns the status (0 for a
// transport error).
func (l *load) once(ctx context.Context) int {
	resp, err := l.post(ctx, -1)
	if err != nil {
		return 0
	}
	defer func() { _ = resp.Body.Close() }()

	return resp.StatusCode
}

func (l *load) post(ctx context.Context, n int) (*http.Response, error) {
	body, _ := json.Marshal(map[string]any{"url": l.target,
		"payload": json.RawMessage(fmt.Sprintf(`{"n":%d,"sent":"%s"}`, n,
			time.Now().Format(time.RFC3339Nano)))})

	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, l.api+"/webhook/send",
		bytes.NewReader(body))
	req.Header.Set("X-API-Key", l.key)
	req.Header.Set("Content-Type", "application/json")

	return l.client.Do(req)
}

func (l *load) send(ctx context.Context, n int) {
	resp, err := l.post(ctx, n)
	if err != nil {
		l.note(0, "")
		return
	}
	defer func() { _ = resp.Body.Close() }()

	var out struct{ MessageID string }
	_ = json.NewDecoder(resp.Body).Decode(&out)
	l.note(resp.StatusCode, out.MessageID)
}

func (l *load) note(status int, id string) {
	l.mu.Lock()
	defer l.mu.Unlock()

	if status == http.StatusCreated {
		l.accepted = append(l.accepted, id)
		return
	}

	l.refused[status]++
}

// take returns the accepted ids and refusals so far and starts afresh.
func (l *load) take() ([]string, map[int]int) {
	l.mu.Lock()
	defer l.mu.Unlock()

	ids, refused := l.accepted, l.refused
	l.accepted, l.refused = nil, map[int]int{}

	return ids, refused
}
