package worker

import (
	"fmt"
	"testing"
	"time"
)

// A host whose attempts finish quickly gets its next message a slot as soon
// as one frees; a slow host's extra messages are refused at once, without
// waiting, so they never hold the worker's slots.
func TestHostSlotsWaitOnlyForFastHosts(t *testing.T) {
	t.Parallel()

	h := newHostSlots(1)

	if !h.acquire("fast", time.Second) {
		t.Fatal("first slot refused")
	}

	go func() {
		<-time.After(20 * time.Millisecond)
		h.release("fast", 5*time.Millisecond)
	}()

	if !h.acquire("fast", time.Second) {
		t.Fatal("a fast host's message did not get the freed slot")
	}

	h.release("fast", 5*time.Millisecond)

	if !h.acquire("slow", time.Second) {
		t.Fatal("first slot refused")
	}
	h.release("slow", 10*time.Second) // the host is now known to be slow

	if !h.acquire("slow", time.Second) {
		t.Fatal("a free slot refused")
	}

	start := time.Now()
	if h.acquire("slow", time.Second) {
		t.Fatal("a slow host got a second slot")
	}

	if waited := time.Since(start); waited > 50*time.Millisecond {
		t.Fatalf("refusing a slow host's message took %v, want no wait", waited)
	}
}

// Idle hosts are forgotten once there are many, so tenants' many targets
// cannot grow the worker's memory without bound; busy ones are kept.
func TestHostSlotsForgetIdleHosts(t *testing.T) {
	t.Parallel()

	h := newHostSlots(2)
	h.acquire("busy", time.Millisecond)

	for i := range 3 * maxHosts {
		host := fmt.Sprintf("h%d", i)
		h.acquire(host, time.Millisecond)
		h.release(host, time.Millisecond)
	}

	if len(h.hosts) > maxHosts {
		t.Fatalf("%d hosts remembered, want at most %d", len(h.hosts), maxHosts)
	}

	if h.hosts["busy"] == nil {
		t.Fatal("a host with a delivery in flight was forgotten")
	}
}

func TestHostOf(t *testing.T) {
	t.Parallel()

	for raw, want := range map[string]string{
		"https://Example.COM:8443/x": "example.com",
		"http://example.com./":       "example.com",
		"http://[::1]:80/":           "::1",
	} {
		if got := hostOf(raw); got != want {
			t.Errorf("hostOf(%q) = %q, want %q", raw, got, want)
		}
	}
}
