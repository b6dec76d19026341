#!/usr/bin/env bash
# Channel config helpers of reconcile-channel.sh: the channel participation API (osnadmin),
# rendering and fetching configs as JSON, stepping towards the desired config, computing,
# describing, signing and submitting updates. Sourced after common.sh, never run on its own.

# osnadmin_status ENTRY SUBCOMMAND [ARG...]: runs osnadmin against one consenter and prints the
# HTTP status it reports (osnadmin exits 0 on any HTTP reply, so the status is the answer). The
# whole reply is kept in $WORK_DIR/osnadmin.out.
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
  [[ "${status}" == 200 || "${status}" == 404 ]] || { cat "${WORK_DIR}/osnadmin.out" >&2; return 1; }
}

# join_consenter ENTRY BLOCK: joins one consenter to the channel with BLOCK.
join_consenter() {
  local status
  status=$(osnadmin_status "$1" join --channelID "${CHANNEL}" --config-block "$2")
  case "${status}" in
    201) log "consenter ${1%%=*} joined channel ${CHANNEL}" ;;
    405) log "consenter ${1%%=*} already had channel ${CHANNEL}" ;;
    *) fail "consenter ${1%%=*} refused to join ${CHANNEL} (status ${status:-none}): $(cat "${WORK_DIR}/osnadmin.out")" ;;
  esac
}

# consenter_caught_up ENTRY: true once the consenter reports the channel active as a consenter.
consenter_caught_up() {
  [[ "$(osnadmin_status "$1" list --channelID "${CHANNEL}")" == 200 ]] || return 1
  local state
  state=$(sed '/^Status:/d' "${WORK_DIR}/osnadmin.out" | jq -r '"\(.consensusRelation)/\(.status)/\(.height)"')
  echo "consenter ${1%%=*}: ${state}" >&2
  [[ "${state}" == consenter/active/* ]]
}

# decode_config BLOCK OUT: writes the config inside a config block as JSON.
decode_config() {
  configtxlator proto_decode --input "$1" --type common.Block | jq '.data.data[0].payload.data.config' >"$2"
}

# render_desired_config OUT: the config the model asks for, rendered by configtxgen.
render_desired_config() {
  configtxgen -configPath "${CONFIGTX_DIR}" -profile "${PROFILE}" -channelID "${CHANNEL}" \
    -outputBlock "${WORK_DIR}/desired.block" 2>"${WORK_DIR}/configtxgen.err" \
    || refuse "configtxgen could not render ${CHANNEL}: $(cat "${WORK_DIR}/configtxgen.err")"
  decode_config "${WORK_DIR}/desired.block" "$1"
}

fetch_config_block() {
  with_any_orderer peer channel fetch config "$1" -c "${CHANNEL}"
}

fetch_live_config() {
  fetch_config_block "${WORK_DIR}/live.block" && decode_config "${WORK_DIR}/live.block" "$1"
}

# The jq path of the Raft consenters, and their identity ("host:port").
JQ_CONSENTERS='.channel_group.groups.Orderer.values.ConsensusType.value.metadata.consenters'
JQ_KEY='def key: "\(.host):\(.port)";'

# The orderer organizations' groups, and a jq function that keeps only the endpoints of an org
# group that are live consenters (dropping the Endpoints value when none is).
JQ_ORDERER_ORGS='.channel_group.groups.Orderer.groups'
# shellcheck disable=SC2016  # a jq program: $keys is jq's
JQ_KEY="${JQ_KEY}"'
  def live_endpoints($keys):
    if .values.Endpoints == null then .
    else ([.values.Endpoints.value.addresses[]? | select(IN($keys[]))]) as $kept
      | if ($kept | length) > 0 then .values.Endpoints.value.addresses = $kept else del(.values.Endpoints) end end;'

# refuse_quorum_loss LIVE DESIRED: fails unless the consenters the model keeps are a majority of
# the live ones; the removed nodes are gone once the app no longer has them.
refuse_quorum_loss() {
  local counts
  counts=$(jq -rs "${JQ_KEY} [.[0] | ${JQ_CONSENTERS}[] | key] as \$live | [.[1] | ${JQ_CONSENTERS}[] | key] as \$want
    | \"\(\$live | length) \([\$live[] | select(IN(\$want[]))] | length) \([\$live[] | select(IN(\$want[]) | not)] | join(\", \"))\"" "$1" "$2")
  local live kept removed
  read -r live kept removed <<<"${counts}"
  if ((kept * 2 <= live)); then
    refuse "refusing to change the consenters of ${CHANNEL}: the model removes ${removed} at once, keeping ${kept} of ${live}; Raft needs a majority of the current ${live} (at least $((live / 2 + 1))) to agree to each change and the removed nodes are gone. Remove at most $(((live - 1) / 2)) consenter(s) per apply, apply, wait for this Job, then remove the next."
  fi
}

# next_config_step LIVE DESIRED OUT: the desired config with at most one Raft membership change
# from LIVE: the first consenter to add, else the first to remove, else the desired set. While
# consenters are being added, only the endpoints of live consenters are advertised: a node that
# has not joined yet answers a client's transaction with BAD_REQUEST ("channel creation request
# not allowed"), so its endpoint goes into the config only after it has caught up.
next_config_step() {
  jq -s "${JQ_KEY} (.[0] | ${JQ_CONSENTERS}) as \$live | (.[1] | ${JQ_CONSENTERS}) as \$want
    | [\$live[] | key] as \$liveKeys | [\$want[] | key] as \$wantKeys
    | [\$want[] | select(key | IN(\$liveKeys[]) | not)] as \$add
    | [\$live[] | select(key | IN(\$wantKeys[]) | not)] as \$remove
    | (if (\$add | length) > 0 then \$live + [\$add[0]]
       elif (\$remove | length) > 0 then [\$live[] | select(key != (\$remove[0] | key))]
       else \$want end) as \$next
    | .[1] | ${JQ_CONSENTERS} = \$next
    | if (\$add | length) > 0 then ${JQ_ORDERER_ORGS} |= with_entries(.value |= live_endpoints(\$liveKeys)) else . end" \
    "$1" "$2" >"$3"
}

# added_consenter BEFORE AFTER: the "host:port" of a consenter AFTER has and BEFORE has not.
added_consenter() {
  jq -rs "${JQ_KEY} [.[0] | ${JQ_CONSENTERS}[] | key] as \$before | [.[1] | ${JQ_CONSENTERS}[] | key | select(IN(\$before[]) | not)] | first // empty" "$1" "$2"
}

# compute_update ORIGINAL UPDATED OUT: the config update between two JSON configs; false when
# they do not differ.
compute_update() {
  configtxlator proto_encode --input "$1" --type common.Config --output "${WORK_DIR}/original.pb"
  configtxlator proto_encode --input "$2" --type common.Config --output "${WORK_DIR}/updated.pb"
  if configtxlator compute_update --channel_id "${CHANNEL}" --original "${WORK_DIR}/original.pb" \
    --updated "${WORK_DIR}/updated.pb" --output "$3" 2>"${WORK_DIR}/compute.err"; then
    return 0
  fi
  grep -q 'no differences detected' "${WORK_DIR}/compute.err" && return 1
  fail "configtxlator could not compute the update of ${CHANNEL}: $(cat "${WORK_DIR}/compute.err")"
}

# config_matches DESIRED: true when the live config has no difference from DESIRED.
config_matches() {
  fetch_live_config "${WORK_DIR}/check.json" || return 1
  ! compute_update "${WORK_DIR}/check.json" "$1" "${WORK_DIR}/check.pb"
}

# describe_changes BEFORE AFTER: one line per group, value or policy that differs.
describe_changes() {
  jq -rs '
    def short: tojson | if length > 120 then .[0:117] + "..." else . end;
    def consenters: [.metadata.consenters[]? | .host] | join(",");
    def show($name; $v): if $name == "ConsensusType" then "consenters [\($v | consenters)]"
                         elif $name == "MSP" then "MSP of \($v.config.name)" else ($v | short) end;
    def diff($path; $a; $b):
      (([($a.groups // {} | keys[]), ($b.groups // {} | keys[])] | unique[]) as $g
        | if $a.groups[$g] == null then "\($path)/\($g) added"
          elif $b.groups[$g] == null then "\($path)/\($g) removed"
          else diff("\($path)/\($g)"; $a.groups[$g]; $b.groups[$g]) end),
      (([($a.values // {} | keys[]), ($b.values // {} | keys[])] | unique[]) as $v
        | select($a.values[$v].value != $b.values[$v].value)
        | if $a.values[$v] == null then "\($path)/\($v) added: \(show($v; $b.values[$v].value))"
          elif $b.values[$v] == null then "\($path)/\($v) removed"
          else "\($path)/\($v): \(show($v; $a.values[$v].value)) -> \(show($v; $b.values[$v].value))" end),
      (([($a.policies // {} | keys[]), ($b.policies // {} | keys[])] | unique[]) as $p
        | select($a.policies[$p].policy != $b.policies[$p].policy)
        | "\($path)/policies/\($p) \(if $a.policies[$p] == null then "added" elif $b.policies[$p] == null then "removed" else "changed" end)");
    diff("Channel"; .[0].channel_group; .[1].channel_group)' "$1" "$2"
}

# orderer_flags N: the peer CLI's orderer flags for the Nth attempt, rotating through ORDERERS.
orderer_flags() {
  local entries
  read -r -a entries <<<"${ORDERERS}"
  local entry=${entries[$((($1 - 1) % ${#entries[@]}))]}
  printf '%s\n' -o "${entry%%=*}" --tls --cafile "${entry#*=}"
}

# Fabric's answers to a config update that no retry can change.
CONFIG_REFUSALS='BAD_REQUEST|FORBIDDEN|policy|not satisfied|unauthorized|invalid'

# submit_update UPDATE: wraps a config update in an envelope, has every admin in SIGNERS sign it,
# and submits it as the acting admin. Each attempt first checks whether an earlier one landed.
submit_update() {
  configtxlator proto_decode --input "$1" --type common.ConfigUpdate --output "${WORK_DIR}/update.json"
  jq --arg channel "${CHANNEL}" '{payload: {header: {channel_header: {channel_id: $channel, type: 2}}, data: {config_update: .}}}' \
    "${WORK_DIR}/update.json" >"${WORK_DIR}/envelope.json"
  configtxlator proto_encode --input "${WORK_DIR}/envelope.json" --type common.Envelope --output "${WORK_DIR}/envelope.pb"
  local signer
  for signer in ${SIGNERS}; do
    CORE_PEER_LOCALMSPID=${signer%%=*} CORE_PEER_MSPCONFIGPATH=${signer#*=} \
      peer channel signconfigtx -f "${WORK_DIR}/envelope.pb" 2>"${WORK_DIR}/sign.err" \
      || fail "admin of ${signer%%=*} could not sign the update of ${CHANNEL}: $(last_reason "${WORK_DIR}/sign.err")"
  done
  local attempt reason flags delay
  for ((attempt = 1; attempt <= WAIT_ATTEMPTS; attempt++)); do
    if ((attempt > 1)) && config_matches "${WORK_DIR}/next.json"; then
      log "an earlier submission of the update landed"
      return 0
    fi
    # One orderer per attempt: a submission is not idempotent, so the next orderer is only
    # tried after the live config shows the last one did not land.
    mapfile -t flags < <(orderer_flags "${attempt}")
    if peer channel update -f "${WORK_DIR}/envelope.pb" -c "${CHANNEL}" "${flags[@]}" 2>"${WORK_DIR}/update.err"; then
      return 0
    fi
    reason=$(last_reason "${WORK_DIR}/update.err")
    if grep -qE "${CONFIG_REFUSALS}" <<<"${reason}"; then
      refuse "the orderers refused the config update of ${CHANNEL}: ${reason}"
    fi
    delay=$(wait_delay "${attempt}")
    log "waiting to submit the config update of ${CHANNEL} (attempt ${attempt}/${WAIT_ATTEMPTS}, next in ${delay}s): ${reason}"
    sleep "${delay}"
  done
  fail "gave up submitting the config update of ${CHANNEL} after ${WAIT_ATTEMPTS} attempts"
}
