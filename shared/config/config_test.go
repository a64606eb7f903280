package config

import (
	"strings"
	"testing"
	"time"
)

func base() map[string]string {
	return map[string]string{
		"DATABASE_URL":        "postgres://localhost/chis",
		"REDIS_URL":           "redis://localhost:6379/0",
		"JWT_SECRET":          strings.Repeat("k", 32),
		"CHIS_INTERNAL_TOKEN": "t",
	}
}

func TestWorkerDefaults(t *testing.T) {
	t.Parallel()

	var c Worker
	if err := Load(&c, base()); err != nil {
		t.Fatal(err)
	}

	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}
	if c.MaxAttempts != 5 || c.Timeout != 10*time.Second || len(c.Schedule) != 4 ||
		c.Schedule[3] != want[3] || c.Lease() != 30*time.Second {
		t.Fatalf("defaults: %+v", c)
	}
}

func TestLoadRefusesBadSettings(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name   string
		cfg    any
		change map[string]string
		names  string // the variable the error must name
	}{
		{"missing database", &Worker{}, map[string]string{"DATABASE_URL": ""}, "DATABASE_URL"},
		{"short jwt secret", &API{}, map[string]string{"JWT_SECRET": "short"}, "JWT_SECRET"},
		{"bad cidr", &API{}, map[string]string{"CHIS_TARGET_ALLOW_CIDRS": "10.0.0.0/33"},
			"CHIS_TARGET_ALLOW_CIDRS"},
		{"zero attempts", &Worker{}, map[string]string{"CHIS_MAX_ATTEMPTS": "0"},
			"CHIS_MAX_ATTEMPTS"},
		{"negative wait", &Worker{}, map[string]string{"CHIS_RETRY_SCHEDULE": "1s,-2s"},
			"CHIS_RETRY_SCHEDULE"},
		{"jitter above 1", &Worker{}, map[string]string{"CHIS_RETRY_JITTER": "1.5"},
			"CHIS_RETRY_JITTER"},
		{"bad log level", &Tick{}, map[string]string{"CHIS_LOG_LEVEL": "loud"}, "CHIS_LOG_LEVEL"},
		{"tiny requeue", &Tick{}, map[string]string{"CHIS_SWEEP_REQUEUE_AFTER": "10ms"},
			"CHIS_SWEEP_REQUEUE_AFTER"},
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			env := base()
			for k, v := range tt.change {
				env[k] = v
			}

			err := Load(tt.cfg, env)
			if err == nil || !strings.Contains(err.Error(), tt.names) {
				t.Fatalf("Load = %v, want an error naming %s", err, tt.names)
			}
		})
	}
}

func TestAllowCIDRs(t *testing.T) {
	t.Parallel()

	env := base()
	env["CHIS_TARGET_ALLOW_CIDRS"] = "127.0.0.1/8, ::1/128"

	var c API
	if err := Load(&c, env); err != nil {
		t.Fatal(err)
	}

	p, err := c.Prefixes()
	if err != nil || len(p) != 2 || p[0].String() != "127.0.0.0/8" {
		t.Fatalf("prefixes %v, %v; want 127.0.0.0/8 and ::1/128", p, err)
	}
}
