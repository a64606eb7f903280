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

.PHONY: dev test test-go bench chaos lint proto tools build

## dev: run Delivery, API, Worker and Tick locally with a demo receiver.
dev:
	eval "$$(local/services.sh dev)" && $(GO) run ./local

## test: every test, against real PostgreSQL and Redis.
test: test-go

test-go:
	eval "$$(local/services.sh test)" && $(GO) test -count=1 -timeout 20m ./...

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
