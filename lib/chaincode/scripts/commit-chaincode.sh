#!/usr/bin/env bash
# Commits a chaincode definition once every organization that runs it has approved it, then
# checks that the committed sequence is the one asked for.
#
# Env: CHANNEL, CC_NAME, CC_VERSION, CC_SEQUENCE, CC_* policy flags, PEERS (the committer's peer),
#      APPROVERS ("MSPID ..."), ENDORSING_PEERS ("address=tlsCaFile ..."),
#      ORDERERS ("address=tlsCaFile ..."), CORE_PEER_* of the committing org's admin.
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"

use_peer "${PEERS%% *}"
wait_for "peer ${CORE_PEER_ADDRESS} to join ${CHANNEL}" peer_has_joined
chaincode_definition

all_approved() {
  local current msp
  current=$(approvals) || return 1
  for msp in ${APPROVERS}; do
    if [[ "$(jq -r --arg msp "${msp}" '.[$msp] // false' <<<"${current}")" != "true" ]]; then
      log "${msp} has not approved ${CC_NAME} sequence ${CC_SEQUENCE} yet (approvals: ${current})"
      return 1
    fi
  done
}

commit() {
  local entry endorsers=()
  for entry in ${ENDORSING_PEERS}; do
    endorsers+=(--peerAddresses "${entry%%=*}" --tlsRootCertFiles "${entry#*=}")
  done
  with_any_orderer peer lifecycle chaincode commit "${DEFINITION[@]}" "${endorsers[@]}"
}

sequence_committed() {
  (($(committed_sequence) >= CC_SEQUENCE))
}

if sequence_committed; then
  log "${CC_NAME} sequence $(committed_sequence) is already committed on ${CHANNEL}; nothing to do"
  exit 0
fi
wait_for "approvals of ${APPROVERS}" all_approved
wait_for "commit of ${CC_NAME} sequence ${CC_SEQUENCE}" commit
wait_for "${CC_NAME} sequence ${CC_SEQUENCE} to show as committed" sequence_committed
log "committed ${CC_NAME} version ${CC_VERSION} sequence ${CC_SEQUENCE} on ${CHANNEL}"
