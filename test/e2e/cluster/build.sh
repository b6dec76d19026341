#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Builds (or finds in the cache) everything the e2e cluster needs and prints how long each
# part took. Cache: HYPERKUBE_E2E_CACHE (default /var/cache/hyperkube-e2e), outside the repo.
# Set E2E_SKIP_CHAINCODE=1 to leave out the chaincode image, E2E_SKIP_APPLICATION=1 the client image,
# E2E_SKIP_EXPOSURE=1 the ingress image, E2E_SKIP_MONITORING=1 Prometheus and its image,
# E2E_SKIP_BACKUP=1 MinIO and its image.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
mkdir -p "${CACHE_ROOT}/logs"

summary=()
step() {
  local name="$1" start rc=0 logf="${CACHE_ROOT}/logs/$1.log"
  shift
  start=$(date +%s)
  "$@" > "${logf}" 2>&1 || rc=$?
  if (( rc != 0 )); then
    tail -30 "${logf}" >&2
    die "${name} failed (exit ${rc}); full log: ${logf}"
  fi
  local how=built
  grep -q ': cached' "${logf}" && ! grep -qE ': (built|done|written|building)' "${logf}" && how=cached
  summary+=("$(printf '%-18s %5ss  %s' "${name}" "$(( $(date +%s) - start ))" "${how}")")
  log "${name}: ${how} in $(( $(date +%s) - start ))s"
}

t0=$(date +%s)
# debootstrap waits on the network and the disk, the Go builds on the CPU: run them side by side.
"${KIT_DIR}/build-rootfs.sh" > "${CACHE_ROOT}/logs/build-rootfs.log" 2>&1 &
rootfs_pid=$!
step build-kubernetes "${KIT_DIR}/build-kubernetes.sh"
step build-fabric "${KIT_DIR}/build-fabric.sh"
step build-fabric-ca "${KIT_DIR}/build-fabric-ca.sh"
step build-extras "${KIT_DIR}/build-extras.sh"
if ! wait "${rootfs_pid}"; then
  tail -30 "${CACHE_ROOT}/logs/build-rootfs.log" >&2
  die "build-rootfs failed; full log: ${CACHE_ROOT}/logs/build-rootfs.log"
fi
how=built
grep -q 'done in' "${CACHE_ROOT}/logs/build-rootfs.log" || how=cached
rootfs_secs=$( (grep -oE 'done in [0-9]+s' "${CACHE_ROOT}/logs/build-rootfs.log" || true) | grep -oE '[0-9]*' | awk '{s += $1} END {print s + 0}' || true)
summary+=("$(printf '%-18s %5ss  %s' build-rootfs "${rootfs_secs}" "${how} (alongside the Go builds)")")
images=(system fabric fabric-ca)
[[ "${E2E_SKIP_CHAINCODE:-0}" == 1 ]] || images+=(chaincode)
[[ "${E2E_SKIP_EXPOSURE:-0}" == 1 ]] || images+=(ingress)
[[ "${E2E_SKIP_APPLICATION:-0}" == 1 ]] || images+=(client)
[[ "${E2E_SKIP_MONITORING:-0}" == 1 ]] || images+=(monitoring)
[[ "${E2E_SKIP_BACKUP:-0}" == 1 ]] || images+=(backup-store)
step build-images "${KIT_DIR}/build-images.sh" "${images[@]}"
total=$(( $(date +%s) - t0 ))
echo "${total}" > "${CACHE_ROOT}/last-build-seconds"
printf '%s\n' "build summary:" "${summary[@]}" "total              ${total}s" >&2
