#!/usr/bin/env bash
# shellcheck shell=bash
# The faults scenario, sourced by run.sh after the multi-org scenario: the multi-org app is brought
# up afresh in namespace fabric-faults (test/e2e/faults/main.ts) while two pods are deleted:
#   - an orderer while channel trade is being created. E2E_FAULT_ORDERER says when:
#       after-join (default): trade's first consenter, the moment trade's reconcile Job logs that it
#         joined the channel; the Job goes on joining the other four, and Raft must form and the
#         deleted node catch up when it is back;
#       before-join: trade's last consenter (ord-b-node1, also a consenter of claims, created at the
#         same time), the moment the Job logs that it generates the genesis block, so that its join
#         fails. Hyperkube does not survive this yet: a create that stopped before a Raft majority of
#         the consenters joined is never finished (claims has 2 consenters: 1 of 2 joined, its
#         reconcile Job waits forever for the config of a channel that cannot elect a leader).
#   - a peer: whichever of Bank's peers logs that it endorsed Bank's approval of letters on trade,
#     deleted at once, so that the approve Job loses the commit event of an approval that may land.
# Then: every Job completes within E2E_FAULT_DEADLINE (120) seconds of the apply, the network still
# commits a transaction, and no peer counts an invalid transaction: ledger_transaction_count on every
# peer's operations endpoint is 0 for each validation_code other than VALID, on both channels.
# Uses run.sh's kc, log, die, timing, since, wait_for_jobs, client_run, drop_namespace and
# operations_metrics. Leaves NS set to fabric-faults.

FAULTS_DIR="${STATE_ROOT}/faults"
FAULTS_NS=fabric-faults
FAULT_DEADLINE="${E2E_FAULT_DEADLINE:-120}"
FAULT_CHANNEL=trade
FAULT_CHAINCODE=letters
FAULT_ORG=bank
FAULT_ORDERER="${E2E_FAULT_ORDERER:-after-join}"
[[ "${FAULT_ORDERER}" == after-join || "${FAULT_ORDERER}" == before-join ]] \
  || die "E2E_FAULT_ORDERER must be after-join or before-join, got ${FAULT_ORDERER}"

drop_namespace "${NS}"

log "faults: synthesizing the multi-org app for namespace ${FAULTS_NS}"
t=$(date +%s)
rm -rf "${FAULTS_DIR:?}"
mkdir -p "${FAULTS_DIR}"
( cd "${REPO}" && FAULTS_OUTDIR="${FAULTS_DIR}" FAULTS_NAMESPACE="${FAULTS_NS}" npx --no-install ts-node --transpile-only test/e2e/faults/main.ts )
timing "faults: synth" "$(since "${t}")"
NS=${FAULTS_NS}

# job_env JOB VAR: the value of VAR in a Job's container.
job_env() {
  kc -n "${NS}" get "$1" -o json | jq -r --arg v "$2" '[.spec.template.spec.containers[].env[]? | select(.name == $v) | .value][0] // empty'
}

# pod_of SERVICE COMPONENT: the pod behind a node's Service (orderer or peer StatefulSet), waiting for it.
pod_of() {
  local pod attempt
  for attempt in $(seq 1 60); do
    pod=$(kc -n "${NS}" get pods -l "app.kubernetes.io/instance=$1,app.kubernetes.io/component=$2" -o jsonpath='{.items[0].metadata.name}' 2>/dev/null || true)
    [[ -n "${pod}" ]] && { echo "${pod}"; return 0; }
    (( attempt < 60 )) && sleep 0.5
  done
  die "faults: no pod for ${2} ${1} in ${NS}"
}

# watch_log TARGET REGEX DEADLINE: returns 0 at the first line of TARGET's log (job/NAME or pod/NAME)
# matching REGEX (the line in WATCH_LINE), 1 at DEADLINE (epoch seconds). Follows the log as it is
# written, attaching again while the pod has not started.
watch_log() {
  local target=$1 regex=$2 deadline=$3 line fd
  WATCH_LINE=""
  while (( $(date +%s) < deadline )); do
    exec {fd}< <(exec timeout "$(( deadline - $(date +%s) + 1 ))" "${K8S_BIN}/kubectl" --kubeconfig "${KUBECONFIG_ADMIN}" \
                   -n "${NS}" logs -f "${target}" 2>/dev/null)
    WATCH_PID=$!
    while IFS= read -r -u "${fd}" line; do
      if [[ "${line}" =~ ${regex} ]]; then
        WATCH_LINE=${line}
        kill "${WATCH_PID}" 2>/dev/null || true
        exec {fd}<&-
        return 0
      fi
    done
    exec {fd}<&-
    sleep 0.5
  done
  return 1
}

# stop_watching: a watcher ends on TERM, and ends the log stream it reads.
stop_watching() {
  trap '[[ -n "${WATCH_PID:-}" ]] && kill "${WATCH_PID}" 2>/dev/null; exit 0' TERM
}

# fault_orderer JOB REGEX POD: deletes POD when JOB logs a line matching REGEX. Writes FAULTS_DIR/orderer.fault.
fault_orderer() {
  stop_watching
  if watch_log "$1" "$2" "$(( t_apply + FAULT_DEADLINE ))"; then
    kc -n "${NS}" delete pod "$3" --wait=false >/dev/null
    echo "$(date +%s) $3" >"${FAULTS_DIR}/orderer.fault"
    log "faults: deleted orderer pod $3 as $1 logged: ${WATCH_LINE}"
  else
    log "faults: $1 never logged /$2/; orderer pod $3 not deleted"
  fi
}

# fault_peer POD: deletes POD right after it endorsed its org's approval of the chaincode on the
# channel, unless another watcher deleted its org's other peer first. Writes FAULTS_DIR/peer.fault.
fault_peer() {
  stop_watching
  local regex="Successfully endorsed chaincode approval with name '${FAULT_CHAINCODE}'.* on channel '${FAULT_CHANNEL}'"
  if watch_log "pod/$1" "${regex}" "$(( t_apply + FAULT_DEADLINE ))" && mkdir "${FAULTS_DIR}/peer.lock" 2>/dev/null; then
    kc -n "${NS}" delete pod "$1" --wait=false >/dev/null
    echo "$(date +%s) $1" >"${FAULTS_DIR}/peer.fault"
    # shellcheck disable=SC2001  # strips the peer log's colour codes
    log "faults: deleted peer pod $1 right after it logged: $(sed 's/\x1b\[[0-9;]*m//g' <<<"${WATCH_LINE}" | cut -c1-160)..."
  fi
}

log "faults: applying in namespace ${NS}; deadline for every Job: ${FAULT_DEADLINE}s after the apply"
t_apply=$(date +%s)
kc apply -R -f "${FAULTS_DIR}" >/dev/null
timing "faults: kubectl apply" "$(since "${t_apply}")"

job_names=$(kc -n "${NS}" get jobs -o name)
reconcile_job=$(grep -m1 "/${FAULT_CHANNEL}-reconcile-" <<<"${job_names}") || die "faults: no reconcile Job for ${FAULT_CHANNEL}"
approve_job=$(grep -m1 "/cc-${FAULT_CHAINCODE}-${FAULT_CHANNEL}-${FAULT_ORG}-approve-" <<<"${job_names}") \
  || die "faults: no approve Job of ${FAULT_ORG} for ${FAULT_CHAINCODE} on ${FAULT_CHANNEL}"
consenters=$(job_env "${reconcile_job}" CONSENTERS)
if [[ "${FAULT_ORDERER}" == after-join ]]; then
  victim=${consenters%% *}
  victim=${victim%%=*}
  trigger="consenter ${victim} joined channel ${FAULT_CHANNEL}\$"
else
  victim=${consenters##* }
  victim=${victim%%=*}
  trigger="no consenter has channel ${FAULT_CHANNEL}; generating its genesis block"
fi
orderer_pod=$(pod_of "${victim%%.*}" orderer)
watchers=()
fault_orderer "${reconcile_job}" "${trigger}" "${orderer_pod}" &
watchers+=($!)
for address in $(job_env "${approve_job}" PEERS); do
  peer_pod=$(pod_of "${address%%.*}" peer)
  fault_peer "${peer_pod}" &
  watchers+=($!)
done

JOB_TIMEOUT=${FAULT_DEADLINE} wait_for_jobs "${t_apply}"
t_done=$(date +%s)
kill "${watchers[@]}" 2>/dev/null || true
wait "${watchers[@]}" 2>/dev/null || true

# A fault that did not happen proves nothing: both must have been injected.
[[ -s "${FAULTS_DIR}/orderer.fault" ]] || die "faults: the orderer fault was not injected (${reconcile_job} did not create ${FAULT_CHANNEL} while watched)"
[[ -s "${FAULTS_DIR}/peer.fault" ]] || die "faults: the peer fault was not injected (no ${FAULT_ORG} peer logged that it endorsed the approval of ${FAULT_CHAINCODE} on ${FAULT_CHANNEL})"
read -r t_orderer orderer_pod <"${FAULTS_DIR}/orderer.fault"
read -r t_peer peer_pod <"${FAULTS_DIR}/peer.fault"
timing "faults: apply -> ${orderer_pod} deleted (${FAULT_ORDERER})" "$(( t_orderer - t_apply ))s"
timing "faults: apply -> ${peer_pod} deleted (approval)" "$(( t_peer - t_apply ))s"
timing "faults: apply -> all Jobs complete" "$(( t_done - t_apply ))s (deadline ${FAULT_DEADLINE}s)"

# What the Jobs went through: the pods each needed, and the approve and reconcile Jobs' own words.
job_pods=$(kc -n "${NS}" get pods -l batch.kubernetes.io/job-name -o json)
jq -r '[.items[] | .metadata.labels["batch.kubernetes.io/job-name"]] | group_by(.) | map(select(length > 1) | "\(.[0]): \(length) pods") | .[]' \
  <<<"${job_pods}" | sed 's/^/  faults: Job /' >&2
for pod in $(jq -r '.items[] | select(.status.phase == "Failed") | .metadata.name' <<<"${job_pods}"); do
  kc -n "${NS}" logs "${pod}" 2>/dev/null | grep -v '^[[:space:]]*$' | tail -n 2 | cut -c1-400 | sed "s|^|  faults: failed pod ${pod}: |" >&2 || true
done
kc -n "${NS}" logs "${reconcile_job}" | grep -E 'genesis|joined|created|exists on|matches|ERROR|waiting' | sed "s|^|  faults: ${reconcile_job#*/}: |" >&2 || true
kc -n "${NS}" logs "${approve_job}" | grep -vE 'installed|is installed' | sed "s|^|  faults: ${approve_job#*/}: |" >&2 || true

kc -n "${NS}" wait --for=condition=Ready "pod/${peer_pod}" "pod/${orderer_pod}" --timeout=90s >/dev/null \
  || die "faults: ${peer_pod} or ${orderer_pod} not Ready again 90s after the Jobs completed"

# The network still takes transactions: letters on trade, endorsed by two orgs.
client_run scenario "${FAULTS_DIR}" "${FAULTS_DIR}/client-trade.log" --channel trade --chaincode letters --org1 bank --org2 shipper \
  || die "faults: transaction on trade after the faults failed"

# No invalid transaction: every peer's ledger_transaction_count, once the peers of each channel agree
# on its height. A deleted peer's counters restart with it: it counts only the blocks it committed
# since; the other peers of its channels count every block.
peers=$(kc -n "${NS}" get svc -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}' | grep -E -- '-peer[0-9]+$' | sort)
declare -A METRICS=()
for attempt in $(seq 1 20); do
  for p in ${peers}; do
    METRICS[${p}]=$(operations_metrics "${p}" 2>/dev/null || true)
  done
  spread=$(for p in ${peers}; do
      sed -nE 's/^ledger_blockchain_height\{channel="([^"]+)"\} ([0-9.e+]+)$/\1 \2/p' <<<"${METRICS[${p}]}"
    done | sort -u | awk '{n[$1]++} END {for (c in n) if (n[c] > 1) print c}')
  if [[ -z "${spread}" ]]; then
    heights=$(for p in ${peers}; do
        sed -nE 's/^ledger_blockchain_height\{channel="([^"]+)"\} ([0-9.e+]+)$/\1 \2/p' <<<"${METRICS[${p}]}"
      done | sort -u | awk '{printf "%s%s %s", sep, $1, $2; sep = ", "}')
    break
  fi
  (( attempt < 20 )) || die "faults: the peers do not agree on the height of ${spread//$'\n'/, } after 40s"
  sleep 2
done
invalid=()
for p in ${peers}; do
  [[ "${METRICS[${p}]}" == *ledger_transaction_count* ]] || die "faults: no ledger_transaction_count on the operations endpoint of ${p}"
  summary=$(sed -nE 's/^ledger_transaction_count\{(.*)\} ([0-9.e+]+)$/\1 \2/p' <<<"${METRICS[${p}]}" | awk '
      { ch = $0; sub(/.*channel="/, "", ch); sub(/".*/, "", ch)
        vc = $0; sub(/.*validation_code="/, "", vc); sub(/".*/, "", vc)
        if (vc == "VALID") valid[ch] += $NF; else { other[ch] += $NF; if ($NF + 0 > 0) bad = bad " " $0 } ; seen[ch] = 1 }
      END { for (c in seen) printf "%s VALID %d, other %d; ", c, valid[c], other[c]; if (bad != "") printf "INVALID:%s", bad }')
  note=""
  [[ "${p}" == "${peer_pod%-*}" ]] && note=" (deleted during the bring-up: counts since its restart)"
  log "faults: ${p}${note}: ledger_transaction_count ${summary}"
  [[ "${summary}" == *INVALID:* ]] && invalid+=("${p}: ${summary#*INVALID:}")
done
(( ${#invalid[@]} == 0 )) || die "faults: invalid transactions on the channels: ${invalid[*]}"
log "faults: no peer counts a transaction with a validation code other than VALID ($(wc -w <<<"${peers}") peers read; heights ${heights})"
