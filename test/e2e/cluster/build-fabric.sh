#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Builds the Hyperledger Fabric binaries the images need, from the Fabric module as the Go
# module proxy serves it (its dependencies from the proxy too), plus the kit's
# own CCaaS external builder and the sampleconfig folder of the same commit.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
go_env

root="${CACHE_ROOT}/fabric-${FABRIC_VERSION}"
out="${root}/bin"
cmds=(peer orderer osnadmin configtxgen configtxlator cryptogen discover ledgerutil)

# The builder is the kit's own code and changes with it, unlike Fabric: it is keyed by the hash
# of its sources (tests left out), kept beside the binary as ccaas-builder.key.
builder_key=$(cd "${KIT_DIR}/ccaas-builder" \
  && find . -maxdepth 1 -type f \( -name go.mod -o -name go.sum -o -name '*.go' ! -name '*_test.go' \) -print0 \
  | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)

# build_builder DIR: the builder into DIR; the key goes last, so a broken build is redone.
# go_env's -buildvcs=false keeps the binary the same for the same sources (the peer image is keyed by it).
build_builder() {
  log "fabric ${FABRIC_VERSION}: building the kit's ccaas builder"
  ( cd "${KIT_DIR}/ccaas-builder" && go build -trimpath -ldflags="-s -w" -o "$1/ccaas-builder" . )
  echo "${builder_key}" > "$1/ccaas-builder.key"
}

have_fabric=1
for c in "${cmds[@]}"; do [[ -x "${out}/${c}" ]] || have_fabric=0; done
[[ -f "${root}/sampleconfig/core.yaml" ]] || have_fabric=0
if (( have_fabric )); then
  if [[ -x "${out}/ccaas-builder" && "$(cat "${out}/ccaas-builder.key" 2>/dev/null)" == "${builder_key}" ]]; then
    log "fabric ${FABRIC_VERSION}: cached in ${out}"
    exit 0
  fi
  # Only the builder is stale: peer and orderer do not depend on it and take minutes.
  build_builder "${out}"
  log "fabric ${FABRIC_VERSION}: done"
  exit 0
fi

mkdir -p "${root}"
tmpmod="$(mktemp -d)"
trap 'rm -rf "${tmpmod}"' EXIT
( cd "${tmpmod}" && go mod init hyperkube.local/e2e/fabric-fetch >/dev/null 2>&1 )
log "fabric ${FABRIC_VERSION}: downloading github.com/hyperledger/fabric@${FABRIC_GOVERSION}"
src=$(cd "${tmpmod}" && go mod download -json "github.com/hyperledger/fabric@${FABRIC_GOVERSION}" | jq -r .Dir)
[[ -d "${src}/cmd/peer" ]] || die "fabric module has no cmd/peer at ${src}"

# The module cache is read-only; build from a writable copy. Module zips carry no vendored
# code, so the copy's vendor folder (only modules.txt) goes and dependencies come from the proxy.
work="${root}/src"
rm -rf "${work}"
cp -r "${src}" "${work}"
chmod -R u+w "${work}"
rm -rf "${work}/vendor"

rm -rf "${root}/sampleconfig"
cp -r "${work}/sampleconfig" "${root}/sampleconfig"

mkdir -p "${out}.partial"
meta=github.com/hyperledger/fabric/common/metadata
ldflags="-s -w -X ${meta}.Version=${FABRIC_VERSION} -X ${meta}.CommitSHA=${FABRIC_COMMIT:0:9}"
ldflags+=" -X ${meta}.BaseDockerLabel=org.hyperledger.fabric -X ${meta}.DockerNamespace=hyperledger"
cd "${work}"
for c in "${cmds[@]}"; do
  [[ -x "${out}.partial/${c}" ]] && continue
  log "fabric ${FABRIC_VERSION}: building ${c}"
  start=$(date +%s)
  go build -mod=mod -trimpath -ldflags="${ldflags}" -o "${out}.partial/${c}" "./cmd/${c}"
  log "fabric ${FABRIC_VERSION}: built ${c} in $(( $(date +%s) - start ))s"
done

build_builder "${out}.partial"

cd "${root}"
rm -rf "${work}" "${out}"
mv "${out}.partial" "${out}"
log "fabric ${FABRIC_VERSION}: done"
