// Command migrate applies the database migrations and exits: the Kubernetes
// migration Job and compose's one-shot service run it before the other
// components start. Concurrent runs wait for each other on an advisory lock.
package main

import (
	"context"
	"os"
	"time"

	"github.com/chis-dev/chis/shared/boot"
	"github.com/chis-dev/chis/shared/config"
	"github.com/chis-dev/chis/shared/storage"
	"github.com/chis-dev/chis/shared/telemetry"
)

// settings is all migrate reads.
type settings struct {
	config.Logging
	config.Postgres
}

func main() {
	var cfg settings
	boot.Load(&cfg)

	log := telemetry.NewLogger(os.Stderr, cfg.Logging, "migrate")

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	if err := storage.Migrate(ctx, cfg.URL, log); err != nil {
		boot.Fatal(log, "migrate", err)
	}

	log.Info("migrations applied")
}
