#!/usr/bin/env bash
# Makes channel $CHANNEL on the ordering service equal the model. When no consenter has it, it
# creates it from the rendered configtx.yaml. Otherwise it renders the desired config the same
# way, compares it with the live one, and submits config updates, signed by every admin of the
# chart, until they are equal: one Raft membership change per update, each added consenter
# joined with the latest config block and caught up before the next. It logs what changed.
# Last, it deletes the chaincode servers on the channel whose chaincode the chart no longer defines
# (RETIRE_SELECTOR picks them): pruning leaves chaincode servers to the Jobs.
#
# Env: CHANNEL, CONFIGTX_DIR, PROFILE, CONSENTERS ("adminAddress=adminTlsDir ..." of the model's
#      consenters), ORDERERS ("address=tlsCaFile ..."), SIGNERS ("MSPID=mspDir ..." of the other
#      admins), RETIRE_SELECTOR, CORE_PEER_* of the acting ordering org admin.
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
# shellcheck source=channel-config.sh
source "$(dirname "$0")/channel-config.sh"
# shellcheck source=kube-api.sh
source "$(dirname "$0")/kube-api.sh"
# shellcheck source=chaincode.sh
source "$(dirname "$0")/chaincode.sh"

# The consenters of the model, by "host:port" of their cluster endpoint.
declare -A admin_entry=()
for entry in ${CONSENTERS}; do
  address=${entry%%=*}
  admin_entry["${address%:*}:${CLUSTER_PORT:-7050}"]=${entry}
done

create_channel() {
  log "no consenter has channel ${CHANNEL}; generating its genesis block"
  configtxgen -configPath "${CONFIGTX_DIR}" -profile "${PROFILE}" -channelID "${CHANNEL}" -outputBlock "${WORK_DIR}/genesis.block"
  local entry
  for entry in ${CONSENTERS}; do
    join_consenter "${entry}" "${WORK_DIR}/genesis.block"
  done
  log "created channel ${CHANNEL} on every consenter"
}

# reconcile_config: submits updates until the live config equals the desired one.
reconcile_config() {
  render_desired_config "${WORK_DIR}/desired.json"
  wait_for "the config of ${CHANNEL} from the orderers" fetch_live_config "${WORK_DIR}/live.json"
  refuse_quorum_loss "${WORK_DIR}/live.json" "${WORK_DIR}/desired.json"
  local step next_added
  for ((step = 1; step <= MAX_UPDATES; step++)); do
    wait_for "the config of ${CHANNEL} from the orderers" fetch_live_config "${WORK_DIR}/live.json"
    next_config_step "${WORK_DIR}/live.json" "${WORK_DIR}/desired.json" "${WORK_DIR}/next.json"
    if ! compute_update "${WORK_DIR}/live.json" "${WORK_DIR}/next.json" "${WORK_DIR}/update.pb"; then
      log "channel ${CHANNEL} already matches the model; nothing to update"
      return 0
    fi
    describe_changes "${WORK_DIR}/live.json" "${WORK_DIR}/next.json" | while read -r change; do log "change: ${change}"; done
    submit_update "${WORK_DIR}/update.pb"
    wait_for "the update to show in the config of ${CHANNEL}" config_matches "${WORK_DIR}/next.json"
    log "config update ${step} of ${CHANNEL} committed"
    next_added=$(added_consenter "${WORK_DIR}/live.json" "${WORK_DIR}/next.json")
    if [[ -n "${next_added}" ]]; then
      onboard_consenter "${next_added}"
    fi
  done
  fail "channel ${CHANNEL} still differs from the model after ${MAX_UPDATES} updates"
}

# onboard_consenter HOST:PORT: joins a newly added consenter with the latest config block and
# waits until it has caught up with the others.
onboard_consenter() {
  local entry=${admin_entry[$1]:-}
  [[ -n "${entry}" ]] || fail "consenter $1 was added to ${CHANNEL} but the model has no admin endpoint for it"
  wait_for "the latest config block of ${CHANNEL}" fetch_config_block "${WORK_DIR}/config.block"
  join_consenter "${entry}" "${WORK_DIR}/config.block"
  wait_for "consenter ${entry%%=*} to catch up on ${CHANNEL}" consenter_caught_up "${entry}"
}

# join_missing_consenters: consenters of the model that lack the channel join it.
join_missing_consenters() {
  local entry
  for entry in "${missing[@]}"; do
    wait_for "the latest config block of ${CHANNEL}" fetch_config_block "${WORK_DIR}/config.block"
    join_consenter "${entry}" "${WORK_DIR}/config.block"
  done
}

MAX_UPDATES=${MAX_UPDATES:-16}
missing=()
present=0
for entry in ${CONSENTERS}; do
  wait_for "admin endpoint of consenter ${entry%%=*}" admin_endpoint_answers "${entry}"
  if [[ "$(osnadmin_status "${entry}" list --channelID "${CHANNEL}")" == 200 ]]; then
    present=$((present + 1))
  else
    missing+=("${entry}")
  fi
done

# retire_removed_chaincodes: deletes the servers of chaincodes the chart no longer has on the channel.
retire_removed_chaincodes() {
  cc_retire_servers "${RETIRE_SELECTOR}" "the chart defines no such chaincode on ${CHANNEL}"
}

if ((present == 0)); then
  create_channel
  retire_removed_chaincodes
  exit 0
fi
log "channel ${CHANNEL} exists on ${present} consenter(s) of the model; reconciling its config"
reconcile_config
# Consenters added by an update were onboarded above; this covers a create that stopped half-way.
missing=()
for entry in ${CONSENTERS}; do
  [[ "$(osnadmin_status "${entry}" list --channelID "${CHANNEL}")" == 200 ]] || missing+=("${entry}")
done
join_missing_consenters
log "channel ${CHANNEL} matches the model on every consenter"
retire_removed_chaincodes
