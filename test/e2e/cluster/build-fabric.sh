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
have_all=1
for c in "${cmds[@]}" ccaas-builder; do [[ -x "${out}/${c}" ]] || have_all=0; done
if (( have_all )) && [[ -f "${root}/sampleconfig/core.yaml" ]]; then
  log "fabric ${FABRIC_VERSION}: cached in ${out}"
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

log "fabric ${FABRIC_VERSION}: building the kit's ccaas builder"
( cd "${KIT_DIR}/ccaas-builder" && GOFLAGS=-mod=mod go build -trimpath -ldflags="-s -w" -o "${out}.partial/ccaas-builder" . )

cd "${root}"
rm -rf "${work}" "${out}"
mv "${out}.partial" "${out}"
log "fabric ${FABRIC_VERSION}: done"
