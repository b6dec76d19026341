#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Builds CoreDNS, Traefik, Prometheus and, unless E2E_SKIP_BACKUP=1, MinIO (from the Go module
# proxy) and the kit's own pause binary.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
go_env

if [[ -x "${COREDNS_BIN}/coredns" ]]; then
  log "coredns ${COREDNS_VERSION}: cached in ${COREDNS_BIN}"
else
  log "coredns ${COREDNS_VERSION}: building"
  start=$(date +%s)
  mkdir -p "${COREDNS_BIN}.partial"
  # A throwaway module around the kit's own main (coredns/main.go), which links only the
  # plugins the cluster uses instead of CoreDNS's full set.
  work="${CACHE_ROOT}/coredns-${COREDNS_VERSION}/src"
  rm -rf "${work}"
  mkdir -p "${work}"
  cp "${KIT_DIR}/coredns/main.go" "${work}/"
  cp "${KIT_DIR}/coredns/go.mod.in" "${work}/go.mod"
  ( cd "${work}" && go get "github.com/coredns/coredns@${COREDNS_VERSION}" && go mod tidy \
      && go build -trimpath -ldflags="-s -w" -o "${COREDNS_BIN}.partial/coredns" . )
  rm -rf "${COREDNS_BIN}"
  mv "${COREDNS_BIN}.partial" "${COREDNS_BIN}"
  log "coredns ${COREDNS_VERSION}: built in $(( $(date +%s) - start ))s"
fi

# Traefik with the module's own go.mod and go.sum, whose replace directives rule out
# `go install module@version`: built in a writable copy of the proxy's module folder.
if [[ -x "${TRAEFIK_BIN}/traefik" ]]; then
  log "traefik ${TRAEFIK_VERSION}: cached in ${TRAEFIK_BIN}"
else
  log "traefik ${TRAEFIK_VERSION}: building"
  start=$(date +%s)
  module_dir=$(go mod download -json "github.com/traefik/traefik/v3@${TRAEFIK_VERSION}" | jq -r .Dir)
  work="${CACHE_ROOT}/traefik-${TRAEFIK_VERSION}/src"
  rm -rf "${work}" "${TRAEFIK_BIN}.partial"
  mkdir -p "$(dirname "${work}")" "${TRAEFIK_BIN}.partial"
  cp -r "${module_dir}" "${work}"
  chmod -R u+w "${work}"
  ( cd "${work}" && go build -trimpath -ldflags="-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=${TRAEFIK_VERSION}" \
      -o "${TRAEFIK_BIN}.partial/traefik" ./cmd/traefik )
  rm -rf "${TRAEFIK_BIN}" "${work}"
  mv "${TRAEFIK_BIN}.partial" "${TRAEFIK_BIN}"
  log "traefik ${TRAEFIK_VERSION}: built in $(( $(date +%s) - start ))s"
fi

# Prometheus and promtool, built the same way (the module's go.mod pins what they link); the
# remove_all_sd tag leaves out the cloud discovery plugins, which are most of the build; the
# module ships a go.work for its UI modules, which the build ignores.
if [[ "${E2E_SKIP_MONITORING:-0}" == 1 ]]; then
  log "prometheus ${PROMETHEUS_VERSION}: not needed (E2E_SKIP_MONITORING=1)"
elif [[ -x "${PROMETHEUS_BIN}/prometheus" && -x "${PROMETHEUS_BIN}/promtool" ]]; then
  log "prometheus ${PROMETHEUS_VERSION}: cached in ${PROMETHEUS_BIN}"
else
  log "prometheus ${PROMETHEUS_VERSION}: building"
  start=$(date +%s)
  module_dir=$(go mod download -json "github.com/prometheus/prometheus@${PROMETHEUS_MODULE_VERSION}" | jq -r .Dir)
  work="${CACHE_ROOT}/prometheus-${PROMETHEUS_VERSION}/src"
  rm -rf "${work}" "${PROMETHEUS_BIN}.partial"
  mkdir -p "$(dirname "${work}")" "${PROMETHEUS_BIN}.partial"
  cp -r "${module_dir}" "${work}"
  chmod -R u+w "${work}"
  ( cd "${work}" && GOWORK=off go build -trimpath -tags remove_all_sd \
      -ldflags="-s -w -X github.com/prometheus/common/version.Version=${PROMETHEUS_VERSION}" \
      -o "${PROMETHEUS_BIN}.partial/" ./cmd/prometheus ./cmd/promtool )
  rm -rf "${PROMETHEUS_BIN}" "${work}"
  mv "${PROMETHEUS_BIN}.partial" "${PROMETHEUS_BIN}"
  log "prometheus ${PROMETHEUS_VERSION}: built in $(( $(date +%s) - start ))s"
fi

# MinIO, the backup scenario's S3 server: its main package at the module's root, built in a
# writable copy of the proxy's module folder (its go.mod has replace directives too). About 1,500
# packages: the heaviest build of the kit after Kubernetes, so a run without the scenario skips it.
if [[ "${E2E_SKIP_BACKUP:-0}" == 1 ]]; then
  log "minio: not needed (E2E_SKIP_BACKUP=1)"
elif [[ -x "${MINIO_BIN}/minio" ]]; then
  log "minio ${MINIO_VERSION}: cached in ${MINIO_BIN}"
else
  log "minio ${MINIO_VERSION}: building"
  start=$(date +%s)
  module_dir=$(go mod download -json "github.com/minio/minio@${MINIO_VERSION}" | jq -r .Dir)
  work="${CACHE_ROOT}/minio-${MINIO_VERSION}/src"
  rm -rf "${work}" "${MINIO_BIN}.partial"
  mkdir -p "$(dirname "${work}")" "${MINIO_BIN}.partial"
  cp -r "${module_dir}" "${work}"
  chmod -R u+w "${work}"
  ( cd "${work}" && go build -trimpath -ldflags="-s -w" -o "${MINIO_BIN}.partial/minio" . )
  rm -rf "${MINIO_BIN}" "${work}"
  mv "${MINIO_BIN}.partial" "${MINIO_BIN}"
  log "minio ${MINIO_VERSION}: built in $(( $(date +%s) - start ))s"
fi

if [[ -x "${PAUSE_BIN}/pause" ]]; then
  log "pause: cached in ${PAUSE_BIN}"
else
  mkdir -p "${PAUSE_BIN}"
  ( cd "${KIT_DIR}/pause" && go build -trimpath -ldflags="-s -w" -o "${PAUSE_BIN}/pause" . )
  log "pause: built"
fi
