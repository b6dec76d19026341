#!/usr/bin/env bash
# The backup agent of one node. The backup Job starts it once the node's pod is gone, with the
# node's ledger volume mounted read-only at LEDGER_DIR, and names the backup in BACKUP_NAME. It
# stores the whole volume as BACKUP_NAME/NODE.tar.gz, then BACKUP_NAME/NODE.json (the heights
# of the copied ledger, its size and sha256), and stays up and ready until the Job stops it.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/backup-store.sh"

[[ -n "${BACKUP_NAME:-}" ]] || fail "no backup name: this pod runs only when the backup Job starts it"
[[ -d "${LEDGER_DIR}" ]] || fail "the ledger volume of ${NODE} is not mounted at ${LEDGER_DIR}"
archive="${WORK_DIR}/${NODE}.tar.gz"
started=$(date +%s)
heights=$(ledger_heights "${LEDGER_DIR}")
log "copying the ledger volume of ${NODE} (heights ${heights}) into backup ${BACKUP_NAME}"
# A previous restore's marker and the filesystem's own folder are not ledger data.
tar -C "${LEDGER_DIR}" --exclude=./lost+found --exclude=./.hyperkube-restored -czf "${archive}" .
sha256=$(sha256sum "${archive}" | cut -d' ' -f1)
bytes=$(stat -c %s "${archive}")
store_put "${archive}" "${BACKUP_NAME}/${NODE}.tar.gz"
jq -n --arg node "${NODE}" --arg archive "${NODE}.tar.gz" --arg sha256 "${sha256}" --argjson bytes "${bytes}" \
  --argjson heights "${heights}" --argjson seconds $(($(date +%s) - started)) \
  '{node: $node, archive: $archive, bytes: $bytes, sha256: $sha256, heights: $heights, copySeconds: $seconds}' >"${WORK_DIR}/${NODE}.json"
store_put "${WORK_DIR}/${NODE}.json" "${BACKUP_NAME}/${NODE}.json"
rm -f "${archive}"
log "stored ${NODE}.tar.gz (${bytes} bytes, sha256 ${sha256}) in $(store_describe)"
touch "${READY_FILE}"
while true; do
  sleep 3600
done
