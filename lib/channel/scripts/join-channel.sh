#!/usr/bin/env bash
# Joins every peer of one organization to channel $CHANNEL. Peers that already joined are
# skipped; the genesis block comes from the orderers once the channel exists there.
#
# Env: CHANNEL, PEERS ("address ..."), ORDERERS ("address=tlsCaFile ..."), CORE_PEER_* of the org admin.
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"

block="${WORK_DIR}/${CHANNEL}.block"
# How long an orderer may answer FORBIDDEN (38 attempts, about three minutes) before the pod fails
# naming the difference.
FORBIDDEN_ATTEMPTS="${FORBIDDEN_ATTEMPTS:-38}"

# wait_for_genesis: waits until the orderers hand out the channel's genesis block. FORBIDDEN
# means the channel exists but its config lacks this org: the channel's reconcile Job adds it
# within a minute or two, so that is waited for, and past FORBIDDEN_ATTEMPTS the pod fails saying
# what differs from the model, instead of waiting as if the channel did not exist.
wait_for_genesis() {
  local attempt reason delay forbidden=0
  for ((attempt = 1; attempt <= WAIT_ATTEMPTS; attempt++)); do
    if fetch_genesis "${block}" 2>"${WORK_DIR}/fetch.err"; then
      return 0
    fi
    reason=$(last_reason "${WORK_DIR}/fetch.err")
    delay=$(wait_delay "${attempt}")
    if [[ "${reason}" == *FORBIDDEN* ]]; then
      forbidden=$((forbidden + 1))
      if ((forbidden >= FORBIDDEN_ATTEMPTS)); then
        fail "the orderers refuse ${CORE_PEER_LOCALMSPID} the blocks of ${CHANNEL} (${reason}): the channel exists, but its config does not have ${CORE_PEER_LOCALMSPID}, which the chart makes a member. The channel's reconcile Job adds members; its log says why it has not: kubectl logs -l hyperkube.io/step=reconcile-channel"
      fi
      log "waiting for the config of ${CHANNEL} to have ${CORE_PEER_LOCALMSPID} (attempt ${forbidden}/${FORBIDDEN_ATTEMPTS}, next in ${delay}s): ${reason}"
    else
      forbidden=0
      log "waiting for channel ${CHANNEL} to exist on the orderers (attempt ${attempt}/${WAIT_ATTEMPTS}, next in ${delay}s): ${reason}"
    fi
    sleep "${delay}"
  done
  fail "gave up waiting for channel ${CHANNEL} on the orderers after ${WAIT_ATTEMPTS} attempts; last reason: ${reason}"
}

for address in ${PEERS}; do
  use_peer "${address}"
  wait_for "peer ${address} to answer" peer_reachable
  if peer_has_joined; then
    log "peer ${address} already joined ${CHANNEL}"
    continue
  fi
  if [[ ! -s "${block}" ]]; then
    wait_for_genesis
  fi
  peer channel join -b "${block}"
  wait_for "peer ${address} to list ${CHANNEL}" peer_has_joined
  log "peer ${address} joined ${CHANNEL}"
done
log "every peer of ${CORE_PEER_LOCALMSPID} is on ${CHANNEL}"
