#!/bin/sh
# Writes the peer's core.yaml: the image's own file minus vm.endpoint. With that key set the
# peer pings a Docker daemon, and an empty environment override does not unset it; without it,
# chaincode runs only through external builders such as the image's CCaaS builder.
#
# Env: SOURCE_CONFIG (the image's core.yaml), TARGET_CONFIG (where the peer reads it).
set -eu

if ! grep -q 'ccaas_builder' "${SOURCE_CONFIG}"; then
  echo "ERROR: ${SOURCE_CONFIG} declares no ccaas_builder external builder; use a Fabric 2.4+ peer image" >&2
  exit 1
fi
sed '/^vm:/,/^[^[:space:]#]/{/^[[:space:]][[:space:]]*endpoint:/d;}' "${SOURCE_CONFIG}" >"${TARGET_CONFIG}"
if sed -n '/^vm:/,/^[^[:space:]#]/p' "${TARGET_CONFIG}" | grep -q '^[[:space:]]*endpoint:'; then
  echo "ERROR: could not remove vm.endpoint from ${SOURCE_CONFIG}" >&2
  exit 1
fi
echo "wrote ${TARGET_CONFIG} from ${SOURCE_CONFIG} without vm.endpoint"
