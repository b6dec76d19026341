#!/usr/bin/env bash
# Installs one organization's chaincode package on each of its peers, approves the chart's
# definition for the organization, and waits until that definition is committed with this
# organization's approval of this package. Each pass reads the live state before it acts
# (chaincode.sh), so a lost response never makes it submit again what already landed.
#
# What it approves:
#   - the committed definition is the chart's: the committed sequence again, when this org's
#     approval of it names another package (a new image, TLS, ...) or none (a new org);
#   - it differs: committed + 1 (or the chart's explicit sequence), for the commit Job to commit.
#
# Once committed, it deletes the org's servers of earlier packages of the chaincode: no peer of the
# org runs those any more. Before approving, it waits until the package's own server is ready.
#
# Env: as chaincode.sh, plus CC_PACKAGE_ID, CC_PACKAGE_FILE, PEERS ("address ..."), CC_SERVER and
#      CC_SERVER_REPLICAS (the package's server), CC_RETIRE_SELECTOR (the org's servers of it).
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
# shellcheck source=kube-api.sh
source "$(dirname "$0")/kube-api.sh"
# shellcheck source=chaincode.sh
source "$(dirname "$0")/chaincode.sh"

read -r -a APPROVING_PEERS <<<"${PEERS}"
APPROVING_INDEX=0
INSTALL_SUBMITTED=""
APPROVE_SUBMITTED=""

# install_pass: one pass of installing the package on the current peer.
install_pass() {
  if ! cc_cli peer lifecycle chaincode queryinstalled --output json; then
    cc_refuse_if_final "the query of the packages installed on ${CORE_PEER_ADDRESS}"
    return 1
  fi
  if jq -e --arg id "${CC_PACKAGE_ID}" '(.installed_chaincodes // []) | any(.package_id == $id)' "${CC_OUT}" >/dev/null; then
    return 0
  fi
  if [[ "${INSTALL_SUBMITTED}" == "${CORE_PEER_ADDRESS}" ]]; then
    fail "peer ${CORE_PEER_ADDRESS} took the package but does not list ${CC_PACKAGE_ID}; the package's label or bytes do not match that ID"
  fi
  if cc_cli peer lifecycle chaincode install "${CC_PACKAGE_FILE}" || [[ "${CC_REASON}" == *"chaincode already successfully installed"* ]]; then
    INSTALL_SUBMITTED=${CORE_PEER_ADDRESS}
    log "installed ${CC_PACKAGE_ID} on ${CORE_PEER_ADDRESS}"
    return 2
  fi
  cc_refuse_if_final "the install of ${CC_PACKAGE_ID} on ${CORE_PEER_ADDRESS}"
  return 1
}

# approve_pass: one pass of bringing this organization's approval to the chart's definition.
approve_pass() {
  use_peer "${APPROVING_PEERS[APPROVING_INDEX]}"
  cc_read_committed || return 1
  cc_plan
  cc_read_approved "${CC_TARGET}" || return 1
  if [[ -n "${CC_APPROVED}" && "${CC_APPROVED_PACKAGE}" == "${CC_PACKAGE_ID}" ]] && cc_same "${CC_APPROVED}" "${CC_DEFINITION}"; then
    if [[ "${CC_UNCHANGED}" == true ]]; then
      return 0
    fi
    local waiting="${CORE_PEER_LOCALMSPID} approved sequence ${CC_TARGET}, which is not committed yet"
    if cc_read_approvals "${CC_TARGET}"; then
      CC_REASON="${waiting} (approvals: ${CC_APPROVALS})"
    else
      CC_REASON="${waiting} (approvals unknown: ${CC_REASON})"
    fi
    return 1
  fi
  if [[ "${APPROVE_SUBMITTED}" == "${CC_TARGET}" ]]; then
    fail "Fabric took ${CORE_PEER_LOCALMSPID}'s approval of ${CC_NAME} sequence ${CC_TARGET}, but queryapproved shows ${CC_APPROVED_PACKAGE:-no package} and ${CC_APPROVED:-no definition}"
  fi
  # The approval points the org's peers at the package: its server must be serving first.
  cc_server_ready || return 1
  if [[ "${CC_UNCHANGED}" == true ]]; then
    log "the committed definition of ${CC_NAME} (sequence ${CC_TARGET}) is the chart's; ${CORE_PEER_LOCALMSPID} approved it with ${CC_APPROVED_PACKAGE:-nothing}, approving it with ${CC_PACKAGE_ID}"
  else
    log "approving ${CC_NAME} sequence ${CC_TARGET} for ${CORE_PEER_LOCALMSPID}: $(cc_describe_change)"
  fi
  cc_definition_flags "${CC_TARGET}"
  if cc_submit peer lifecycle chaincode approveformyorg "${CC_FLAGS[@]}" --package-id "${CC_PACKAGE_ID}"; then
    APPROVE_SUBMITTED=${CC_TARGET}
    log "${CORE_PEER_LOCALMSPID} approved ${CC_NAME} sequence ${CC_TARGET} with ${CC_PACKAGE_ID} on ${CHANNEL}"
    return 2
  fi
  cc_refuse_if_final "${CORE_PEER_LOCALMSPID}'s approval of ${CC_NAME} sequence ${CC_TARGET}"
  return 1
}

# peers_follow_pass: one pass of checking that every peer of the org has the chart's definition
# committed, so none of them still runs the package of an earlier one.
peers_follow_pass() {
  local address
  for address in "${APPROVING_PEERS[@]}"; do
    use_peer "${address}"
    cc_read_committed || return 1
    if ((CC_COMMITTED_SEQUENCE < CC_TARGET)); then
      CC_REASON="peer ${address} has sequence ${CC_COMMITTED_SEQUENCE} of ${CC_NAME} committed, not ${CC_TARGET} yet"
      return 1
    fi
  done
}

# approve_on_a_peer: an approve pass; when the peer cannot be reached, the next pass uses the next peer.
approve_on_a_peer() {
  local status=0
  approve_pass || status=$?
  if ((status == 1)) && [[ "${CC_REASON}" == *"failed to connect"* || "${CC_REASON}" == *"connection refused"* || "${CC_REASON}" == *"no such host"* ]]; then
    APPROVING_INDEX=$(((APPROVING_INDEX + 1) % ${#APPROVING_PEERS[@]}))
  fi
  return "${status}"
}

for address in "${APPROVING_PEERS[@]}"; do
  use_peer "${address}"
  cc_reconcile "package ${CC_PACKAGE_ID} on ${address}" install_pass
  log "package ${CC_PACKAGE_ID} is installed on ${address}"
done

cc_reconcile "${CC_NAME} committed on ${CHANNEL} with ${CORE_PEER_LOCALMSPID}'s approval of ${CC_PACKAGE_ID}" approve_on_a_peer
log "${CC_NAME} sequence ${CC_TARGET} is committed on ${CHANNEL} with the chart's definition, and ${CORE_PEER_LOCALMSPID} approved it with ${CC_PACKAGE_ID}"

# Servers of earlier packages served the peers until now; none of them uses those packages any more.
cc_reconcile "every peer of ${CORE_PEER_LOCALMSPID} to have sequence ${CC_TARGET} of ${CC_NAME}" peers_follow_pass
cc_retire_servers "${CC_RETIRE_SELECTOR},app.kubernetes.io/instance!=${CC_SERVER}" \
  "${CORE_PEER_LOCALMSPID}'s peers run ${CC_NAME} from ${CC_PACKAGE_ID}, served by ${CC_SERVER}"
