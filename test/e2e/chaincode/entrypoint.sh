#!/usr/bin/env bash
# Starts the chaincode as a gRPC server (Fabric "chaincode as a service").
#
# Required environment:
#   CHAINCODE_SERVER_ADDRESS  host:port to listen on, e.g. 0.0.0.0:9999
#   CHAINCODE_ID              package ID the peer knows this chaincode by (label:sha256)
# Optional environment (server-side TLS; set both or neither):
#   CHAINCODE_TLS_CERT_FILE   PEM server certificate (may include intermediates)
#   CHAINCODE_TLS_KEY_FILE    PEM private key for that certificate
#   CHAINCODE_TLS_CLIENT_CA_FILE  PEM CA bundle; when set, peers must present a client certificate
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Call the CLI script directly (not the .bin symlink) so a copy that dereferences links still works.
cli="${here}/node_modules/fabric-shim/cli.js"

fail() {
  echo "entrypoint: $*" >&2
  exit 64
}

[[ -n "${CHAINCODE_SERVER_ADDRESS:-}" ]] || fail "CHAINCODE_SERVER_ADDRESS is not set (want host:port, e.g. 0.0.0.0:9999)"
[[ -n "${CHAINCODE_ID:-}" ]] || fail "CHAINCODE_ID is not set (want the chaincode package ID, label:hash)"
[[ -f "${cli}" ]] || fail "${cli} not found; run 'npm ci' in ${here}"
command -v node >/dev/null || fail "node is not on PATH"

args=(
  server
  --chaincode-address "${CHAINCODE_SERVER_ADDRESS}"
  --chaincode-id "${CHAINCODE_ID}"
  --module-path "${here}"
)

cert="${CHAINCODE_TLS_CERT_FILE:-}"
key="${CHAINCODE_TLS_KEY_FILE:-}"
client_ca="${CHAINCODE_TLS_CLIENT_CA_FILE:-}"

if [[ -n "${cert}" || -n "${key}" ]]; then
  [[ -n "${cert}" && -n "${key}" ]] || fail "set both CHAINCODE_TLS_CERT_FILE and CHAINCODE_TLS_KEY_FILE, or neither"
  [[ -r "${cert}" ]] || fail "TLS certificate ${cert} is not readable"
  [[ -r "${key}" ]] || fail "TLS key ${key} is not readable"
  args+=(--chaincode-tls-cert-file "${cert}" --chaincode-tls-key-file "${key}")
  if [[ -n "${client_ca}" ]]; then
    [[ -r "${client_ca}" ]] || fail "TLS client CA ${client_ca} is not readable"
    args+=(--chaincode-tls-client-cacert-file "${client_ca}")
    tls_mode="TLS with client authentication"
  else
    tls_mode="TLS (server side only)"
  fi
else
  [[ -z "${client_ca}" ]] || fail "CHAINCODE_TLS_CLIENT_CA_FILE is set but TLS is off; set the cert and key too"
  tls_mode="plaintext"
fi

echo "entrypoint: chaincode ${CHAINCODE_ID} listening on ${CHAINCODE_SERVER_ADDRESS}, ${tls_mode}"
exec node "${cli}" "${args[@]}"
