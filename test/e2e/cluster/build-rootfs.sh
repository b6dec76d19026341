#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Builds the Debian root filesystems the kit's images start from, with debootstrap.
#   base: minbase + bash, coreutils, sed, grep, ca-certificates, jq, curl (Fabric images)
#   node: base + Debian's nodejs (the reference chaincode image)
# Usage: build-rootfs.sh [base|node]...   (default: both)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

flavors=("$@")
(( ${#flavors[@]} )) || flavors=(base node)

for flavor in "${flavors[@]}"; do
  target="${ROOTFS_DIR}-${flavor}"
  if [[ -f "${target}/.hyperkube-complete" ]]; then
    log "rootfs ${flavor}: cached in ${target}"
    continue
  fi
  include="bash,ca-certificates,jq,curl,procps"
  case "${flavor}" in
    base) ;;
    node) include="${include},nodejs" ;;
    *) die "unknown rootfs flavor ${flavor}" ;;
  esac
  rm -rf "${target}"
  mkdir -p "${target}" "${CACHE_ROOT}/logs"
  log "rootfs ${flavor}: debootstrap ${DEBIAN_SUITE} (minbase, ${include})"
  start=$(date +%s)
  debootstrap --variant=minbase --include="${include}" "${DEBIAN_SUITE}" "${target}" "${DEBIAN_MIRROR}" \
    > "${CACHE_ROOT}/logs/debootstrap-${flavor}.log" 2>&1 \
    || { tail -20 "${CACHE_ROOT}/logs/debootstrap-${flavor}.log"; die "debootstrap ${flavor} failed"; }
  # Images carry no package caches, no apt lists and no machine identity.
  rm -rf "${target}/var/cache/apt/archives/"*.deb "${target}/var/lib/apt/lists/"* \
         "${target}/var/log/"* "${target}/tmp/"* "${target}/root/.cache"
  : > "${target}/etc/machine-id"
  # Containers get resolv.conf and hosts from the runtime; leave the files empty.
  : > "${target}/etc/resolv.conf"
  touch "${target}/.hyperkube-complete"
  log "rootfs ${flavor}: done in $(( $(date +%s) - start ))s"
done
