#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# A small dynamic provisioner for the kit's default StorageClass "hostpath": every two seconds
# it gives each pending claim of that class a hostPath PersistentVolume, pre-bound to the claim,
# in a fresh folder under STATE_ROOT/volumes; released volumes are deleted with their folders.
# up.sh starts it in the background and down.sh stops it by its pidfile.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

PROVISIONER=hyperkube.local/hostpath
VOLUMES="${STATE_ROOT}/volumes"
mkdir -p "${VOLUMES}"
kc() { "${K8S_BIN}/kubectl" --kubeconfig "${KUBECONFIG_ADMIN}" --request-timeout=20s "$@"; }

provision() {
  local ns="$1" name="$2" uid="$3" size="$4" modes="$5" pv="pvc-$3"
  mkdir -p "${VOLUMES}/${pv}"
  chmod 0777 "${VOLUMES}/${pv}"
  jq -n --arg pv "${pv}" --arg ns "${ns}" --arg name "${name}" --arg uid "${uid}" --arg size "${size}" \
        --argjson modes "${modes}" --arg path "${VOLUMES}/${pv}" --arg prov "${PROVISIONER}" '{
    apiVersion: "v1", kind: "PersistentVolume",
    metadata: {name: $pv, annotations: {"pv.kubernetes.io/provisioned-by": $prov}},
    spec: {
      capacity: {storage: $size}, accessModes: $modes, storageClassName: "hostpath",
      persistentVolumeReclaimPolicy: "Delete", volumeMode: "Filesystem",
      claimRef: {apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: $ns, name: $name, uid: $uid},
      hostPath: {path: $path, type: "DirectoryOrCreate"}
    }
  }' | kc create -f - >/dev/null && log "provisioned ${pv} (${size}) for ${ns}/${name}"
}

log "provisioner: watching claims of StorageClass hostpath"
while true; do
  if claims=$(kc get pvc -A -o json 2>/dev/null); then
    jq -r '.items[] | select(.status.phase == "Pending" and (.spec.volumeName // "") == ""
             and .spec.storageClassName == "hostpath")
           | [.metadata.namespace, .metadata.name, .metadata.uid, .spec.resources.requests.storage,
              (.spec.accessModes | tojson)] | @tsv' <<<"${claims}" |
    while IFS=$'\t' read -r ns name uid size modes; do
      kc get pv "pvc-${uid}" >/dev/null 2>&1 || provision "${ns}" "${name}" "${uid}" "${size}" "${modes}" || true
    done
  fi
  if volumes=$(kc get pv -o json 2>/dev/null); then
    jq -r --arg prov "${PROVISIONER}" '.items[] | select(.metadata.annotations["pv.kubernetes.io/provisioned-by"] == $prov
             and (.status.phase == "Released" or .status.phase == "Failed")
             and .spec.persistentVolumeReclaimPolicy == "Delete") | .metadata.name' <<<"${volumes}" |
    while read -r pv; do
      [[ "${pv}" == pvc-* ]] || continue
      rm -rf "${VOLUMES:?}/${pv}"
      if kc delete pv "${pv}" --wait=false >/dev/null; then log "deleted released ${pv}"; fi
    done
  fi
  sleep 2
done
