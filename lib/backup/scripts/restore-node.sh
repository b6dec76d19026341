#!/usr/bin/env bash
# The restore init container of a node: before the node starts, fills its EMPTY ledger volume
# (LEDGER_DIR) with the node's copy in backup BACKUP_NAME, after checking the copy's sha256
# against the backup's manifest. A volume that holds data is never written: the restore is
# refused, saying how to go on. A marker file records the restore, so a restarted pod goes on.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/backup-store.sh"

MARKER="${LEDGER_DIR}/.hyperkube-restored"
DOWNLOAD="${LEDGER_DIR}/.hyperkube-restore-download"

# ledger_content: what the volume holds besides the filesystem's own folder and a download.
ledger_content() {
  find "${LEDGER_DIR}" -mindepth 1 -maxdepth 1 ! -name lost+found ! -name "$(basename "${DOWNLOAD}")" -printf '%f\n' | sort | paste -sd' '
}

# empty_ledger: takes back a half-done extraction, so that the next attempt finds the volume empty.
empty_ledger() {
  find "${LEDGER_DIR}" -mindepth 1 -maxdepth 1 ! -name lost+found -exec rm -rf {} +
}

main() {
  local started content expected actual heights
  started=$(date +%s)
  if [[ -f "${MARKER}" ]]; then
    [[ "$(cat "${MARKER}")" == "${BACKUP_NAME}" ]] || refuse "the ledger volume of ${NODE} was restored from backup $(cat "${MARKER}"), not ${BACKUP_NAME}, and holds that ledger now. Set restoreFrom back to $(cat "${MARKER}"), or remove restoreFrom to run on the data the volume holds."
    log "${NODE} was restored from backup ${BACKUP_NAME} already; starting on its data"
    return 0
  fi
  content=$(ledger_content)
  if [[ -n "${content}" ]]; then
    refuse "the ledger volume of ${NODE} (PVC ledger-${NODE}-0) already holds data (${content}); a restore fills only empty volumes and never mixes two ledgers. To restore backup ${BACKUP_NAME} here, delete that PVC and this pod (the data on it is lost), or restore into a new namespace; to keep the data, remove restoreFrom from the NetworkBackup."
  fi
  store_get "${BACKUP_NAME}/manifest.json" "${WORK_DIR}/manifest.json" \
    || refuse "backup ${BACKUP_NAME} has no manifest.json in $(store_describe), so it is incomplete or misnamed. Name a backup whose Job completed in restoreFrom."
  expected=$(jq -r --arg node "${NODE}" '.nodes[] | select(.node == $node) | .sha256' "${WORK_DIR}/manifest.json")
  [[ -n "${expected}" ]] || refuse "backup ${BACKUP_NAME} holds no copy of node ${NODE} (it holds $(jq -r '[.nodes[].node] | join(", ")' "${WORK_DIR}/manifest.json")). Restore a backup of this network, or add the node after the restore."
  heights=$(jq -c --arg node "${NODE}" '.nodes[] | select(.node == $node) | .heights' "${WORK_DIR}/manifest.json")
  log "restoring ${NODE} from backup ${BACKUP_NAME} in $(store_describe) (heights ${heights})"
  store_get "${BACKUP_NAME}/${NODE}.tar.gz" "${DOWNLOAD}" || refuse "backup ${BACKUP_NAME} lists ${NODE} but holds no ${NODE}.tar.gz in $(store_describe); the backup is damaged. Restore another backup."
  actual=$(sha256sum "${DOWNLOAD}" | cut -d' ' -f1)
  if [[ "${actual}" != "${expected}" ]]; then
    rm -f "${DOWNLOAD}"
    fail "the copy of ${NODE} in backup ${BACKUP_NAME} has sha256 ${actual}, not ${expected} as its manifest says: it was damaged in the store or on the way. Nothing was written; the next attempt downloads it again."
  fi
  if ! tar -xzf "${DOWNLOAD}" -C "${LEDGER_DIR}"; then
    empty_ledger
    fail "could not unpack the copy of ${NODE} (is the volume large enough for it?); the volume was emptied again"
  fi
  rm -f "${DOWNLOAD}"
  echo "${BACKUP_NAME}" >"${MARKER}"
  log "restored ${NODE} from backup ${BACKUP_NAME} (sha256 ${actual} verified, heights ${heights}) in $(($(date +%s) - started))s"
}

main
