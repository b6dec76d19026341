#!/usr/bin/env bash
# shellcheck shell=bash
# The backup scenario, sourced by run.sh once the reference network runs, before evolve:
#   MinIO (built by the kit) in namespace backup-store as the S3 target, and a bucket;
#   assets written, then a backup of every node, one at a time, while the client keeps submitting;
#   the restore manifests applied over the running network: each node's restore refuses its volume,
#   which holds data (the deliberate break: its exact words are logged);
#   the namespace deleted with its volumes, and the network applied again with restoreFrom: each
#   node filled from the backup; mychannel's height equals the highest in the manifest before any
#   new transaction, every asset committed before the backup started reads back, a new one commits;
#   the reference manifests applied again, so that the next scenario finds the network it expects.
# Uses run.sh's kc, log, die, timing, since, wait_for_jobs, client_run, client_scenario,
# peer_addresses, hyperkube and drop_namespace.

BACKUP_DIR="${STATE_ROOT}/backup"
BACKUP_ID=e2e-under-load
BUCKET=fabric-backups
# SigV4 signs the sha256 of the payload; these requests have none.
EMPTY_SHA256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855

# synth_backup_app DIR BACKUP RESTORE: the reference network with a NetworkBackup, and MinIO.
synth_backup_app() {
  rm -rf "$1"
  ( cd "${REPO}" && BACKUP_OUTDIR="$1" BACKUP_NAME="$2" RESTORE_FROM="$3" MINIO_IMAGE="${MINIO_IMAGE}" \
      npx --no-install ts-node --transpile-only test/e2e/backup/main.ts )
}

# minio PATH [CURL ARG...]: a request to MinIO from the host, as its root user (main.ts).
minio() {
  local path=$1
  shift
  curl -sS --fail --max-time 30 --aws-sigv4 "aws:amz:us-east-1:s3" --user hyperkube-e2e:hyperkube-e2e-secret \
    -H "x-amz-content-sha256: ${EMPTY_SHA256}" "$@" "http://${minio_ip}:9000/${path}"
}

# channel_heights: mychannel's height on every node, as `hyperkube status` reads them ("null" where unknown).
channel_heights() {
  hyperkube status -n "${NS}" -o json | jq -c '[.channels[] | select(.name == "mychannel") | .heights[] | .height]'
}

rm -rf "${BACKUP_DIR}"
mkdir -p "${BACKUP_DIR}"
t=$(date +%s)
synth_backup_app "${BACKUP_DIR}/backup" "${BACKUP_ID}" "" || die "backup: the backup app did not synthesize"
synth_backup_app "${BACKUP_DIR}/restore" "" "${BACKUP_ID}" || die "backup: the restore app did not synthesize"
kc apply -f "${BACKUP_DIR}/backup/backup-store.k8s.yaml" >/dev/null
kc -n backup-store rollout status deployment/minio --timeout=180s >/dev/null || die "backup: MinIO did not become ready"
minio_ip=$(kc -n backup-store get svc minio -o jsonpath='{.spec.clusterIP}')
minio "${BUCKET}" -X PUT >/dev/null || die "backup: could not create bucket ${BUCKET} in MinIO"
timing "backup: MinIO up, bucket created" "$(since "${t}")"

# ---- back up while the client submits
client_scenario "${DIST}" "${BACKUP_DIR}/before.log" --asset-id backup-e2e-before >/dev/null || die "backup: the client scenario before the backup failed"
rm -f "${BACKUP_DIR}/load.stop"
PEER_ADDRESSES="$(peer_addresses)" node "${E2E_DIR}/client/dist/main.js" load --dist "${DIST}" --namespace "${NS}" \
  --stop-file "${BACKUP_DIR}/load.stop" --max-seconds 900 --retry-interval 1 >"${BACKUP_DIR}/load.log" 2>&1 &
backup_load_pid=$!
for _ in $(seq 60); do
  (( $(grep -c ' committed in block ' "${BACKUP_DIR}/load.log" || true) >= 3 )) && break
  sleep 1
done
# Every asset committed before the backup starts must be in the restored network.
grep -oE 'load: \S+ committed in block' "${BACKUP_DIR}/load.log" | awk '{print $2}' >"${BACKUP_DIR}/committed-before.txt"
(( $(wc -l <"${BACKUP_DIR}/committed-before.txt") >= 3 )) || die "backup: the load committed fewer than 3 transactions in 60s (${BACKUP_DIR}/load.log)"
t=$(date +%s)
kc apply -f "${BACKUP_DIR}/backup/test-network.k8s.yaml" >/dev/null
backup_job=$(kc -n "${NS}" get jobs -l hyperkube.io/step=backup-network -o name)
if ! kc -n "${NS}" wait --for=condition=complete "${backup_job}" --timeout=900s >/dev/null; then
  kc -n "${NS}" logs "${backup_job}" --tail 40 >&2 || true
  die "backup: ${backup_job} did not complete"
fi
timing "backup: 5 nodes, one at a time, while the client submits" "$(since "${t}")"
touch "${BACKUP_DIR}/load.stop"
# One-peer orgs pause while their peer is copied: the load's failed endorsements then are expected.
wait "${backup_load_pid}" || true
log "backup: $(grep -o 'load summary: .*' "${BACKUP_DIR}/load.log")"
kc -n "${NS}" logs "${backup_job}" | grep -E ' is back after | stopping ' | sed 's/^/[backup job] /' >&2
minio "${BUCKET}/${BACKUP_ID}/manifest.json" >"${BACKUP_DIR}/manifest.json" || die "backup: no manifest.json in MinIO"
log "backup: manifest of ${BACKUP_ID}:"
jq . "${BACKUP_DIR}/manifest.json" >&2
manifest_height=$(jq '[.nodes[] | .heights.mychannel] | max' "${BACKUP_DIR}/manifest.json")
jq -e '[.nodes[].node] | length == 5' "${BACKUP_DIR}/manifest.json" >/dev/null || die "backup: the manifest does not list the 5 nodes"
log "backup: heights of mychannel before the network is lost: $(channel_heights); highest in the manifest: ${manifest_height}"

# ---- the deliberate break: a restore into volumes that hold data
kc apply -f "${BACKUP_DIR}/restore/test-network.k8s.yaml" >/dev/null
refusal=""
for _ in $(seq 60); do
  refusal=$(kc -n "${NS}" get pod org1-peer0-0 -o json 2>/dev/null \
    | jq -r '.status.initContainerStatuses[]? | select(.name == "restore") | (.lastState.terminated // .state.terminated // {}) | .message // empty')
  [[ -n "${refusal}" ]] && break
  sleep 1
done
grep -q 'REFUSED: the ledger volume of org1-peer0 (PVC ledger-org1-peer0-0) already holds data' <<<"${refusal}" \
  || die "backup: a restore into a volume that holds data was not refused (init container said: ${refusal:-nothing})"
log "backup: the restore into a volume with data, as refused: ${refusal}"

# ---- lose the network, then restore it
drop_namespace "${NS}"
for _ in $(seq 120); do
  [[ "$(kc get pv -o json | jq --arg ns "${NS}" '[.items[] | select(.spec.claimRef.namespace == $ns)] | length')" == 0 ]] && break
  sleep 1
done
t_apply=$(date +%s)
kc apply -f "${BACKUP_DIR}/restore/test-network.k8s.yaml" >/dev/null
wait_for_jobs "${t_apply}"
timing "restore: apply -> all Jobs complete" "$(since "${t_apply}")"
for pod in org1-peer0-0 org2-peer0-0 orderer-node0-0 orderer-node1-0 orderer-node2-0; do
  kc -n "${NS}" logs "${pod}" -c restore | grep -E 'restored .* from backup' | sed 's/^/[restore] /' >&2
done
heights=""
for _ in $(seq 60); do
  heights=$(channel_heights)
  jq -e --argjson h "${manifest_height}" 'length == 5 and all(. == $h)' <<<"${heights}" >/dev/null && break
  sleep 1
done
jq -e --argjson h "${manifest_height}" 'length == 5 and all(. == $h)' <<<"${heights}" >/dev/null \
  || die "restore: mychannel's heights ${heights} are not all ${manifest_height}, the highest in the manifest"
log "restore: heights of mychannel after the restore, before any new transaction: ${heights}"
timing "restore: apply -> heights equal the manifest's" "$(since "${t_apply}")"

t=$(date +%s)
client_run evaluate "${DIST}" "${BACKUP_DIR}/read-before.log" --fn ReadAsset --arg backup-e2e-before >/dev/null \
  || die "restore: asset backup-e2e-before, written before the backup, does not read back"
while read -r asset; do
  client_run evaluate "${DIST}" "${BACKUP_DIR}/read-load.log" --fn ReadAsset --arg "${asset}" >/dev/null \
    || die "restore: asset ${asset}, committed before the backup started, does not read back"
done <"${BACKUP_DIR}/committed-before.txt"
client_scenario "${DIST}" "${BACKUP_DIR}/after.log" --asset-id backup-e2e-after >/dev/null || die "restore: a new transaction did not commit"
timing "restore: $(( $(wc -l <"${BACKUP_DIR}/committed-before.txt") + 1 )) assets read back, a new transaction committed" "$(since "${t}")"

# ---- back to the reference manifests for the next scenarios
t=$(date +%s)
kc delete namespace backup-store --wait=false >/dev/null
kc apply -R -f "${DIST}" >/dev/null
for node in org1-peer0 org2-peer0 orderer-node0 orderer-node1 orderer-node2; do
  kc -n "${NS}" rollout status "statefulset/${node}" --timeout=300s >/dev/null || die "backup: ${node} did not roll back to the reference manifests"
done
timing "backup: reference manifests applied again" "$(since "${t}")"
