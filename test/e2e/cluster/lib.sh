#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Shared helpers for the Hyperkube e2e cluster kit. Sourced, never run.
# shellcheck disable=SC2034  # variables here are used by the scripts that source this file

KIT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
. "${KIT_DIR}/versions.env"

# Build cache, kept outside the repository so a second run skips every build.
CACHE_ROOT="${HYPERKUBE_E2E_CACHE:-/var/cache/hyperkube-e2e}"
# Everything a running cluster owns: configs, certs, state, logs, pidfiles.
STATE_ROOT="${HYPERKUBE_E2E_STATE:-/var/lib/hyperkube-e2e}"
RUN_DIR="${STATE_ROOT}/run"
LOG_DIR="${STATE_ROOT}/logs"
PKI_DIR="${STATE_ROOT}/pki"
KUBECONFIG_ADMIN="${STATE_ROOT}/admin.kubeconfig"

K8S_BIN="${CACHE_ROOT}/kubernetes-${KUBERNETES_VERSION}/bin"
FABRIC_BIN="${CACHE_ROOT}/fabric-${FABRIC_VERSION}/bin"
FABRIC_CFG_SRC="${CACHE_ROOT}/fabric-${FABRIC_VERSION}/sampleconfig"
FABRIC_CA_BIN="${CACHE_ROOT}/fabric-ca-${FABRIC_CA_VERSION}/bin"
COREDNS_BIN="${CACHE_ROOT}/coredns-${COREDNS_VERSION}/bin"
TRAEFIK_BIN="${CACHE_ROOT}/traefik-${TRAEFIK_VERSION}/bin"
PROMETHEUS_BIN="${CACHE_ROOT}/prometheus-${PROMETHEUS_VERSION}/bin"
PAUSE_BIN="${CACHE_ROOT}/pause-1/bin"
MINIO_BIN="${CACHE_ROOT}/minio-${MINIO_VERSION}/bin"
ROOTFS_DIR="${CACHE_ROOT}/rootfs-${DEBIAN_SUITE}"
IMAGES_DIR="${CACHE_ROOT}/images"

# Cluster network layout. Everything stays on this machine.
NODE_NAME="hyperkube-e2e"
NODE_IP="10.244.0.1"          # the bridge's own address; the node and the pods share it
POD_CIDR="10.244.0.0/24"
SERVICE_CIDR="10.96.0.0/24"
KUBERNETES_SVC_IP="10.96.0.1"
DNS_SVC_IP="10.96.0.10"
CLUSTER_DOMAIN="cluster.local"
BRIDGE="hkbr0"
APISERVER_PORT=6443
ETCD_CLIENT_PORT=23790
ETCD_PEER_PORT=23800

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# wait_for DESCRIPTION TIMEOUT_SECONDS COMMAND...: poll COMMAND once a second until it succeeds.
wait_for() {
  local what="$1" limit="$2" start
  shift 2
  start=$(date +%s)
  until "$@" >/dev/null 2>&1; do
    if (( $(date +%s) - start >= limit )); then
      log "timed out after ${limit}s waiting for ${what}"
      return 1
    fi
    sleep 1
  done
  log "ready: ${what} ($(( $(date +%s) - start ))s)"
}

# Go builds: module cache shared with the machine, build cache in the kit cache.
go_env() {
  export PATH="/usr/local/go/bin:${PATH}"
  export GOFLAGS="-mod=mod -buildvcs=false"
  export GOCACHE="${CACHE_ROOT}/gocache"
  export CGO_ENABLED=0
  export GOTOOLCHAIN=local
}
