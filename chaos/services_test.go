package chaos

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"time"
)

// postgres is a private PostgreSQL server the suite may stop and start at
// will, without touching the machine's own.
type postgres struct {
	bin  string // folder of initdb and pg_ctl
	dir  string
	port int
}

func startPostgres(ctx context.Context, dir string) (*postgres, error) {
	bin, err := postgresBin()
	if err != nil {
		return nil, err
	}

	port, err := freePort()
	if err != nil {
		return nil, err
	}

	p := &postgres{bin: bin, dir: filepath.Join(dir, "pg"), port: port}
	if err := os.MkdirAll(p.dir, 0o700); err != nil {
		return nil, err
	}

	if err := chownToPostgres(dir, p.dir); err != nil {
		return nil, err
	}

	if err := p.run(ctx, "initdb", "-D", p.dir, "-U", "postgres", "--auth=trust",
		"--no-sync"); err != nil {
		return nil, err
	}

	return p, p.start(ctx)
}

func (p *postgres) url(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", p.port, db)
}

func (p *postgres) start(ctx context.Context) error {
	opts := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -k %s -c max_connections=200",
		p.port, p.dir)

	return p.run(ctx, "pg_ctl", "-D", p.dir, "-l", filepath.Join(p.dir, "log"), "-w",
		"-o", opts, "start")
}

// stop shuts the server down at once, cutting every connection.
func (p *postgres) stop(ctx context.Context) error {
	return p.run(ctx, "pg_ctl", "-D", p.dir, "-m", "fast", "-w", "stop")
}

// run runs a PostgreSQL tool as the postgres user when we are root: the
// server refuses to run as root.
func (p *postgres) run(ctx context.Context, tool string, args ...string) error {
	path := filepath.Join(p.bin, tool)

	cmd := exec.CommandContext(ctx, path, args...)
	if os.Geteuid() == 0 {
		cmd = exec.CommandContext(ctx, "runuser", append([]string{"-u", "postgres", "--",
			path}, args...)...)
	}

	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %w: %s", tool, err, out)
	}

	return nil
}

func postgresBin() (string, error) {
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(matches) > 0 {
		return filepath.Dir(matches[len(matches)-1]), nil
	}

	if path, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(path), nil
	}

	return "", errors.New("no PostgreSQL server binaries (initdb); install postgresql")
}

func chownToPostgres(paths ...string) error {
	if os.Geteuid() != 0 {
		return nil
	}

	u, err := user.Lookup("postgres")
	if err != nil {
		return fmt.Errorf("running as root needs a postgres user: %w", err)
	}

	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)

	for _, p := range paths {
		if err := os.Chown(p, uid, gid); err != nil {
			return err
		}
	}

	return nil
}

// redisServer is a private Redis that keeps nothing on disk, so a restart
// comes back empty.
type redisServer struct {
	dir  string
	port int
	cmd  *exec.Cmd
	done chan struct{}
}

func startRedis(ctx context.Context, dir string) (*redisServer, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}

	r := &redisServer{dir: dir, port: port}

	return r, r.start(ctx)
}

func (r *redisServer) url() string { return "redis://" + r.addr() + "/0" }

func (r *redisServer) addr() string { return fmt.Sprintf("127.0.0.1:%d", r.port) }

func (r *redisServer) start(ctx context.Context) error {
	r.cmd = exec.Command("redis-server", "--port", strconv.Itoa(r.port),
		"--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", r.dir)
	if err := r.cmd.Start(); err != nil {
		return fmt.Errorf("start redis (install redis-server): %w", err)
	}

	r.done = make(chan struct{})
	go func() { _ = r.cmd.Wait(); close(r.done) }()

	return waitPort(ctx, r.port)
}

// kill ends Redis at once, as a crash would, and waits until it is gone.
func (r *redisServer) kill() {
	_ = r.cmd.Process.Kill()
	<-r.done
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer func() { _ = l.Close() }()

	return l.Addr().(*net.TCPAddr).Port, nil
}

func portOpen(port int) bool {
	c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), 200*time.Millisecond)
	if err != nil {
		return false
	}

	_ = c.Close()

	return true
}

func waitPort(ctx context.Context, port int) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()

	for !portOpen(port) {
		select {
		case <-ctx.Done():
			return fmt.Errorf("port %d did not open", port)
		case <-time.After(20 * time.Millisecond):
		}
	}

	return nil
}
