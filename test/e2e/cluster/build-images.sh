#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Lays out the images the e2e network needs as OCI archives, without Docker:
#   fabric-peer, fabric-orderer, fabric-tools (Debian rootfs + Fabric build), fabric-ca, pause, coredns,
#   the reference chaincode image (Debian rootfs with nodejs + test/e2e/chaincode) and the Gateway
#   client image (the same rootfs + test/e2e/client).
#   Traefik, the cluster's Gateway API ingress (its static binary alone).
#   Prometheus with promtool, for the monitoring scenario (static binaries alone).
#   MinIO, the backup scenario's S3 server (its static binary and an empty /tmp).
# Needs build-rootfs.sh, build-fabric.sh, build-fabric-ca.sh and build-extras.sh to have run.
# Usage: build-images.sh [fabric|fabric-ca|system|chaincode|client|ingress|monitoring|backup-store]...   (default: all)
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

LAYERS="${IMAGES_DIR}/layers"
mkdir -p "${LAYERS}" "${IMAGES_DIR}/stage"

# layer_tar DIR OUT [keep-owners]: a reproducible tar of DIR's contents.
layer_tar() {
  local dir="$1" out="$2" owners=(--owner=0 --group=0)
  [[ "${3:-}" == keep-owners ]] && owners=()
  tar --sort=name --mtime=@0 --numeric-owner "${owners[@]}" \
      --exclude=./dev/* --exclude=./proc/* --exclude=./sys/* --exclude=./.hyperkube-complete \
      -C "${dir}" -cf "${out}.partial" .
  mv "${out}.partial" "${out}"
}

rootfs_layer() {
  local flavor="$1" out="${LAYERS}/rootfs-${DEBIAN_SUITE}-$1.tar"
  [[ -f "${ROOTFS_DIR}-${flavor}/.hyperkube-complete" ]] || die "rootfs ${flavor} missing: run build-rootfs.sh"
  [[ -f "${out}" ]] || layer_tar "${ROOTFS_DIR}-${flavor}" "${out}" keep-owners
  echo "${out}"
}

# image NAME CONFIG_JSON LAYER...: write IMAGES_DIR/<file>.tar unless it is there already.
image_file() { local n="${1//\//_}"; echo "${IMAGES_DIR}/${n//:/_}.oci.tar"; }
image() {
  local name="$1" cfg="$2"
  shift 2
  "${KIT_DIR}/oci-image.sh" "$(image_file "${name}")" "${name}" "${cfg}" "$@"
  log "image ${name}: written"
}

have_images() {
  local n
  for n in "$@"; do [[ -f "$(image_file "${n}")" ]] || return 1; done
}

# The peer image holds the kit's ccaas builder, which changes with the kit: the image is keyed by
# the builder binary's hash (fabric-peer-<tag>.key), so a new builder means a new peer image.
fabric_images() {
  [[ -x "${FABRIC_BIN}/peer" && -x "${FABRIC_BIN}/ccaas-builder" ]] || die "Fabric binaries missing: run build-fabric.sh"
  local tag="${FABRIC_VERSION}" base env key key_file="${IMAGES_DIR}/fabric-peer-${FABRIC_VERSION}.key" peer_fresh=0
  local peer="docker.io/hyperledger/fabric-peer:${tag}" orderer="docker.io/hyperledger/fabric-orderer:${tag}"
  local tools="docker.io/hyperledger/fabric-tools:${tag}"
  key=$(sha256sum "${FABRIC_BIN}/ccaas-builder" | cut -d' ' -f1)
  have_images "${peer}" && [[ "$(cat "${key_file}" 2>/dev/null)" == "${key}" ]] && peer_fresh=1
  if (( peer_fresh )) && have_images "${orderer}" "${tools}"; then
    log "fabric images ${tag}: cached"
    return
  fi
  base=$(rootfs_layer base)
  env="[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\"FABRIC_CFG_PATH=/etc/hyperledger/fabric\",\"FABRIC_VER=${tag}\"]"
  if (( ! peer_fresh )); then
    fabric_peer_image "${peer}" "${base}" "${env}"
    echo "${key}" > "${key_file}"
  fi
  have_images "${orderer}" || fabric_orderer_image "${orderer}" "${base}" "${env}"
  have_images "${tools}" || fabric_tools_image "${tools}" "${base}" "${env}"
}

# fabric_{peer,orderer,tools}_image NAME BASE_LAYER ENV_JSON
fabric_peer_image() {
  local s="${IMAGES_DIR}/stage/fabric-peer" layer="${LAYERS}/fabric-peer-${FABRIC_VERSION}.tar" step
  rm -rf "${s}"
  mkdir -p "${s}/usr/local/bin" "${s}/etc/hyperledger/fabric" "${s}/opt/hyperledger/ccaas_builder/bin" "${s}/var/hyperledger"
  cp "${FABRIC_BIN}/peer" "${s}/usr/local/bin/"
  cp -r "${FABRIC_CFG_SRC}/core.yaml" "${FABRIC_CFG_SRC}/msp" "${s}/etc/hyperledger/fabric/"
  for step in detect build release; do cp "${FABRIC_BIN}/ccaas-builder" "${s}/opt/hyperledger/ccaas_builder/bin/${step}"; done
  layer_tar "${s}" "${layer}"
  image "$1" \
    "{\"Env\":$3,\"Cmd\":[\"peer\",\"node\",\"start\"],\"ExposedPorts\":{\"7051/tcp\":{}},\"Volumes\":{\"/etc/hyperledger/fabric\":{},\"/var/hyperledger\":{}}}" \
    "$2" "${layer}"
}

fabric_orderer_image() {
  local s="${IMAGES_DIR}/stage/fabric-orderer" layer="${LAYERS}/fabric-orderer-${FABRIC_VERSION}.tar"
  rm -rf "${s}"
  mkdir -p "${s}/usr/local/bin" "${s}/etc/hyperledger/fabric" "${s}/var/hyperledger"
  cp "${FABRIC_BIN}/orderer" "${s}/usr/local/bin/"
  cp -r "${FABRIC_CFG_SRC}/orderer.yaml" "${FABRIC_CFG_SRC}/configtx.yaml" "${FABRIC_CFG_SRC}/msp" "${s}/etc/hyperledger/fabric/"
  layer_tar "${s}" "${layer}"
  image "$1" \
    "{\"Env\":$3,\"Cmd\":[\"orderer\"],\"ExposedPorts\":{\"7050/tcp\":{}},\"Volumes\":{\"/etc/hyperledger/fabric\":{},\"/var/hyperledger\":{}}}" \
    "$2" "${layer}"
}

fabric_tools_image() {
  local s="${IMAGES_DIR}/stage/fabric-tools" layer="${LAYERS}/fabric-tools-${FABRIC_VERSION}.tar" b
  rm -rf "${s}"
  mkdir -p "${s}/usr/local/bin" "${s}/etc/hyperledger" "${s}/var/hyperledger"
  for b in peer orderer osnadmin configtxgen configtxlator cryptogen discover ledgerutil; do
    cp "${FABRIC_BIN}/${b}" "${s}/usr/local/bin/"
  done
  cp -r "${FABRIC_CFG_SRC}" "${s}/etc/hyperledger/fabric"
  layer_tar "${s}" "${layer}"
  image "$1" \
    "{\"Env\":$3,\"Cmd\":[\"/bin/bash\"],\"Volumes\":{\"/etc/hyperledger/fabric\":{},\"/var/hyperledger\":{}}}" \
    "$2" "${layer}"
}

fabric_ca_image() {
  [[ -x "${FABRIC_CA_BIN}/fabric-ca-server" ]] || die "Fabric CA binaries missing: run build-fabric-ca.sh"
  if have_images "${FABRIC_CA_IMAGE}"; then
    log "fabric-ca image ${FABRIC_CA_VERSION}: cached"
    return
  fi
  local base s="${IMAGES_DIR}/stage/fabric-ca"
  base=$(rootfs_layer base)
  rm -rf "${s}"; mkdir -p "${s}/usr/local/bin" "${s}/etc/hyperledger/fabric-ca-server"
  cp "${FABRIC_CA_BIN}/fabric-ca-server" "${FABRIC_CA_BIN}/fabric-ca-client" "${s}/usr/local/bin/"
  layer_tar "${s}" "${LAYERS}/fabric-ca-${FABRIC_CA_VERSION}.tar"
  image "${FABRIC_CA_IMAGE}" \
    '{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","FABRIC_CA_HOME=/etc/hyperledger/fabric-ca-server"],"Cmd":["fabric-ca-server","start"],"ExposedPorts":{"7054/tcp":{}}}' \
    "${base}" "${LAYERS}/fabric-ca-${FABRIC_CA_VERSION}.tar"
}

system_images() {
  [[ -x "${PAUSE_BIN}/pause" && -x "${COREDNS_BIN}/coredns" ]] || die "pause/coredns missing: run build-extras.sh"
  if have_images "${PAUSE_IMAGE}" "${COREDNS_IMAGE}"; then
    log "system images: cached"
    return
  fi
  local s="${IMAGES_DIR}/stage/pause"
  rm -rf "${s}"; mkdir -p "${s}"
  cp "${PAUSE_BIN}/pause" "${s}/pause"
  layer_tar "${s}" "${LAYERS}/pause.tar"
  image "${PAUSE_IMAGE}" '{"Entrypoint":["/pause"]}' "${LAYERS}/pause.tar"

  s="${IMAGES_DIR}/stage/coredns"
  rm -rf "${s}"; mkdir -p "${s}/etc/coredns"
  cp "${COREDNS_BIN}/coredns" "${s}/coredns"
  layer_tar "${s}" "${LAYERS}/coredns-${COREDNS_VERSION}.tar"
  image "${COREDNS_IMAGE}" '{"Entrypoint":["/coredns"],"ExposedPorts":{"53/tcp":{},"53/udp":{}}}' \
    "${LAYERS}/coredns-${COREDNS_VERSION}.tar"
}

# Traefik's binary and an empty /tmp; rebuilt when the binary changes (images/traefik.key).
ingress_image() {
  [[ -x "${TRAEFIK_BIN}/traefik" ]] || die "traefik missing: run build-extras.sh"
  local s="${IMAGES_DIR}/stage/traefik" key
  key=$(sha256sum "${TRAEFIK_BIN}/traefik" | cut -d' ' -f1)
  if [[ -f "$(image_file "${TRAEFIK_IMAGE}")" && "$(cat "${IMAGES_DIR}/traefik.key" 2>/dev/null)" == "${key}" ]]; then
    log "ingress image: cached"
    return
  fi
  rm -rf "${s}"; mkdir -p "${s}/tmp"
  chmod 1777 "${s}/tmp"
  cp "${TRAEFIK_BIN}/traefik" "${s}/traefik"
  layer_tar "${s}" "${LAYERS}/traefik-${TRAEFIK_VERSION}.tar"
  image "${TRAEFIK_IMAGE}" '{"Entrypoint":["/traefik"],"ExposedPorts":{"8443/tcp":{}}}' "${LAYERS}/traefik-${TRAEFIK_VERSION}.tar"
  echo "${key}" > "${IMAGES_DIR}/traefik.key"
}

# Prometheus and promtool for the monitoring scenario, and an empty /tmp; rebuilt when the
# binary changes (images/prometheus.key).
monitoring_image() {
  [[ -x "${PROMETHEUS_BIN}/prometheus" ]] || die "prometheus missing: run build-extras.sh"
  local s="${IMAGES_DIR}/stage/prometheus" key
  key=$(sha256sum "${PROMETHEUS_BIN}/prometheus" | cut -d' ' -f1)
  if [[ -f "$(image_file "${PROMETHEUS_IMAGE}")" && "$(cat "${IMAGES_DIR}/prometheus.key" 2>/dev/null)" == "${key}" ]]; then
    log "monitoring image: cached"
    return
  fi
  rm -rf "${s}"; mkdir -p "${s}/bin" "${s}/tmp"
  chmod 1777 "${s}/tmp"
  cp "${PROMETHEUS_BIN}/prometheus" "${PROMETHEUS_BIN}/promtool" "${s}/bin/"
  layer_tar "${s}" "${LAYERS}/prometheus-${PROMETHEUS_VERSION}.tar"
  image "${PROMETHEUS_IMAGE}" '{"Entrypoint":["/bin/prometheus"],"ExposedPorts":{"9090/tcp":{}}}' "${LAYERS}/prometheus-${PROMETHEUS_VERSION}.tar"
  echo "${key}" > "${IMAGES_DIR}/prometheus.key"
}

# MinIO's binary and an empty /tmp; rebuilt when the binary changes (images/minio.key).
backup_store_image() {
  [[ -x "${MINIO_BIN}/minio" ]] || die "minio missing: run build-extras.sh"
  local s="${IMAGES_DIR}/stage/minio" key
  key=$(sha256sum "${MINIO_BIN}/minio" | cut -d' ' -f1)
  if [[ -f "$(image_file "${MINIO_IMAGE}")" && "$(cat "${IMAGES_DIR}/minio.key" 2>/dev/null)" == "${key}" ]]; then
    log "backup-store image: cached"
    return
  fi
  rm -rf "${s}"; mkdir -p "${s}/tmp"
  chmod 1777 "${s}/tmp"
  cp "${MINIO_BIN}/minio" "${s}/minio"
  layer_tar "${s}" "${LAYERS}/minio-${MINIO_VERSION}.tar"
  image "${MINIO_IMAGE}" '{"Entrypoint":["/minio"],"ExposedPorts":{"9000/tcp":{}}}' "${LAYERS}/minio-${MINIO_VERSION}.tar"
  echo "${key}" > "${IMAGES_DIR}/minio.key"
}

# The chaincode's build output and production dependencies, under /chaincode.
chaincode_image() {
  local src="${KIT_DIR}/../chaincode" s="${IMAGES_DIR}/stage/chaincode" base
  [[ -f "${src}/dist/index.js" && -x "${src}/entrypoint.sh" ]] \
    || die "chaincode not built: run 'npm ci && npm run build' in test/e2e/chaincode"
  base=$(rootfs_layer node)
  # Rebuild only when the chaincode's build output, lockfile or entrypoint changed.
  local key
  key=$(cd "${src}" && find dist package.json package-lock.json entrypoint.sh -type f -print0 | sort -z \
        | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
  if [[ -f "$(image_file "${CHAINCODE_IMAGE}")" && "$(cat "${IMAGES_DIR}/chaincode.key" 2>/dev/null)" == "${key}" ]]; then
    log "chaincode image: cached"
    return
  fi
  rm -rf "${s}"; mkdir -p "${s}/chaincode"
  cp -r "${src}/dist" "${src}/package.json" "${src}/package-lock.json" "${src}/entrypoint.sh" "${s}/chaincode/"
  ( cd "${s}/chaincode" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null )
  layer_tar "${s}" "${LAYERS}/chaincode.tar"
  image "${CHAINCODE_IMAGE}" \
    '{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","NODE_ENV=production"],"Entrypoint":["/chaincode/entrypoint.sh"],"WorkingDir":"/chaincode","ExposedPorts":{"9999/tcp":{}}}' \
    "${base}" "${LAYERS}/chaincode.tar"
  echo "${key}" > "${IMAGES_DIR}/chaincode.key"
}

# The Gateway client's build output and production dependencies, under /client; it runs as
# `node /client/dist/main.js <command>`, its command given by the pod's args.
client_image() {
  local src="${KIT_DIR}/../client" s="${IMAGES_DIR}/stage/client" base key
  [[ -f "${src}/dist/main.js" ]] || die "client not built: run 'npm ci && npm run build' in test/e2e/client"
  base=$(rootfs_layer node)
  # Rebuild only when the client's build output or lockfile changed.
  key=$(cd "${src}" && find dist package.json package-lock.json -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
  if [[ -f "$(image_file "${CLIENT_IMAGE}")" && "$(cat "${IMAGES_DIR}/client.key" 2>/dev/null)" == "${key}" ]]; then
    log "client image: cached"
    return
  fi
  rm -rf "${s}"; mkdir -p "${s}/client"
  cp -r "${src}/dist" "${src}/package.json" "${src}/package-lock.json" "${s}/client/"
  ( cd "${s}/client" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null )
  layer_tar "${s}" "${LAYERS}/client.tar"
  image "${CLIENT_IMAGE}" \
    '{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","NODE_ENV=production"],"Entrypoint":["node","/client/dist/main.js"],"Cmd":["help"],"WorkingDir":"/client"}' \
    "${base}" "${LAYERS}/client.tar"
  echo "${key}" > "${IMAGES_DIR}/client.key"
}

what=("$@")
(( ${#what[@]} )) || what=(system fabric fabric-ca chaincode client ingress monitoring backup-store)
for w in "${what[@]}"; do
  case "${w}" in
    fabric) fabric_images ;;
    fabric-ca) fabric_ca_image ;;
    system) system_images ;;
    ingress) ingress_image ;;
    backup-store) backup_store_image ;;
    chaincode) chaincode_image ;;
    client) client_image ;;
    monitoring) monitoring_image ;;
    *) die "unknown image set ${w}" ;;
  esac
done
