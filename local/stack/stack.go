// Package stack starts the four Chis components as real processes, the way
// `make dev` runs them and the end-to-end tests drive them: Delivery, API,
// Worker and Tick, plus a stand-in for the Knative PingSource that sends Tick
// a CloudEvent every few seconds. Each process's output goes to a writer of
// the caller's choosing, prefixed with its name.
package stack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Components lists the components in start order: each one's dependencies come first.
var Components = []string{"delivery", "api", "worker", "tick"}

// Build compiles the four binaries into dir.
func Build(ctx context.Context, root, dir string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", dir+string(filepath.Separator),
		"./functions/...")
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr

	if err := cmd.Run(); err != nil {
		return fmt.Errorf("build binaries: %w", err)
	}

	return nil
}

// Options say how to run the stack. Zero ports are picked free.
type Options struct {
	BinDir      string
	DatabaseURL string
	RedisURL    string
	RedisPrefix string
	// Ports by component name.
	Ports map[string]int
	// Env is added to every component's environment; it wins over defaults.
	Env map[string]string
	// Output returns where a component's output goes.
	Output func(component string) io.Writer
	// TickEvery is the PingSource stand-in's period; 0 means 5s.
	TickEvery time.Duration
}

// Stack is a running set of components.
type Stack struct {
	opts   Options
	ports  map[string]int
	mu     sync.Mutex
	procs  map[string]*exec.Cmd
	cancel context.CancelFunc
	pinger sync.WaitGroup
}

// Start starts every component, waits until each answers /health, and
// starts the ticker.
func Start(ctx context.Context, opts Options) (*Stack, error) {
	s := &Stack{opts: opts, ports: map[string]int{}, procs: map[string]*exec.Cmd{}}

	for _, c := range Components {
		p := opts.Ports[c]
		if p == 0 {
			var err error
			if p, err = freePort(); err != nil {
				return nil, err
			}
		}

		s.ports[c] = p
	}

	for _, c := range Components {
		if err := s.StartComponent(ctx, c); err != nil {
			s.Stop()
			return nil, err
		}
	}

	pctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.pinger.Go(func() { s.ping(pctx) })

	return s, nil
}

// URL is the base URL of a component's HTTP port.
func (s *Stack) URL(component string) string {
	return "http://127.0.0.1:" + strconv.Itoa(s.ports[component])
}

// StartComponent starts one component (again) and waits for its /health.
func (s *Stack) StartComponent(ctx context.Context, c string) error {
	cmd := exec.Command(filepath.Join(s.opts.BinDir, c))
	cmd.Env = s.env(c)
	cmd.Stdout = s.opts.Output(c)
	cmd.Stderr = cmd.Stdout

	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", c, err)
	}

	s.mu.Lock()
	s.procs[c] = cmd
	s.mu.Unlock()

	go func() { _ = cmd.Wait() }()

	if err := waitHealthy(ctx, s.URL(c)+"/health"); err != nil {
		return fmt.Errorf("%s did not become healthy: %w", c, err)
	}

	return nil
}

func (s *Stack) env(c string) []string {
	env := map[string]string{
		"DATABASE_URL":        s.opts.DatabaseURL,
		"REDIS_URL":           s.opts.RedisURL,
		"CHIS_REDIS_PREFIX":   s.opts.RedisPrefix,
		"PORT":                strconv.Itoa(s.ports[c]),
		"HOST":                "127.0.0.1",
		"DELIVERY_GRPC_ADDR":  "127.0.0.1:" + strconv.Itoa(s.ports["delivery"]),
		"CHIS_INTERNAL_TOKEN": "local-internal-token",
		"JWT_SECRET":          "local-development-jwt-secret-0123456789",
		"CHIS_LOG_FORMAT":     "text",
	}

	for k, v := range s.opts.Env {
		env[k] = v
	}

	out := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range env {
		out = append(out, k+"="+v)
	}

	return out
}

// Signal sends sig to a component, for tests that stop or kill one.
func (s *Stack) Signal(c string, sig os.Signal) error {
	s.mu.Lock()
	cmd := s.procs[c]
	s.mu.Unlock()

	if cmd == nil || cmd.Process == nil {
		return fmt.Errorf("%s is not running", c)
	}

	return cmd.Process.Signal(sig)
}

// Stop sends SIGTERM to every component, last started first, and waits up to
// 30 s for each to exit before killing it.
func (s *Stack) Stop() {
	if s.cancel != nil {
		s.cancel()
		s.pinger.Wait()
	}

	for i := len(Components) - 1; i >= 0; i-- {
		s.mu.Lock()
		cmd := s.procs[Components[i]]
		s.mu.Unlock()

		if cmd != nil && cmd.Process != nil {
			stopProcess(cmd)
		}
	}
}

func stopProcess(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(syscall.SIGTERM)

	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if cmd.Process.Signal(syscall.Signal(0)) != nil {
			return
		}

		time.Sleep(50 * time.Millisecond)
	}

	_ = cmd.Process.Kill()
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer func() { _ = l.Close() }()

	return l.Addr().(*net.TCPAddr).Port, nil
}

func waitHealthy(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()

	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}

		select {
		case <-ctx.Done():
			return errors.Join(ctx.Err(), err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
