# One build, five small images, one per deployable: `make images` builds each
# target (api, delivery, tick, worker, migrate). The Go binaries are static;
# the runtime base is busybox so that compose's health checks have a wget, and
# every image runs as an unprivileged user. The API image also carries the
# built dashboard, which the API serves at /. Base images are pinned by version.

ARG GO_IMAGE=golang:1.26.8-trixie
ARG NODE_IMAGE=node:22.12.0-bookworm-slim
ARG RUNTIME_IMAGE=busybox:1.37.0-musl

# The dashboard is static files: built once, on the build machine's platform.
FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS dashboard
WORKDIR /src/dashboard
COPY dashboard/package.json dashboard/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY dashboard/ ./
RUN npm run build

FROM --platform=$BUILDPLATFORM ${GO_IMAGE} AS build
WORKDIR /src

# Modules first, so that a change to the code alone reuses this layer.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download

COPY . .
ARG VERSION=dev
ARG TARGETOS
ARG TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath \
      -ldflags "-s -w -X github.com/chis-dev/chis/shared/boot.Version=${VERSION}" \
      -o /out/ ./functions/...

FROM ${RUNTIME_IMAGE} AS runtime
# Deliveries go to HTTPS targets: the binaries need the CA bundle.
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
# Not root; numeric, so that Kubernetes can check runAsNonRoot.
USER 65532:65532
# An empty HOST binds every interface, which a container needs.
ENV HOST=""

FROM runtime AS api
COPY --from=build /out/api /usr/local/bin/chis-api
COPY --from=dashboard /src/dashboard/dist /usr/share/chis/dashboard
ENV CHIS_DASHBOARD_DIR=/usr/share/chis/dashboard
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/chis-api"]

FROM runtime AS delivery
COPY --from=build /out/delivery /usr/local/bin/chis-delivery
EXPOSE 50051
ENTRYPOINT ["/usr/local/bin/chis-delivery"]

FROM runtime AS tick
COPY --from=build /out/tick /usr/local/bin/chis-tick
EXPOSE 8084
ENTRYPOINT ["/usr/local/bin/chis-tick"]

FROM runtime AS worker
COPY --from=build /out/worker /usr/local/bin/chis-worker
EXPOSE 8083
ENTRYPOINT ["/usr/local/bin/chis-worker"]

FROM runtime AS migrate
COPY --from=build /out/migrate /usr/local/bin/chis-migrate
ENTRYPOINT ["/usr/local/bin/chis-migrate"]
