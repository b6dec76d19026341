#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Builds fabric-ca-server and fabric-ca-client from the Fabric CA module as the Go module proxy
# serves it (cgo on: the server's SQLite driver is C).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
go_env
export CGO_ENABLED=1

out="${FABRIC_CA_BIN}"
if [[ -x "${out}/fabric-ca-server" && -x "${out}/fabric-ca-client" ]]; then
  log "fabric-ca ${FABRIC_CA_VERSION}: cached in ${out}"
  exit 0
fi

tmpmod="$(mktemp -d)"
trap 'rm -rf "${tmpmod}"' EXIT
( cd "${tmpmod}" && go mod init hyperkube.local/e2e/fabric-ca-fetch >/dev/null 2>&1 )
log "fabric-ca ${FABRIC_CA_VERSION}: downloading github.com/hyperledger/fabric-ca@v${FABRIC_CA_VERSION}"
src=$(cd "${tmpmod}" && go mod download -json "github.com/hyperledger/fabric-ca@v${FABRIC_CA_VERSION}" | jq -r .Dir)
[[ -d "${src}/cmd/fabric-ca-server" ]] || die "fabric-ca module has no cmd/fabric-ca-server at ${src}"

# Build from a writable copy without its vendor folder: dependencies come from the proxy.
work="$(dirname "${out}")/src"
mkdir -p "$(dirname "${out}")"
rm -rf "${work}"
cp -r "${src}" "${work}"
chmod -R u+w "${work}"
rm -rf "${work}/vendor"

mkdir -p "${out}.partial"
ldflags="-s -w -X github.com/hyperledger/fabric-ca/lib/metadata.Version=${FABRIC_CA_VERSION}"
cd "${work}"
for c in fabric-ca-server fabric-ca-client; do
  log "fabric-ca ${FABRIC_CA_VERSION}: building ${c}"
  start=$(date +%s)
  go build -mod=mod -trimpath -ldflags="${ldflags}" -o "${out}.partial/${c}" "./cmd/${c}"
  log "fabric-ca ${FABRIC_CA_VERSION}: built ${c} in $(( $(date +%s) - start ))s"
done
cd /
rm -rf "${work}" "${out}"
mv "${out}.partial" "${out}"
log "fabric-ca ${FABRIC_CA_VERSION}: done"
