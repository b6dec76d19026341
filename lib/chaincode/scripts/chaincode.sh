#!/usr/bin/env bash
# Chaincode lifecycle helpers for approve-chaincode.sh and commit-chaincode.sh, and the chaincode
# server helpers reconcile-channel.sh uses too; sourced after common.sh, never run on its own.
#
# A Job works in passes (cc_reconcile). Each pass reads the live state first (installed? approved
# with this package? committed?) and acts only on the difference, so a response lost after a
# change landed never makes the Job submit that change again.
#
# How a pass knows whether the definition changed: ExternalChaincode renders the chart's
# definition at synth time into CC_DEFINITION, in the shape cc_canonical gives what the peer
# reports (see lib/chaincode/chaincode-definition.ts). The endorsement policy comes from
# decoding querycommitted's or queryapproved's validation_parameter with configtxlator; version,
# plugins, init flag and collections from the same JSON. jq then compares two plain documents.
# Fabric's own refusal to redefine a committed sequence is the backstop, not the test: probing
# with it would submit a transaction whenever nothing changed.
#
# Env: CHANNEL, CC_NAME, CC_VERSION, CC_SEQUENCE (empty: follow the committed sequence),
#      CC_DEFINITION, CC_SIGNATURE_POLICY / CC_CHANNEL_CONFIG_POLICY, CC_INIT_REQUIRED,
#      CC_COLLECTIONS_FILE, ORDERERS ("address=tlsCaFile ..."), CORE_PEER_* of an org admin.

# The CC_* results below are read by the scripts that source this file.
# shellcheck disable=SC2034
CC_OUT="${WORK_DIR}/cc.out"
CC_ERR="${WORK_DIR}/cc.err"
CC_REASON=""

# Fabric's words for refusals that no retry can fix. A CLI error holding one fails the Job at
# once, quoting Fabric. The one list of them; cc_classify reads it.
CC_REFUSALS=(
  'attempted to redefine the current committed sequence' # definition differs from the committed one
  'invalid signature policy'
  'invalid policy'
  'invalid collection configuration'
  'collection-name: '                                     # lifecycle's collection checks
  'collection member policy is not set'
  'collection member org policy is empty'
  'is not part of the channel'                            # collection member unknown to the channel
  'principal type'                                        # unsupported principal in a collection
  'signature policy is not an OR concatenation'
  'does not contain previously defined collections'
  'missing in the proposed collection configuration'
  'BlockToLive in an existing collection'
  'invalid chaincode name'
  'invalid chaincode version'
  'is the name of a system chaincode'
  'must be defined for channel'                           # no /Channel/Application/Endorsement policy
  'cannot use new lifecycle'                              # channel lacks the V2_0 application capability
  'ENDORSEMENT_POLICY_FAILURE'                            # the transaction was invalidated: wrong endorsers
  'could not parse as a chaincode install package'
  'could not build chaincode'
  'cannot specify both'
  'Rerun the command with'
  'unknown flag'
  'unknown shorthand flag'
)

# Reasons that pass with time: the Job waits (bounded) and reads the live state again. Anything
# in neither list is also retried, and logged as not recognised.
CC_TRANSIENT=(
  'connection refused'
  'no such host'
  'Unavailable'
  'UNAVAILABLE'                  # SERVICE_UNAVAILABLE: no Raft leader yet
  'deadline exceeded'
  'DeadlineExceeded'
  'i/o timeout'
  'connection reset'
  'transport is closing'
  'failed to connect'
  'timed out waiting for txid'   # the response was lost: the transaction may have landed
  'error receiving from deliver'
  'deliver completed with status'
  ' not found'                   # channel 'mychannel' not found: the peer has not joined yet
  'access denied'                # the org is not in the channel config yet
  'chaincode definition not agreed to by this org'
  'MVCC_READ_CONFLICT'
  'PHANTOM_READ_CONFLICT'
  'requested sequence is'        # the committed sequence moved since this pass read it
  'is larger than requested sequence'
  'is larger than the next available sequence number'
  'with unchanged content'       # this exact approval is already there
)

# cc_classify REASON: prints "refusal", "transient" or "unknown".
cc_classify() {
  local pattern
  for pattern in "${CC_REFUSALS[@]}"; do
    if [[ "$1" == *"${pattern}"* ]]; then
      echo refusal
      return
    fi
  done
  for pattern in "${CC_TRANSIENT[@]}"; do
    if [[ "$1" == *"${pattern}"* ]]; then
      echo transient
      return
    fi
  done
  echo unknown
}

# cc_reason_of FILE: the reason a CLI gave on stderr (its "Error:" line, else its last line).
cc_reason_of() {
  local line
  line=$(grep -E '^Error: ' "$1" | tail -n 1 || true)
  if [[ -n "${line}" ]]; then
    printf '%s' "${line#Error: }"
  else
    grep -v '^[[:space:]]*$' "$1" | tail -n 1 || true
  fi
}

# cc_cli COMMAND [ARG...]: runs a CLI with its output in CC_OUT. On failure, CC_REASON holds the
# reason the CLI gave.
cc_cli() {
  if "$@" >"${CC_OUT}" 2>"${CC_ERR}"; then
    CC_REASON=""
    return 0
  fi
  CC_REASON=$(cc_reason_of "${CC_ERR}")
  CC_REASON="${CC_REASON:-$1 failed and wrote no reason}"
  return 1
}

# cc_refuse MESSAGE: ends the Job for good, with common.sh's refuse where it has one (the Job's pod
# failure policy then fails the Job without retrying the pod), else with fail.
cc_refuse() {
  if declare -F refuse >/dev/null; then
    refuse "$@"
  fi
  fail "$@"
}

# cc_refuse_if_final WHAT: ends the Job at once when CC_REASON is a refusal no retry can fix.
cc_refuse_if_final() {
  case "$(cc_classify "${CC_REASON}")" in
    refusal) cc_refuse "Fabric refused ${1}, and no retry can change that: ${CC_REASON}" ;;
    unknown) CC_REASON="${CC_REASON} (not a reason Hyperkube recognises; retrying)" ;;
  esac
}

# cc_submit COMMAND [ARG...]: sends a transaction through the first orderer that takes it. It moves
# to the next orderer only when nothing reached the last one (no connection, or SERVICE_UNAVAILABLE),
# never after a response was lost, which could mean the transaction landed.
cc_submit() {
  local entry
  for entry in ${ORDERERS}; do
    if cc_cli "$@" -o "${entry%%=*}" --tls --cafile "${entry#*=}"; then
      return 0
    fi
    if [[ "${CC_REASON}" != *"failed to retrieve broadcast client"* && "${CC_REASON}" != *"SERVICE_UNAVAILABLE"* ]]; then
      return 1
    fi
    log "orderer ${entry%%=*} did not take the transaction: ${CC_REASON}"
  done
  return 1
}

# cc_reconcile WHAT STEP: runs passes of STEP until it reports the live state equals the model,
# waiting at most WAIT_ATTEMPTS times. STEP returns 0 when done, 1 to wait (CC_REASON says why,
# logged), 2 when it has just submitted a change: the next pass starts at once and reads whether
# it landed, and that pass is not counted as a wait.
cc_reconcile() {
  local what=$1 step=$2 attempt status delay submissions=0
  for ((attempt = 1; attempt <= WAIT_ATTEMPTS; attempt++)); do
    CC_REASON=""
    status=0
    "${step}" || status=$?
    case "${status}" in
      0) return 0 ;;
      2)
        if ((++submissions <= WAIT_ATTEMPTS)); then
          ((attempt--))
        fi
        ;;
      *)
        if ((attempt < WAIT_ATTEMPTS)); then
          delay=$(wait_delay "${attempt}")
          log "waiting for ${what} (attempt ${attempt}/${WAIT_ATTEMPTS}, next in ${delay}s): ${CC_REASON:-no reason given}"
          sleep "${delay}"
        fi
        ;;
    esac
  done
  fail "gave up waiting for ${what} after ${WAIT_ATTEMPTS} attempts; last reason: ${CC_REASON:-none}"
}

# cc_definition_flags SEQUENCE: fills CC_FLAGS with the flags that name the chart's definition.
cc_definition_flags() {
  CC_FLAGS=(--channelID "${CHANNEL}" --name "${CC_NAME}" --version "${CC_VERSION}" --sequence "$1")
  if [[ -n "${CC_SIGNATURE_POLICY:-}" ]]; then
    CC_FLAGS+=(--signature-policy "${CC_SIGNATURE_POLICY}")
  elif [[ -n "${CC_CHANNEL_CONFIG_POLICY:-}" ]]; then
    CC_FLAGS+=(--channel-config-policy "${CC_CHANNEL_CONFIG_POLICY}")
  fi
  if [[ "${CC_INIT_REQUIRED:-false}" == "true" ]]; then
    CC_FLAGS+=(--init-required)
  fi
  if [[ -n "${CC_COLLECTIONS_FILE:-}" ]]; then
    CC_FLAGS+=(--collections-config "${CC_COLLECTIONS_FILE}")
  fi
}

# The jq program that brings a querycommitted or queryapproved answer ($vp: its decoded
# validation_parameter) to the shape of CC_DEFINITION. The CLI prints Fabric's Go structures:
# zero values are left out and oneofs appear as {"Type": {"NOutOf": ...}}; configtxlator prints
# every field and oneofs by their proto names. Both are brought to the proto names.
# shellcheck disable=SC2016
CC_CANONICAL='
  def classification: if type == "number" then (["ROLE", "ORGANIZATION_UNIT", "IDENTITY", "ANONYMITY", "COMBINED"][.] // tostring) else . end;
  def identities: (. // []) | map({principal_classification: ((.principal_classification // "ROLE") | classification), principal: (.principal // "")});
  def go_rule:
    if (.Type // {}) | has("SignedBy") then {signed_by: .Type.SignedBy}
    elif (.Type // {}) | has("NOutOf") then {n_out_of: {n: (.Type.NOutOf.n // 0), rules: ((.Type.NOutOf.rules // []) | map(go_rule))}}
    else {unknown: .} end;
  def go_envelope: {version: (.version // 0), rule: ((.rule // {}) | go_rule), identities: (.identities | identities)};
  def go_application_policy:
    if . == null then null
    elif (.Type // {}) | has("SignaturePolicy") then {signature_policy: (.Type.SignaturePolicy | go_envelope)}
    elif (.Type // {}) | has("ChannelConfigPolicyReference") then {channel_config_policy_reference: .Type.ChannelConfigPolicyReference}
    else {unknown: .} end;
  def decoded_rule:
    if has("signed_by") then {signed_by: .signed_by}
    elif has("n_out_of") then {n_out_of: {n: (.n_out_of.n // 0), rules: ((.n_out_of.rules // []) | map(decoded_rule))}}
    else {unknown: .} end;
  def decoded_application_policy:
    if . == null then null
    elif has("signature_policy") then {signature_policy: (.signature_policy | {version: (.version // 0), rule: ((.rule // {}) | decoded_rule), identities: (.identities | identities)})}
    elif has("channel_config_policy_reference") then {channel_config_policy_reference: .channel_config_policy_reference}
    else {unknown: .} end;
  def collection:
    (.Payload.StaticCollectionConfig // {unknown: .}) | {
      name: (.name // ""),
      member_orgs_policy: (.member_orgs_policy.Payload.SignaturePolicy // null | if . == null then null else go_envelope end),
      required_peer_count: (.required_peer_count // 0),
      maximum_peer_count: (.maximum_peer_count // 0),
      block_to_live: (.block_to_live // 0),
      member_only_read: (.member_only_read // false),
      member_only_write: (.member_only_write // false),
      endorsement_policy: (.endorsement_policy | go_application_policy)
    };
  {
    version: (.version // ""),
    endorsement_plugin: (.endorsement_plugin // ""),
    validation_plugin: (.validation_plugin // ""),
    init_required: (.init_required // false),
    validation_parameter: ($vp | decoded_application_policy),
    collections: ((.collections.config // []) | map(collection))
  }'

# jq functions that print a definition in the shape above for people: policies as expressions.
# shellcheck disable=SC2016
CC_DESCRIBE='
  def principal_text:
    (.principal | @base64d | explode) as $b
    | if .principal_classification == "ROLE" and $b[0] == 10 and $b[1] < 128 then
        "\u0027" + ($b[2:2 + $b[1]] | implode) + "." + (["member", "admin", "client", "peer", "orderer"][(if ($b | length) > 2 + $b[1] then $b[3 + $b[1]] else 0 end)] // "?") + "\u0027"
      else "<" + .principal_classification + " " + .principal + ">" end;
  def rule_text($ids):
    if has("signed_by") then ($ids[.signed_by] // {principal_classification: "?", principal: ""} | principal_text)
    else "OutOf(\(.n_out_of.n), " + (.n_out_of.rules | map(rule_text($ids)) | join(", ")) + ")" end;
  def envelope_text: if . == null then "none" else (.identities as $ids | .rule | rule_text($ids)) end;
  def policy_text:
    if . == null then "none"
    elif has("signature_policy") then (.signature_policy | envelope_text)
    elif has("channel_config_policy_reference") then .channel_config_policy_reference
    else tojson end;
  def collection_text: "\(.name) (members \(.member_orgs_policy | envelope_text), peers \(.required_peer_count)..\(.maximum_peer_count), blockToLive \(.block_to_live), memberOnlyRead \(.member_only_read), memberOnlyWrite \(.member_only_write))";
  def differences($a; $b):
    [ (if $a.version != $b.version then "version \($a.version) -> \($b.version)" else empty end),
      (if $a.init_required != $b.init_required then "initRequired \($a.init_required) -> \($b.init_required)" else empty end),
      (if $a.endorsement_plugin != $b.endorsement_plugin or $a.validation_plugin != $b.validation_plugin
        then "plugins \($a.endorsement_plugin)/\($a.validation_plugin) -> \($b.endorsement_plugin)/\($b.validation_plugin)" else empty end),
      (if $a.validation_parameter != $b.validation_parameter
        then "endorsement policy \($a.validation_parameter | policy_text) -> \($b.validation_parameter | policy_text)" else empty end),
      (if $a.collections != $b.collections
        then "collections [\($a.collections | map(collection_text) | join("; "))] -> [\($b.collections | map(collection_text) | join("; "))]" else empty end)
    ] | join(", ");'

# cc_canonical FILE: prints the querycommitted / queryapproved answer in FILE in the compared shape.
cc_canonical() {
  local decoded="${WORK_DIR}/validation-parameter.json"
  echo null >"${decoded}"
  if [[ -n "$(jq -r '.validation_parameter // empty' "$1")" ]]; then
    jq -r '.validation_parameter' "$1" | base64 -d >"${WORK_DIR}/validation-parameter.bin"
    if ! configtxlator proto_decode --type protos.ApplicationPolicy --input "${WORK_DIR}/validation-parameter.bin" >"${decoded}" 2>"${CC_ERR}"; then
      CC_REASON="configtxlator could not decode the endorsement policy: $(cc_reason_of "${CC_ERR}")"
      return 1
    fi
  fi
  jq -c --slurpfile decoded "${decoded}" "\$decoded[0] as \$vp | ${CC_CANONICAL}" "$1"
}

# cc_same DEFINITION_A DEFINITION_B: true when both definitions (compared shape) are equal.
cc_same() {
  jq -en --argjson a "$1" --argjson b "$2" '$a == $b' >/dev/null
}

# cc_differences FROM TO: prints what differs between two definitions, for the log.
cc_differences() {
  jq -rn --argjson a "$1" --argjson b "$2" "${CC_DESCRIBE} differences(\$a; \$b)"
}

# cc_read_committed: sets CC_COMMITTED_SEQUENCE (0 when nothing is committed) and CC_COMMITTED
# (the committed definition, compared shape). Returns 1 with CC_REASON when the peer does not tell.
cc_read_committed() {
  CC_COMMITTED_SEQUENCE=0
  CC_COMMITTED=""
  if cc_cli peer lifecycle chaincode querycommitted --channelID "${CHANNEL}" --name "${CC_NAME}" --output json; then
    CC_COMMITTED_SEQUENCE=$(jq -r '.sequence // 0' "${CC_OUT}")
    CC_COMMITTED=$(cc_canonical "${CC_OUT}") || return 1
    return 0
  fi
  if [[ "${CC_REASON}" == *"status: 404"* && "${CC_REASON}" == *"is not defined"* ]]; then
    return 0
  fi
  cc_refuse_if_final "the query of the committed definition of ${CC_NAME}"
  return 1
}

# cc_read_approved SEQUENCE: sets CC_APPROVED (this org's approved definition at SEQUENCE, compared
# shape, empty when it approved none) and CC_APPROVED_PACKAGE (the package ID it approved with).
cc_read_approved() {
  CC_APPROVED=""
  CC_APPROVED_PACKAGE=""
  if cc_cli peer lifecycle chaincode queryapproved --channelID "${CHANNEL}" --name "${CC_NAME}" --sequence "$1" --output json; then
    CC_APPROVED_PACKAGE=$(jq -r '.source.Type.LocalPackage.package_id // ""' "${CC_OUT}")
    CC_APPROVED=$(cc_canonical "${CC_OUT}") || return 1
    return 0
  fi
  if [[ "${CC_REASON}" == *"could not fetch approved chaincode definition"* ]]; then
    return 0
  fi
  cc_refuse_if_final "the query of ${CORE_PEER_LOCALMSPID}'s approval of ${CC_NAME} sequence $1"
  return 1
}

# cc_read_approvals SEQUENCE: sets CC_APPROVALS, checkcommitreadiness's answer for the chart's
# definition at SEQUENCE ({"Org1MSP": true, ...}).
cc_read_approvals() {
  cc_definition_flags "$1"
  if ! cc_cli peer lifecycle chaincode checkcommitreadiness "${CC_FLAGS[@]}" --output json; then
    cc_refuse_if_final "the commit readiness check of ${CC_NAME} sequence $1"
    return 1
  fi
  CC_APPROVALS=$(jq -c '.approvals // {}' "${CC_OUT}")
}

# cc_plan: decides, from what cc_read_committed read, the sequence the chart's definition belongs
# at. Sets CC_TARGET, and CC_UNCHANGED=true when that is the committed sequence (the committed
# definition is the chart's). Fails the Job when the chart's explicit sequence cannot be honoured.
cc_plan() {
  local committed=${CC_COMMITTED_SEQUENCE} same=false
  if ((committed > 0)) && cc_same "${CC_COMMITTED}" "${CC_DEFINITION}"; then
    same=true
  fi
  CC_UNCHANGED=false
  if [[ -z "${CC_SEQUENCE:-}" ]]; then
    if [[ "${same}" == true ]]; then
      CC_TARGET=${committed}
      CC_UNCHANGED=true
    else
      CC_TARGET=$((committed + 1))
    fi
    return 0
  fi
  local wanted=${CC_SEQUENCE}
  if ((committed > wanted)); then
    cc_refuse "${CC_NAME} sequence ${committed} is committed on ${CHANNEL}, newer than the chart's sequence ${wanted}. Remove sequence from the chart, so that Hyperkube follows the committed sequence, or set it to ${committed} if the definition is the committed one, or $((committed + 1)) to change it."
  fi
  if ((committed == wanted)); then
    if [[ "${same}" != true ]]; then
      cc_refuse "the definition of ${CC_NAME} changed ($(cc_differences "${CC_COMMITTED}" "${CC_DEFINITION}")) but the chart's sequence ${wanted} is already committed on ${CHANNEL}. Raise sequence to $((wanted + 1)), or remove it and let Hyperkube number the definition."
    fi
    CC_TARGET=${committed}
    CC_UNCHANGED=true
    return 0
  fi
  if ((wanted > committed + 1)); then
    cc_refuse "the chart's sequence ${wanted} for ${CC_NAME} is more than one above the committed sequence ${committed} on ${CHANNEL}; Fabric accepts only $((committed + 1)). Set sequence to $((committed + 1)), or remove it and let Hyperkube number the definition."
  fi
  CC_TARGET=${wanted}
}

# cc_describe_change: a log line saying what the chart changes in the committed definition.
cc_describe_change() {
  if ((CC_COMMITTED_SEQUENCE == 0)); then
    echo "nothing is committed yet"
  else
    echo "sequence ${CC_COMMITTED_SEQUENCE} is committed; the chart changes: $(cc_differences "${CC_COMMITTED}" "${CC_DEFINITION}")"
  fi
}

# ---------------------------------------------------------------- chaincode servers
# Each package has its own server (Deployment and Service, named by what it runs). The Jobs read
# through the Kubernetes API whether a server is ready before approving the package that points
# at it, and delete a server once no peer uses its package, with the pod's service account
# (hyperkube-chaincode-jobs: get, list and delete Deployments, list and delete Services, list Pods).
# cc_kube_api METHOD PATH [CURL ARG...]: kube_api, with its reason in CC_REASON.
cc_kube_api() {
  kube_api "$@" || { CC_REASON=${KUBE_REASON}; return 1; }
}

# Reasons a server's container waits that no wait of this Job fixes; SERVER_STUCK_ATTEMPTS passes
# in a row (about two minutes) with one of them fail the pod, naming it, instead of waiting the whole bound.
SERVER_STUCK_REASONS='ErrImagePull|ImagePullBackOff|InvalidImageName|CrashLoopBackOff|CreateContainerConfigError|CreateContainerError'
SERVER_STUCK_ATTEMPTS="${SERVER_STUCK_ATTEMPTS:-28}"
CC_SERVER_STUCK=0

# cc_server_ready: true when chaincode server CC_SERVER has a ready pod (or runs no pod in the cluster:
# scaled to 0, or at a serverAddress outside it), so
# the peers can reach the package's server as soon as an approval points them at it. When it has
# none, CC_REASON says why, with what its pods wait on.
cc_server_ready() {
  if ((${CC_SERVER_REPLICAS:-1} == 0)); then
    return 0
  fi
  cc_kube_api GET "/apis/apps/v1/namespaces/$(kube_namespace)/deployments/${CC_SERVER}" || return 1
  local ready waiting
  ready=$(jq -r '.status.readyReplicas // 0' "${KUBE_OUT}")
  if ((ready >= 1)); then
    CC_SERVER_STUCK=0
    return 0
  fi
  local not_ready="chaincode server ${CC_SERVER} has no ready pod yet (${ready} of ${CC_SERVER_REPLICAS} ready)"
  if ! cc_kube_api GET "/api/v1/namespaces/$(kube_namespace)/pods" -G --data-urlencode "labelSelector=app.kubernetes.io/instance=${CC_SERVER}"; then
    CC_REASON="${not_ready} (its pods unknown: ${CC_REASON})"
    return 1
  fi
  CC_REASON=${not_ready}
  waiting=$(jq -r '[.items[] | .metadata.name as $pod | .status.containerStatuses[]?.state.waiting // empty
    | "pod \($pod) waits: \(.reason)\(if .message then ": " + .message else "" end)"] | join("; ")' "${KUBE_OUT}")
  if [[ -z "${waiting}" ]]; then
    CC_SERVER_STUCK=0
    return 1
  fi
  CC_REASON="${CC_REASON}: ${waiting}"
  if [[ "${waiting}" =~ ${SERVER_STUCK_REASONS} ]]; then
    CC_SERVER_STUCK=$((CC_SERVER_STUCK + 1))
    if ((CC_SERVER_STUCK >= SERVER_STUCK_ATTEMPTS)); then
      fail "chaincode server ${CC_SERVER} cannot start, so ${CORE_PEER_LOCALMSPID} does not approve the package that points at it: ${waiting}. Fix the image, env or resources in the app and apply again."
    fi
  else
    CC_SERVER_STUCK=0
  fi
  return 1
}

# cc_retire_pass SELECTOR WHY: deletes every chaincode server, Deployment and Service, that the
# label selector SELECTOR picks, logging WHY. Returns 1 with CC_REASON when the API fails.
cc_retire_pass() {
  local selector=$1 why=$2 namespace collection name names
  namespace=$(kube_namespace)
  for collection in "/apis/apps/v1/namespaces/${namespace}/deployments" "/api/v1/namespaces/${namespace}/services"; do
    cc_kube_api GET "${collection}" -G --data-urlencode "labelSelector=${selector}" || return 1
    names=$(jq -r '.items[].metadata.name' "${KUBE_OUT}")
    for name in ${names}; do
      if ! cc_kube_api DELETE "${collection}/${name}" -H 'Content-Type: application/json' -d '{"propagationPolicy":"Background"}' \
        && [[ "${CC_REASON}" != *"answered 404"* ]]; then
        return 1
      fi
      log "retired chaincode server ${collection##*/}/${name}: ${why}"
    done
  done
}

# cc_retire_servers SELECTOR WHY: cc_retire_pass, retried while the API does not answer.
cc_retire_servers() {
  CC_RETIRING=("$1" "$2")
  cc_reconcile "the removal of the chaincode servers no peer uses ($1)" cc_retire_step
}

# cc_retire_step: one cc_retire_pass of what cc_retire_servers was given.
cc_retire_step() {
  cc_retire_pass "${CC_RETIRING[0]}" "${CC_RETIRING[1]}"
}
