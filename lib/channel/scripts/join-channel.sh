#!/usr/bin/env bash
# Joins every peer of one organization to channel $CHANNEL. Peers that already joined are
# skipped; the genesis block comes from the orderers once the channel exists there.
#
# Env: CHANNEL, PEERS ("address ..."), ORDERERS ("address=tlsCaFile ..."), CORE_PEER_* of the org admin.
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"

block="${WORK_DIR}/${CHANNEL}.block"

for address in ${PEERS}; do
  use_peer "${address}"
  wait_for "peer ${address} to answer" peer_reachable
  if peer_has_joined; then
    log "peer ${address} already joined ${CHANNEL}"
    continue
  fi
  if [[ ! -s "${block}" ]]; then
    wait_for "channel ${CHANNEL} to exist on the orderers" fetch_genesis "${block}"
  fi
  peer channel join -b "${block}"
  wait_for "peer ${address} to list ${CHANNEL}" peer_has_joined
  log "peer ${address} joined ${CHANNEL}"
done
log "every peer of ${CORE_PEER_LOCALMSPID} is on ${CHANNEL}"
