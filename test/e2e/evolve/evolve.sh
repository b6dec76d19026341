#!/usr/bin/env bash
# shellcheck shell=bash
# The evolve scenario, sourced by run.sh once the reference network (v1) runs: successive
# versions of one app (test/e2e/evolve/network.ts) applied to the same cluster with
# `kubectl apply --prune`, each checked on the running network and re-applied without effect.
#   v2: Org3 joins mychannel and basic, Org1 gets a second peer, a second ordering org adds two
#       consenters, the batch timeout and basic's endorsement policy, version and image change.
#       A client submits one transaction after another during the whole step; none may fail
#       (one resubmission is allowed where Fabric invalidated a transaction for the definition
#       change that raced it), and the old chaincode servers are gone once the Jobs are done.
#   v3: Org2 leaves mychannel and basic; its chaincode server is retired.
#   v4: basic pinned to a sequence below the committed one: the commit Job must fail at once,
#       with one pod and its REFUSED line; dev, applied next, converges from there.
#   dev: basic served by a chaincode process on the host, outside the cluster, at the kit's
#       bridge address (the chaincode development loop): the Jobs re-approve with its package and
#       retire the servers in the cluster; the client's transactions are endorsed through it.
#   v5: basic removed from the app: the channel's reconcile Job deletes its servers.
# Uses run.sh's kc, log, die, timing, since, wait_for_jobs, client_scenario, first_tx_after and
# reapply_changes_nothing.

EVOLVE_DIR="${STATE_ROOT}/evolve"
# The dev step's chaincode server: a process on the host, which the pods reach on the kit's bridge.
DEV_ADDRESS="${NODE_IP}:${E2E_DEV_PORT:-17052}"
# Chaincode servers are left out of the prune (kubectl's -l also picks what it applies, so they
# are applied by a second command): the Jobs retire each once no peer uses its package.
PRUNE_SELECTOR="app.kubernetes.io/part-of=test-network,hyperkube.io/retired-by!=chaincode-jobs"
SERVER_SELECTOR="app.kubernetes.io/part-of=test-network,hyperkube.io/retired-by=chaincode-jobs"

# The upgraded chaincode image is the reference one under a new tag, as a registry would serve it.
ctr --address "${RUN_DIR}/containerd.sock" -n k8s.io images tag --force \
  docker.io/hyperkube/asset-transfer-basic:1.0.0 docker.io/hyperkube/asset-transfer-basic:1.1.0 >/dev/null

synth_step() {
  rm -rf "${EVOLVE_DIR:?}/$1"
  ( cd "${REPO}" && EVOLVE_STEP=$1 EVOLVE_OUTDIR="${EVOLVE_DIR}/$1" EVOLVE_DEV_ADDRESS="${DEV_ADDRESS}" npx --no-install ts-node --transpile-only test/e2e/evolve/main.ts )
}

# apply_step STEP: synthesizes and applies STEP, pruning what the app no longer has; sets t_apply.
apply_step() {
  synth_step "$1"
  t_apply=$(date +%s)
  kc apply --prune -l "${PRUNE_SELECTOR}" -R -f "${EVOLVE_DIR}/$1" | grep -vE ' (unchanged|configured|created)$' || true
  kc apply -l "${SERVER_SELECTOR}" -R -f "${EVOLVE_DIR}/$1" | grep -vE ' (unchanged|configured|created)$' || true
}

# reconcile_log STEP: the reconcile Job's log lines that say what changed.
reconcile_log() {
  local job
  job=$(grep -ohE 'name: mychannel-reconcile-[0-9a-f]{10}' "${EVOLVE_DIR}/$1"/*.yaml | head -1 | awk '{print $2}')
  kc -n "${NS}" logs "job/${job}" | grep -E 'change:|config update|consenter .* joined|matches the model' || true
}

# operations_metric SERVICE METRIC: the value of METRIC{channel="mychannel"} on a node's operations
# endpoint, over mutual TLS: checked against the org's TLS CA, as the org admin's TLS identity.
# awk reads the whole body: leaving early would make curl fail writing it (exit 23), at random.
operations_metric() {
  local service=$1 org=${1%-*} ip host pki="${EVOLVE_DIR}/${1%-*}-tls"
  ip=$(kc -n "${NS}" get svc "${service}" -o jsonpath='{.spec.clusterIP}')
  host="${service}.${NS}.svc.${CLUSTER_DOMAIN}"
  mkdir -p "${pki}"
  kc -n "${NS}" get configmap "${org}-msp" -o jsonpath='{.data.tlsca\.pem}' >"${pki}/ca.pem"
  kc -n "${NS}" get secret "${org}-admin" -o jsonpath='{.data.tls\.crt}' | base64 -d >"${pki}/tls.crt"
  kc -n "${NS}" get secret "${org}-admin" -o jsonpath='{.data.tls\.key}' | base64 -d >"${pki}/tls.key"
  curl -sS --max-time 5 --cacert "${pki}/ca.pem" --cert "${pki}/tls.crt" --key "${pki}/tls.key" \
    --resolve "${host}:9443:${ip}" "https://${host}:9443/metrics" \
    | awk -v m="$2" 'index($1, m "{") == 1 && index($1, "channel=\"mychannel\"") && !found {print $2; found = 1}'
}

# peer_query ORG PEER FUNCTION ARG: evaluates basic's FUNCTION(ARG) on one named peer, as ORG's admin.
peer_query() {
  local org=$1 peer=$2 msp="${EVOLVE_DIR}/$1-admin-msp" ip
  mkdir -p "${msp}"/{signcerts,keystore,cacerts,tlscacerts}
  kc -n "${NS}" get secret "${org}-admin" -o jsonpath='{.data.cert\.pem}' | base64 -d >"${msp}/signcerts/cert.pem"
  kc -n "${NS}" get secret "${org}-admin" -o jsonpath='{.data.key\.pem}' | base64 -d >"${msp}/keystore/key.pem"
  kc -n "${NS}" get configmap "${org}-msp" -o jsonpath='{.data.ca\.pem}' >"${msp}/cacerts/ca.pem"
  kc -n "${NS}" get configmap "${org}-msp" -o jsonpath='{.data.tlsca\.pem}' >"${msp}/tlscacerts/tlsca.pem"
  kc -n "${NS}" get configmap "${org}-msp" -o jsonpath='{.data.config\.yaml}' >"${msp}/config.yaml"
  ip=$(kc -n "${NS}" get svc "${peer}" -o jsonpath='{.spec.clusterIP}')
  FABRIC_CFG_PATH="${FABRIC_CFG_SRC}" CORE_PEER_LOCALMSPID="$(msp_id "${org}")" \
    CORE_PEER_MSPCONFIGPATH="${msp}" CORE_PEER_TLS_ENABLED=true CORE_PEER_TLS_ROOTCERT_FILE="${msp}/tlscacerts/tlsca.pem" \
    CORE_PEER_ADDRESS="${ip}:7051" CORE_PEER_TLS_SERVERHOSTOVERRIDE="${peer}.${NS}.svc.${CLUSTER_DOMAIN}" \
    "${FABRIC_BIN}/peer" chaincode query -C mychannel -n basic -c "{\"Args\":[\"$3\",\"$4\"]}"
}

msp_id() { echo "Org${1#org}MSP"; }

# chaincode_servers: the Deployments serving basic, "name org" per line.
chaincode_servers() {
  kc -n "${NS}" get deployments -l hyperkube.io/chaincode=basic \
    -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.metadata.labels.hyperkube\.io/organization}{"\n"}{end}' | sort
}

# expect_servers STEP: the chaincode servers running are exactly those STEP's manifests have.
expect_servers() {
  local want have
  want=$(awk '/^kind: / {deployment = ($2 == "Deployment")} deployment && /^  name: cc-basic-/ {print $2; deployment = 0}' \
    "${EVOLVE_DIR}/$1"/*.yaml | sort)
  have=$(chaincode_servers | awk '{print $1}')
  [[ "${have}" == "${want}" ]] || die "$1: chaincode servers running: ${have//$'\n'/ }; the app has: ${want//$'\n'/ }"
  have=${have//$'\n'/ }
  log "$1: the chaincode servers are the app's, the earlier ones retired: ${have:-none in the cluster}"
  kc -n "${NS}" logs -l hyperkube.io/chaincode=basic --tail=-1 --prefix 2>/dev/null | grep 'retired chaincode server' | sed 's/^/  /' >&2 || true
}

# start_load LOG: the Gateway client submits one transaction after another as Org1 (v1's
# identities), in the background, until stop_load.
start_load() {
  rm -f "${EVOLVE_DIR}/load.stop"
  PEER_ADDRESSES="$(peer_addresses)" node "${E2E_DIR}/client/dist/main.js" load --dist "${DIST}" --namespace "${NS}" \
    --stop-file "${EVOLVE_DIR}/load.stop" --max-seconds 900 >"$1" 2>&1 &
  load_pid=$!
}

# stop_load LOG: stops the load and fails when any of its transactions failed.
stop_load() {
  touch "${EVOLVE_DIR}/load.stop"
  if ! wait "${load_pid}"; then
    grep -E 'FAILED|FAIL:|summary' "$1" >&2 || tail -20 "$1" >&2
    die "a transaction of the load failed while the network changed (log: $1)"
  fi
  grep 'resubmitted:' "$1" | sed 's/^/  /' >&2 || true
  log "$(grep -o 'load summary: .*' "$1")"
}

# asset_of LOG: the asset id a client scenario used.
asset_of() { grep -oE 'asset id [^ ,]+' "$1" | head -1 | awk '{print $3}'; }

# ------------------------------------------------------------------ v2
mkdir -p "${EVOLVE_DIR}"
start_load "${EVOLVE_DIR}/load-v2.log"
sleep 5   # a few transactions on v1 first
log "evolve: applying v2 while a client keeps submitting"
apply_step v2
wait_for_jobs "${t_apply}"
timing "v2: apply -> all Jobs complete" "$(since "${t_apply}")"
reconcile_log v2 | sed 's/^/  v2 reconcile: /' >&2
t_client=$(date +%s)
client_scenario "${EVOLVE_DIR}/v2" "${EVOLVE_DIR}/client-v2.log" --org2 org3 || die "v2: client scenario (Org1 submits with Org3 endorsing, Org3 reads) failed"
timing "v2: apply -> first tx endorsed by Org3" "$(first_tx_after "${t_apply}" "${t_client}" "${EVOLVE_DIR}/client-v2.log")"
asset=$(asset_of "${EVOLVE_DIR}/client-v2.log")
peer_query org1 org1-peer1 ReadAsset "${asset}" | grep -q '"Owner":"Bob"' || die "v2: org1-peer1 (the new peer) does not serve basic"
log "v2: org1-peer1 serves basic: ReadAsset(${asset}) -> owner Bob"
# The load stops here: the heights below are compared while nothing is submitted.
stop_load "${EVOLVE_DIR}/load-v2.log"
heights=""
for attempt in $(seq 1 15); do
  heights=$(for node in orderer-node0 orderer-node1 orderer-node2 orderer2-node0 orderer2-node1; do
    echo "${node}=$(operations_metric "${node}" consensus_etcdraft_committed_block_number)"; done | tr '\n' ' ')
  [[ $(tr ' ' '\n' <<<"${heights}" | grep -v '^$' | cut -d= -f2 | sort -u | wc -l) == 1 && "${heights}" != *"= "* ]] && break
  (( attempt < 15 )) || die "v2: the five consenters do not agree on the height of mychannel: ${heights}"
  sleep 2
done
log "v2: every consenter has mychannel at the same height: ${heights}"
expect_servers v2
reapply_changes_nothing "${EVOLVE_DIR}/v2"

# ------------------------------------------------------------------ v3
log "evolve: applying v3"
apply_step v3
wait_for_jobs "${t_apply}"
timing "v3: apply -> converged (all Jobs complete)" "$(since "${t_apply}")"
reconcile_log v3 | sed 's/^/  v3 reconcile: /' >&2
org2_before=$(operations_metric org2-peer0 ledger_blockchain_height)
t_client=$(date +%s)
client_scenario "${EVOLVE_DIR}/v3" "${EVOLVE_DIR}/client-v3.log" --org2 org3 || die "v3: client scenario without Org2 failed"
timing "v3: apply -> first tx without Org2" "$(first_tx_after "${t_apply}" "${t_client}" "${EVOLVE_DIR}/client-v3.log")"
sleep 3
org2_after=$(operations_metric org2-peer0 ledger_blockchain_height)
org1_after=$(operations_metric org1-peer0 ledger_blockchain_height)
[[ -n "${org2_before}" && "${org2_after}" == "${org2_before}" ]] || die "v3: org2-peer0 still receives blocks (height ${org2_before} -> ${org2_after})"
(( org1_after > org2_after )) || die "v3: org1-peer0 height ${org1_after} did not pass org2-peer0's ${org2_after}"
log "v3: org2-peer0 stays at height ${org2_after} while org1-peer0 reached ${org1_after}"
expect_servers v3
reapply_changes_nothing "${EVOLVE_DIR}/v3"

# ------------------------------------------------------------------ v4: a change the Jobs refuse
log "evolve: applying v4 (basic pinned to sequence 1, below the committed sequence 2)"
apply_step v4
refused_job=$(awk '/^kind: / {job = ($2 == "Job")} job && /^  name: cc-basic-mychannel-commit-/ {print $2; job = 0}' "${EVOLVE_DIR}/v4"/*.yaml)
# hyperkube wait must stop on the refused Job at once, exit 1, and quote the refusal.
if waited=$(hyperkube wait -n "${NS}" --timeout 120 2>&1); then
  die "v4: hyperkube wait succeeded, but ${refused_job} must be refused: ${waited}"
fi
[[ "${waited}" == *"${refused_job}"*"REFUSED:"* ]] || die "v4: hyperkube wait failed without naming ${refused_job} and quoting its REFUSED line: ${waited}"
timing "v4: apply -> commit Job refused (hyperkube wait exit 1)" "$(since "${t_apply}")"
sed 's/^/  [hyperkube wait] /' <<<"${waited}" >&2
refusal=$(kc -n "${NS}" logs "job/${refused_job}" | grep 'REFUSED:') || die "v4: ${refused_job} failed without a REFUSED line"
log "v4: ${refused_job} failed at once: ${refusal}"
pods=$(kc -n "${NS}" get pods -l "batch.kubernetes.io/job-name=${refused_job}" -o name | wc -l)
(( pods == 1 )) || die "v4: the refused Job ran ${pods} pods; a refusal must fail the Job without a retry"

# ------------------------------------------------------------------ dev: basic served from the host
# Applied over the refused v4, it also shows the way out of a refusal: apply a good app, and the
# refused Jobs make way for ones that converge.
log "evolve: applying dev over the refused v4 (basic served by a process on the host at ${DEV_ADDRESS})"
apply_step dev
# What a developer runs: the chaincode with the env chaincode-env prints, here from the manifests.
dev_env=$(hyperkube chaincode-env basic --dist "${EVOLVE_DIR}/dev") || die "dev: hyperkube chaincode-env failed"
log "dev: hyperkube chaincode-env basic: ${dev_env//$'\n'/ }"
# shellcheck disable=SC2086 # the env lines are KEY=value words
env ${dev_env} "${E2E_DIR}/chaincode/entrypoint.sh" >"${EVOLVE_DIR}/dev-server.log" 2>&1 &
dev_server_pid=$!
wait_for_jobs "${t_apply}"
timing "dev: apply -> converged" "$(since "${t_apply}")"
expect_servers dev
t_client=$(date +%s)
client_scenario "${EVOLVE_DIR}/dev" "${EVOLVE_DIR}/client-dev.log" --org2 org3 || die "dev: client scenario through the chaincode on the host failed (its log: ${EVOLVE_DIR}/dev-server.log)"
timing "dev: apply -> first tx endorsed by the chaincode on the host" "$(first_tx_after "${t_apply}" "${t_client}" "${EVOLVE_DIR}/client-dev.log")"
kill -0 "${dev_server_pid}" 2>/dev/null || die "dev: the chaincode on the host is not running: $(tail -5 "${EVOLVE_DIR}/dev-server.log")"
reapply_changes_nothing "${EVOLVE_DIR}/dev"
# The peers have no other server: with the process stopped, a query fails.
stop_dev_server
client_run evaluate "${EVOLVE_DIR}/dev" "${EVOLVE_DIR}/client-dev-stopped.log" --org org1 --fn ReadAsset \
  --arg "$(asset_of "${EVOLVE_DIR}/client-dev.log")" --expect-error 'could not launch chaincode|connection refused' >/dev/null \
  || die "dev: with the chaincode on the host stopped, a query of basic did not fail as it should"
log "dev: the chaincode on the host stopped: $(grep -o 'failed as expected.*' "${EVOLVE_DIR}/client-dev-stopped.log" | cut -c1-300)"

# ------------------------------------------------------------------ v5: basic leaves the app
log "evolve: applying v5 (basic removed from the app)"
apply_step v5
wait_for_jobs "${t_apply}"
timing "v5: apply -> converged" "$(since "${t_apply}")"
expect_servers v5
kc -n "${NS}" logs -l hyperkube.io/step=reconcile-channel --tail=-1 2>/dev/null | grep 'retired chaincode server' | sed 's/^/  v5 reconcile: /' >&2 || true
reapply_changes_nothing "${EVOLVE_DIR}/v5"
