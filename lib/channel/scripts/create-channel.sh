#!/usr/bin/env bash
# Creates application channel $CHANNEL on every Raft consenter through the channel participation
# API (osnadmin). Consenters that already have the channel are left alone; if some have it and
# others not, the others join with the existing genesis block, never a new one.
#
# Env: CHANNEL, CONFIGTX_DIR, PROFILE, CONSENTERS ("adminAddress=adminTlsDir ..."),
#      ORDERERS ("address=tlsCaFile ..."), CORE_PEER_* of an ordering org admin.
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"

block="${WORK_DIR}/${CHANNEL}.block"

# osnadmin_status ENTRY SUBCOMMAND [ARG...]: runs osnadmin against one consenter and prints
# the HTTP status it reports (osnadmin exits 0 on any HTTP reply, so the status is the answer).
osnadmin_status() {
  local entry=$1 output
  shift
  output=$(osnadmin channel "$@" -o "${entry%%=*}" --ca-file "${entry#*=}/ca.crt" \
    --client-cert "${entry#*=}/tls.crt" --client-key "${entry#*=}/tls.key" 2>&1) || true
  printf '%s\n' "${output}" >"${WORK_DIR}/osnadmin.out"
  sed -n 's/^Status: \([0-9][0-9]*\).*/\1/p' <<<"${output}" | head -n 1
}

admin_endpoint_answers() {
  local status
  status=$(osnadmin_status "$1" list --channelID "${CHANNEL}")
  [[ "${status}" == 200 || "${status}" == 404 ]]
}

missing=()
present=0
for entry in ${CONSENTERS}; do
  wait_for "admin endpoint of consenter ${entry%%=*}" admin_endpoint_answers "${entry}"
  if [[ "$(osnadmin_status "${entry}" list --channelID "${CHANNEL}")" == 200 ]]; then
    log "consenter ${entry%%=*} already has channel ${CHANNEL}"
    present=$((present + 1))
  else
    missing+=("${entry}")
  fi
done

if ((${#missing[@]} == 0)); then
  log "channel ${CHANNEL} exists on every consenter; nothing to do"
  log "note: changes to the config of an existing channel are not applied by this Job"
  exit 0
fi

if ((present > 0)); then
  log "channel ${CHANNEL} exists on ${present} consenter(s); fetching its genesis block for the others"
  wait_for "genesis block of ${CHANNEL} from the orderers" fetch_genesis "${block}"
else
  log "generating the genesis block of ${CHANNEL}"
  configtxgen -configPath "${CONFIGTX_DIR}" -profile "${PROFILE}" -channelID "${CHANNEL}" -outputBlock "${block}"
fi

for entry in "${missing[@]}"; do
  status=$(osnadmin_status "${entry}" join --channelID "${CHANNEL}" --config-block "${block}")
  case "${status}" in
    201) log "consenter ${entry%%=*} joined channel ${CHANNEL}" ;;
    405) log "consenter ${entry%%=*} already had channel ${CHANNEL}" ;;
    *) fail "consenter ${entry%%=*} refused to join ${CHANNEL} (status ${status:-none}): $(cat "${WORK_DIR}/osnadmin.out")" ;;
  esac
done
log "channel ${CHANNEL} is on every consenter"
