#!/usr/bin/env bash
# Installs a chaincode package on every peer of one organization and approves the chaincode
# definition for that organization. Each step checks first: installed packages, the committed
# sequence and the organization's existing approval.
#
# Env: CHANNEL, CC_NAME, CC_VERSION, CC_SEQUENCE, CC_PACKAGE_ID, CC_PACKAGE_FILE, CC_* policy flags,
#      PEERS ("address ..."), ORDERERS ("address=tlsCaFile ..."), CORE_PEER_* of the org admin.
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"

package_installed() {
  peer lifecycle chaincode queryinstalled --output json 2>/dev/null \
    | jq -e --arg id "${CC_PACKAGE_ID}" '(.installed_chaincodes // []) | any(.package_id == $id)' >/dev/null
}

approved_here() {
  [[ "$(approvals | jq -r --arg msp "${CORE_PEER_LOCALMSPID}" '.[$msp] // false')" == "true" ]]
}

approve() {
  with_any_orderer peer lifecycle chaincode approveformyorg "${DEFINITION[@]}" --package-id "${CC_PACKAGE_ID}"
}

for address in ${PEERS}; do
  use_peer "${address}"
  wait_for "peer ${address} to join ${CHANNEL}" peer_has_joined
  if package_installed; then
    log "package ${CC_PACKAGE_ID} already installed on ${address}"
  else
    peer lifecycle chaincode install "${CC_PACKAGE_FILE}"
    package_installed || fail "peer ${address} does not list package ${CC_PACKAGE_ID} after install; check that the package label and bytes match"
    log "installed ${CC_PACKAGE_ID} on ${address}"
  fi
done

use_peer "${PEERS%% *}"
chaincode_definition
committed=$(committed_sequence)
if ((committed >= CC_SEQUENCE)); then
  if ((committed > CC_SEQUENCE)); then
    log "warning: sequence ${committed} is committed, newer than this chart's ${CC_SEQUENCE}; raise the chart's sequence to change the definition"
  fi
  log "${CC_NAME} sequence ${committed} is already committed on ${CHANNEL}; nothing to approve"
  exit 0
fi
if approved_here; then
  log "${CORE_PEER_LOCALMSPID} already approved ${CC_NAME} sequence ${CC_SEQUENCE}"
  exit 0
fi
wait_for "approval of ${CC_NAME} sequence ${CC_SEQUENCE} by ${CORE_PEER_LOCALMSPID}" approve
log "${CORE_PEER_LOCALMSPID} approved ${CC_NAME} sequence ${CC_SEQUENCE} on ${CHANNEL}"
