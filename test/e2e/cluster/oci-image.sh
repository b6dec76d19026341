#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Writes an OCI image archive (oci-layout + index.json + blobs) from prepared layer tars.
# Usage: oci-image.sh OUT.tar NAME CONFIG_JSON LAYER.tar...
#   NAME         full reference, e.g. docker.io/hyperledger/fabric-peer:2.5.9
#   CONFIG_JSON  the image's "config" object (Env, Entrypoint, Cmd, WorkingDir, ...)
# Layers are stored uncompressed; their digests are their diff IDs.
set -euo pipefail

out="$1" name="$2" runconfig="$3"
shift 3
layout="$(mktemp -d)"
trap 'rm -rf "${layout}"' EXIT
mkdir -p "${layout}/blobs/sha256"

sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { stat -c %s "$1"; }

layers_json="[]"
diff_ids="[]"
for layer in "$@"; do
  d=$(sha "${layer}")
  # Hard links keep the blob store from copying large layers.
  ln -f "${layer}" "${layout}/blobs/sha256/${d}" 2>/dev/null || cp "${layer}" "${layout}/blobs/sha256/${d}"
  layers_json=$(jq -c --arg d "sha256:${d}" --argjson s "$(size "${layer}")" \
    '. + [{mediaType: "application/vnd.oci.image.layer.v1.tar", digest: $d, size: $s}]' <<<"${layers_json}")
  diff_ids=$(jq -c --arg d "sha256:${d}" '. + [$d]' <<<"${diff_ids}")
done

config="${layout}/config.json"
jq -n --argjson cfg "${runconfig}" --argjson ids "${diff_ids}" '{
  created: "1970-01-01T00:00:00Z",
  architecture: "amd64",
  os: "linux",
  config: $cfg,
  rootfs: {type: "layers", diff_ids: $ids},
  history: [$ids[] | {created: "1970-01-01T00:00:00Z", created_by: "hyperkube e2e cluster kit"}]
}' > "${config}"
cd_=$(sha "${config}")
mv "${config}" "${layout}/blobs/sha256/${cd_}"

manifest="${layout}/manifest.json"
jq -n --arg cd "sha256:${cd_}" --argjson cs "$(size "${layout}/blobs/sha256/${cd_}")" --argjson layers "${layers_json}" '{
  schemaVersion: 2,
  mediaType: "application/vnd.oci.image.manifest.v1+json",
  config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $cd, size: $cs},
  layers: $layers
}' > "${manifest}"
md=$(sha "${manifest}")
ms=$(size "${manifest}")
mv "${manifest}" "${layout}/blobs/sha256/${md}"

jq -n --arg md "sha256:${md}" --argjson ms "${ms}" --arg name "${name}" --arg tag "${name##*:}" '{
  schemaVersion: 2,
  mediaType: "application/vnd.oci.image.index.v1+json",
  manifests: [{
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    digest: $md, size: $ms,
    platform: {architecture: "amd64", os: "linux"},
    annotations: {"io.containerd.image.name": $name, "org.opencontainers.image.ref.name": $tag}
  }]
}' > "${layout}/index.json"
printf '{"imageLayoutVersion":"1.0.0"}' > "${layout}/oci-layout"

tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "${layout}" -cf "${out}.partial" oci-layout index.json blobs
mv "${out}.partial" "${out}"
