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
	"strings"
	"sync"
	"sync/atomic"
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

// Stack is a running set of components. Each runs as a named instance;
// the first instance of a component is named after it, and more can be
// added (a second worker, a second Tick) with StartInstance.
type Stack struct {
	opts   Options
	mu     sync.Mutex
	ports  map[string]int
	kinds  map[string]string // instance name -> component
	procs  map[string]*exec.Cmd
	cancel context.CancelFunc
	pinger sync.WaitGroup
	// stopping is set by Stop, so exits it causes are not reported.
	stopping atomic.Bool
}

// Start starts every component, waits until each answers /health, and
// starts the ticker.
func Start(ctx context.Context, opts Options) (*Stack, error) {
	s := &Stack{opts: opts, ports: map[string]int{}, kinds: map[string]string{},
		procs: map[string]*exec.Cmd{}}

	for _, c := range Components {
		if err := s.StartInstance(ctx, c, c); err != nil {
			s.Stop()
			return nil, err
		}
	}

	pctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.pinger.Go(func() { s.ping(pctx) })

	return s, nil
}

// URL is the base URL of an instance's HTTP port.
func (s *Stack) URL(instance string) string {
	s.mu.Lock()
	defer s.mu.Unlock()

	return "http://127.0.0.1:" + strconv.Itoa(s.ports[instance])
}

// StartInstance starts an instance of a component under a name, on its
// own port (the same one again when the name ran before), and waits for
// its /health.
func (s *Stack) StartInstance(ctx context.Context, name, component string) error {
	port, err := s.port(name)
	if err != nil {
		return err
	}

	// Something else on the port would answer the health check in its place.
	if !portFree(port) {
		return fmt.Errorf("start %s: port %d is in use by another program", name, port)
	}

	cmd := exec.Command(filepath.Join(s.opts.BinDir, component))
	cmd.Env = s.env(port)
	cmd.Stdout = s.opts.Output(name)
	cmd.Stderr = cmd.Stdout
	// A process group of its own: a Ctrl-C in the terminal reaches only the
	// runner, which then stops the components in order.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}

	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", name, err)
	}

	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()

	s.mu.Lock()
	s.procs[name] = cmd
	s.kinds[name] = component
	s.mu.Unlock()

	if err := waitHealthy(ctx, s.URL(name)+"/health", exited); err != nil {
		return fmt.Errorf("%s did not become healthy: %w", name, err)
	}

	go s.watch(name, cmd, exited)

	return nil
}

// watch says so in the instance's output when it exits on its own, so that
// a component that dies does not go unnoticed.
func (s *Stack) watch(name string, cmd *exec.Cmd, exited <-chan struct{}) {
	<-exited

	if s.stopping.Load() {
		return
	}

	_, _ = fmt.Fprintf(cmd.Stdout, "exited: %v\n", cmd.ProcessState)
}

func portFree(port int) bool {
	l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		return false
	}

	_ = l.Close()

	return true
}

// StartComponent starts a component's first instance again, as after a crash.
func (s *Stack) StartComponent(ctx context.Context, c string) error {
	return s.StartInstance(ctx, c, c)
}

// port returns the instance's port, picking one the first time.
func (s *Stack) port(name string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()

	if p, ok := s.ports[name]; ok {
		return p, nil
	}

	p := s.opts.Ports[name]
	if p == 0 {
		var err error
		if p, err = freePort(); err != nil {
			return 0, err
		}
	}

	s.ports[name] = p

	return p, nil
}

func (s *Stack) env(port int) []string {
	env := map[string]string{
		"DATABASE_URL":        s.opts.DatabaseURL,
		"REDIS_URL":           s.opts.RedisURL,
		"CHIS_REDIS_PREFIX":   s.opts.RedisPrefix,
		"PORT":                strconv.Itoa(port),
		"HOST":                "127.0.0.1",
		"DELIVERY_GRPC_ADDR":  strings.TrimPrefix(s.URL("delivery"), "http://"),
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

// Signal sends sig to an instance, for tests that stop or kill one.
func (s *Stack) Signal(c string, sig os.Signal) error {
	s.mu.Lock()
	cmd := s.procs[c]
	s.mu.Unlock()

	if cmd == nil || cmd.Process == nil {
		return fmt.Errorf("%s is not running", c)
	}

	return cmd.Process.Signal(sig)
}

// Stop sends SIGTERM to every instance, those of components started last
// first, and waits up to 30 s for each to exit before killing it.
func (s *Stack) Stop() {
	s.stopping.Store(true)

	if s.cancel != nil {
		s.cancel()
		s.pinger.Wait()
	}

	for i := len(Components) - 1; i >= 0; i-- {
		for _, name := range s.instances(Components[i]) {
			s.mu.Lock()
			cmd := s.procs[name]
			s.mu.Unlock()

			if cmd != nil && cmd.Process != nil {
				stopProcess(cmd)
			}
		}
	}
}

// instances names the instances of a component.
func (s *Stack) instances(component string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()

	var names []string
	for name, kind := range s.kinds {
		if kind == component {
			names = append(names, name)
		}
	}

	return names
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

// waitHealthy polls url until it answers 200, the process exits, or 30 s
// pass.
func waitHealthy(ctx context.Context, url string, exited <-chan struct{}) error {
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
		case <-exited:
			return errors.New("it exited; see its output above")
		case <-time.After(50 * time.Millisecond):
		}
	}
}
