#!/usr/bin/env bash
# Regenerates imports/monitoring.coreos.com.ts, the typed ServiceMonitor and PrometheusRule, with
# `cdk8s import` from the CRDs that the Go module github.com/prometheus-operator/prometheus-operator
# ships (example/prometheus-operator-crd). The version is pinned in test/e2e/cluster/versions.env
# (PROMETHEUS_OPERATOR_VERSION). Needs Go with the module proxy. Run: npm run import:prometheus-operator
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source-path=SCRIPTDIR/.. source=test/e2e/cluster/versions.env
. test/e2e/cluster/versions.env
module="github.com/prometheus-operator/prometheus-operator@${PROMETHEUS_OPERATOR_VERSION}"
module_dir=$(GOFLAGS=-mod=mod go mod download -json "${module}" \
  | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[[ -d "${module_dir}" ]] || { echo "${module} was not downloaded" >&2; exit 1; }
# cdk8s import names the output after the CRDs' group when given several files of one group: both
# kinds land in imports/monitoring.coreos.com.ts.
crds="${module_dir}/example/prometheus-operator-crd"
combined=$(mktemp --suffix=.yaml)
trap 'rm -f "${combined}"' EXIT
cat "${crds}/monitoring.coreos.com_servicemonitors.yaml" <(echo ---) "${crds}/monitoring.coreos.com_prometheusrules.yaml" >"${combined}"
npx --no-install cdk8s import --check-upgrade=false --save=false --language typescript --output imports "${combined}"
