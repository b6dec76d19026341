#!/usr/bin/env bash
# Backs up every node of the network, one at a time, while the network keeps serving: stop the
# node (its StatefulSet to 0 replicas), start its backup agent (StatefulSet NODE-backup, which
# mounts the node's ledger volume and copies it into the store), stop the agent, start the node
# and wait until it is ready, then the next node. A consenter is stopped only while the rest of
# each of its channels' consenters are a ready Raft majority. Last, it writes the manifest.
# Env: NODES ("name=peer|orderer ..."), CONSENTER_SETS (each channel's consenters, "a,b,c d,e,f"),
# BACKUP_NAME (empty for a scheduled run: BACKUP_PREFIX and the time name it), NETWORK, STORE_*.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/kube-api.sh"
source "$(dirname "$0")/backup-store.sh"

NAMESPACE=$(kube_namespace)
AGENT_SUFFIX=-backup
# A copy of a large ledger takes long: about an hour before the Job gives up on one.
COPY_WAIT_ATTEMPTS="${COPY_WAIT_ATTEMPTS:-740}"
STOPPED_NODE=""
# wait_for keeps a check's stderr for its wait line; a check that ends the Job writes to fd 3.
exec 3>&2

statefulset_path() {
  echo "/apis/apps/v1/namespaces/${NAMESPACE}/statefulsets/$1"
}

# patch_statefulset NAME JSON: a merge patch of StatefulSet NAME.
patch_statefulset() {
  kube_api PATCH "$(statefulset_path "$1")" -H 'Content-Type: application/merge-patch+json' -d "$2" || fail "${KUBE_REASON}"
}

# statefulset_ready NAME: true when StatefulSet NAME's one replica is ready.
statefulset_ready() {
  kube_api GET "$(statefulset_path "$1")" || { echo "${KUBE_REASON}" >&2; return 1; }
  [[ "$(jq -r '.status.readyReplicas // 0' "${KUBE_OUT}")" == 1 ]] || { echo "$1 has no ready replica yet" >&2; return 1; }
}

# pod_gone POD: true once pod POD no longer exists.
pod_gone() {
  if kube_api GET "/api/v1/namespaces/${NAMESPACE}/pods/$1"; then
    echo "pod $1 is still $(jq -r '.status.phase' "${KUBE_OUT}")" >&2
    return 1
  fi
  [[ "${KUBE_STATUS}" == 404 ]] || { echo "${KUBE_REASON}" >&2; return 1; }
}

# agent_done NODE: true when NODE's backup agent is ready (its copy is stored); ends the Job when
# the agent failed, with the agent's last words.
agent_done() {
  local pod="$1${AGENT_SUFFIX}-0"
  kube_api GET "/api/v1/namespaces/${NAMESPACE}/pods/${pod}" || { echo "${KUBE_REASON}" >&2; return 1; }
  if jq -e '.status.containerStatuses[0].lastState.terminated.exitCode // 0 | . != 0' "${KUBE_OUT}" >/dev/null; then
    fail 2>&3 "the backup agent of $1 failed: $(jq -r '.status.containerStatuses[0].lastState.terminated.message // "no message" | rtrimstr("\n")' "${KUBE_OUT}")"
  fi
  jq -e '.status.conditions[]? | select(.type == "Ready") | .status == "True"' "${KUBE_OUT}" >/dev/null && return 0
  echo "agent ${pod} is $(jq -r '.status.containerStatuses[0].state | to_entries[0] | "\(.key) \(.value.reason // "")" // "pending"' "${KUBE_OUT}")" >&2
  return 1
}

# require_quorum NODE: refuses unless, for every channel NODE is a consenter of, the other
# consenters that are ready are a Raft majority of the channel's consenters.
require_quorum() {
  local node=$1 set members member ready need
  for set in ${CONSENTER_SETS}; do
    [[ ",${set}," == *",${node},"* ]] || continue
    IFS=, read -ra members <<<"${set}"
    need=$((${#members[@]} / 2 + 1))
    ready=0
    for member in "${members[@]}"; do
      [[ "${member}" != "${node}" ]] && statefulset_ready "${member}" 2>/dev/null && ready=$((ready + 1))
    done
    if ((ready < need)); then
      refuse "stopping consenter ${node} would leave ${ready} of the ${#members[@]} consenters ${set} ready, fewer than the ${need} a Raft majority needs, and ordering would stop. Bring the stopped consenters back (kubectl get statefulsets -n ${NAMESPACE}), then run the backup again."
    fi
  done
}

# start_node NODE: the node's one replica back.
start_node() {
  patch_statefulset "$1" '{"spec":{"replicas":1}}'
}

# Whatever ends the Job, a node it stopped runs again and its agent lets go of the volume.
restart_stopped_node() {
  if [[ -n "${STOPPED_NODE}" ]]; then
    log "starting ${STOPPED_NODE} again after an interrupted copy"
    patch_statefulset "${STOPPED_NODE}${AGENT_SUFFIX}" '{"spec":{"replicas":0}}' || true
    start_node "${STOPPED_NODE}" || true
  fi
}
trap restart_stopped_node EXIT

# backup_node NODE KIND BACKUP: one node's copy; prints its record with its kind and pause.
backup_node() {
  local node=$1 kind=$2 backup=$3 stopped
  wait_for "${node} to be ready before it is stopped" statefulset_ready "${node}"
  [[ "${kind}" == orderer ]] && require_quorum "${node}"
  log "stopping ${node}"
  STOPPED_NODE=${node}
  stopped=$(date +%s)
  patch_statefulset "${node}" '{"spec":{"replicas":0}}'
  wait_for "pod ${node}-0 to stop" pod_gone "${node}-0"
  patch_statefulset "${node}${AGENT_SUFFIX}" "$(jq -cn --arg backup "${backup}" \
    '{spec: {replicas: 1, template: {metadata: {annotations: {"hyperkube.io/backup-name": $backup}}}}}')"
  WAIT_ATTEMPTS=${COPY_WAIT_ATTEMPTS} wait_for "the backup agent to copy ${node}" agent_done "${node}"
  patch_statefulset "${node}${AGENT_SUFFIX}" '{"spec":{"replicas":0}}'
  wait_for "pod ${node}${AGENT_SUFFIX}-0 to stop" pod_gone "${node}${AGENT_SUFFIX}-0"
  start_node "${node}"
  STOPPED_NODE=""
  wait_for "${node} to be ready again" statefulset_ready "${node}"
  store_get "${backup}/${node}.json" "${WORK_DIR}/${node}.json" || fail "the agent of ${node} stored no record in backup ${backup}"
  log "${node} is back after $(($(date +%s) - stopped))s"
  jq -c --arg kind "${kind}" --argjson paused $(($(date +%s) - stopped)) '. + {kind: $kind, pausedSeconds: $paused}' "${WORK_DIR}/${node}.json"
}

main() {
  local backup=${BACKUP_NAME:-} started entry records="${WORK_DIR}/records.jsonl"
  [[ -n "${backup}" ]] || backup="${BACKUP_PREFIX}-$(date -u +%Y%m%d-%H%M%S)"
  if store_get "${backup}/manifest.json" "${WORK_DIR}/manifest.json"; then
    log "backup ${backup} is already complete in $(store_describe); nothing to do"
    return 0
  fi
  started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  log "backup ${backup} of network ${NETWORK}: ${NODES} into $(store_describe)"
  : >"${records}"
  for entry in ${NODES}; do
    backup_node "${entry%%=*}" "${entry#*=}" "${backup}" >>"${records}"
  done
  jq -s --arg backup "${backup}" --arg network "${NETWORK}" --arg namespace "${NAMESPACE}" --arg started "${started}" \
    --arg finished "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    '{backup: $backup, network: $network, namespace: $namespace, startedAt: $started, finishedAt: $finished, nodes: .}' \
    "${records}" >"${WORK_DIR}/manifest.json"
  store_put "${WORK_DIR}/manifest.json" "${backup}/manifest.json"
  log "backup ${backup} complete; its manifest:"
  jq . "${WORK_DIR}/manifest.json" >&2
}

main
