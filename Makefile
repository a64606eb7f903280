# Chis: `make dev` runs everything locally, `make test` runs every test.
# Both find PostgreSQL and Redis through local/services.sh (DATABASE_URL and
# REDIS_URL when set, else the local servers, else private ones it starts).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

GO ?= go
TOOLS := $(CURDIR)/.dev/tools
GOLANGCI_VERSION := v2.15.0
PROTOC_GEN_GO_VERSION := v1.36.12
PROTOC_GEN_GO_GRPC_VERSION := v1.6.0

.PHONY: dev test test-go test-dashboard dashboard bench chaos lint proto tools build images \
	validate-knative

## dev: run Delivery, API, Worker and Tick locally with a demo receiver, and the
## dashboard at http://localhost:8080/.
dev: dashboard
	$(GO) build -o .dev/bin/local ./local
	eval "$$(local/services.sh dev)" && \
		CHIS_DASHBOARD_DIR=$(CURDIR)/dashboard/dist exec .dev/bin/local

## dashboard: build the dashboard into dashboard/dist (needs Node 20 and npm).
dashboard:
	@if ! command -v npm >/dev/null; then \
		echo "dashboard: npm not found; install Node.js 20 to build the dashboard."; exit 1; \
	fi
	cd dashboard && npm ci --no-audit --no-fund && npm run build

## test: every test, against real PostgreSQL and Redis.
test: dashboard test-dashboard test-go

test-dashboard:
	cd dashboard && npm test

test-go:
	eval "$$(local/services.sh test)" && $(GO) test -count=1 -parallel 8 -timeout 20m ./...

## bench: the benchmarks, with their figures (see README "Performance").
bench:
	eval "$$(local/services.sh test)" && \
		$(GO) test -run '^$$' -bench . -benchmem -count 1 ./...

## chaos: the fault-injection suite at full length (a short run is part of make test).
CHAOS_SECONDS ?= 20
CHAOS_RATE ?= 200
chaos:
	eval "$$(local/services.sh test)" && \
		CHIS_CHAOS_SECONDS=$(CHAOS_SECONDS) CHIS_CHAOS_RATE=$(CHAOS_RATE) \
		CHIS_CHAOS_REPORT=$(CURDIR)/.dev/chaos-report.txt \
		$(GO) test -count=1 -timeout 15m -run TestChaos -v ./chaos/

## build: the binaries, into bin/.
build:
	$(GO) build -o bin/ ./functions/...

## lint: golangci-lint with .golangci.yml (installed at a pinned version).
lint: $(TOOLS)/golangci-lint
	$(TOOLS)/golangci-lint run ./...

$(TOOLS)/golangci-lint:
	GOBIN=$(TOOLS) $(GO) install \
		github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_VERSION)

## proto: regenerate the gRPC code (needs protoc: apt-get install protobuf-compiler).
proto: $(TOOLS)/protoc-gen-go $(TOOLS)/protoc-gen-go-grpc
	PATH="$(TOOLS):$$PATH" protoc -I proto \
		--go_out=. --go_opt=module=github.com/chis-dev/chis \
		--go-grpc_out=. --go-grpc_opt=module=github.com/chis-dev/chis \
		proto/chis/delivery/v1/delivery.proto

$(TOOLS)/protoc-gen-go:
	GOBIN=$(TOOLS) $(GO) install \
		google.golang.org/protobuf/cmd/protoc-gen-go@$(PROTOC_GEN_GO_VERSION)

$(TOOLS)/protoc-gen-go-grpc:
	GOBIN=$(TOOLS) $(GO) install \
		google.golang.org/grpc/cmd/protoc-gen-go-grpc@$(PROTOC_GEN_GO_GRPC_VERSION)

IMAGE_PREFIX ?= dev.local/chis-
IMAGE_TAG ?= dev
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
CONTAINER_ENGINE ?= docker
IMAGE_TARGETS := api delivery tick worker migrate

## images: one container image per deployable (skipped when no container engine runs).
images:
	@if ! timeout 20 $(CONTAINER_ENGINE) info >/dev/null 2>&1; then \
		echo "images: skipped: no container engine answers ('$(CONTAINER_ENGINE) info' failed)."; \
		echo "images: start Docker or Podman, or set CONTAINER_ENGINE, to build them."; \
		exit 0; \
	fi; \
	for t in $(IMAGE_TARGETS); do \
		echo "images: $(IMAGE_PREFIX)$$t:$(IMAGE_TAG) (version $(VERSION))"; \
		$(CONTAINER_ENGINE) build --target "$$t" --build-arg VERSION=$(VERSION) \
			-t "$(IMAGE_PREFIX)$$t:$(IMAGE_TAG)" .; \
	done

## validate-knative: Knative's own SetDefaults+Validate on knative/ (a module of its own).
validate-knative:
	cd deploy/knativevalidate && GOWORK=off $(GO) test -count=1 ./...
