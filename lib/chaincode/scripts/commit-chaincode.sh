#!/usr/bin/env bash
# Commits the chart's chaincode definition once every organization in APPROVERS has approved it
# at the sequence it belongs at, then reads it back. Each pass reads the committed definition
# first (chaincode.sh): when it already is the chart's, nothing is submitted, so a response lost
# after the commit landed never makes it commit again. It exits 0 only when the committed
# definition is the chart's.
#
# Env: as chaincode.sh, plus PEERS (the committer's peer), APPROVERS ("MSPID ..."),
#      ENDORSING_PEERS ("address=tlsCaFile ...", a peer of each approving org), CC_RETIRE_SELECTOR
#      (the servers of organizations that no longer run the chaincode, deleted once it is committed),
#      DISCOVERY_PEERS ("address=tlsCaFile ...", every peer of the organizations that run it).
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
# shellcheck source=kube-api.sh
source "$(dirname "$0")/kube-api.sh"
# shellcheck source=chaincode.sh
source "$(dirname "$0")/chaincode.sh"

COMMIT_SUBMITTED=""

# commit_pass: one pass of bringing the committed definition to the chart's.
commit_pass() {
  cc_read_committed || return 1
  if [[ -n "${COMMIT_SUBMITTED}" ]] && ! { ((CC_COMMITTED_SEQUENCE > 0)) && cc_same "${CC_COMMITTED}" "${CC_DEFINITION}"; }; then
    if ((CC_COMMITTED_SEQUENCE < COMMIT_SUBMITTED)); then
      fail "Fabric took the commit of ${CC_NAME} sequence ${COMMIT_SUBMITTED}, but ${CORE_PEER_ADDRESS} shows sequence ${CC_COMMITTED_SEQUENCE} committed"
    fi
    cc_refuse "sequence ${CC_COMMITTED_SEQUENCE} of ${CC_NAME} is committed, but it differs from the chart: $(cc_differences "${CC_COMMITTED}" "${CC_DEFINITION}")"
  fi
  cc_plan
  if [[ "${CC_UNCHANGED}" == true ]]; then
    return 0
  fi
  cc_read_approvals "${CC_TARGET}" || return 1
  local missing
  missing=$(jq -r --arg approvers "${APPROVERS}" '. as $a | [$approvers | split(" ")[] | select(length > 0) | select($a[.] != true)] | join(" ")' <<<"${CC_APPROVALS}")
  if [[ -n "${missing}" ]]; then
    CC_REASON="sequence ${CC_TARGET} is not approved yet by ${missing} (approvals: ${CC_APPROVALS})"
    return 1
  fi
  log "committing ${CC_NAME} sequence ${CC_TARGET} on ${CHANNEL}, approved by ${APPROVERS}: $(cc_describe_change)"
  local entry endorsers=()
  for entry in ${ENDORSING_PEERS}; do
    endorsers+=(--peerAddresses "${entry%%=*}" --tlsRootCertFiles "${entry#*=}")
  done
  cc_definition_flags "${CC_TARGET}"
  if cc_submit peer lifecycle chaincode commit "${CC_FLAGS[@]}" "${endorsers[@]}"; then
    COMMIT_SUBMITTED=${CC_TARGET}
    log "Fabric took the commit of ${CC_NAME} sequence ${CC_TARGET}; reading it back"
    return 2
  fi
  cc_refuse_if_final "the commit of ${CC_NAME} sequence ${CC_TARGET}"
  return 1
}

# cc_discoverable ADDRESS TLS_CA: true when service discovery at the peer at ADDRESS names a set of
# endorsers of CC_NAME that satisfies its endorsement policy, which a gateway there needs for a
# submit. Gossip tells the peers who runs what a few seconds after the commit; until then an
# application's first submit fails with "no combination of peers can be derived".
cc_discoverable() {
  discover --peerTLSCA "$2" --MSP "${CORE_PEER_LOCALMSPID}" \
    --userCert "${CORE_PEER_MSPCONFIGPATH}/signcerts/cert.pem" --userKey "${CORE_PEER_MSPCONFIGPATH}/keystore/key.pem" \
    endorsers --channel "${CHANNEL}" --chaincode "${CC_NAME}" --server "$1" >"${WORK_DIR}/endorsers.json"
}

use_peer "${PEERS%% *}"
cc_reconcile "the chart's definition of ${CC_NAME} committed on ${CHANNEL}" commit_pass
log "${CC_NAME} version ${CC_VERSION} sequence ${CC_TARGET} is committed on ${CHANNEL} with the chart's definition"
cc_retire_servers "${CC_RETIRE_SELECTOR}" "the organization no longer runs ${CC_NAME} on ${CHANNEL}"
for entry in ${DISCOVERY_PEERS}; do
  wait_for "endorsers of ${CC_NAME} on ${CHANNEL} discoverable at ${entry%%=*}" cc_discoverable "${entry%%=*}" "${entry#*=}"
done
log "every peer that runs ${CC_NAME} names endorsers that satisfy its endorsement policy: applications can submit"
