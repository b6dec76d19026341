#!/usr/bin/env bash
# Regenerates imports/gateway.networking.k8s.io.ts, the typed TLSRoute, with `cdk8s import` from the
# CRD that the Go module sigs.k8s.io/gateway-api ships (standard channel). The version is the one the
# e2e kit installs (GATEWAY_API_VERSION in test/e2e/cluster/versions.env), so the types and the
# cluster's CRDs never differ. Needs Go with the module proxy. Run: npm run import:gateway-api
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source-path=SCRIPTDIR/.. source=test/e2e/cluster/versions.env
. test/e2e/cluster/versions.env
module_dir=$(GOFLAGS=-mod=mod go mod download -json "sigs.k8s.io/gateway-api@${GATEWAY_API_VERSION}" \
  | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[[ -d "${module_dir}" ]] || { echo "sigs.k8s.io/gateway-api@${GATEWAY_API_VERSION} was not downloaded" >&2; exit 1; }
npx --no-install cdk8s import --save=false --language typescript --output imports \
  "${module_dir}/config/crd/standard/gateway.networking.k8s.io_tlsroutes.yaml"
