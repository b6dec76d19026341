#!/usr/bin/env bash
# shellcheck shell=bash
# The application scenario, sourced by run.sh once the reference network runs: an Application of
# Org1 (application/main.ts) added to it, whose pod runs the Gateway client's load with no
# manifests: only the files the construct mounts and the fabric-samples environment it sets.
# Checks: the pod's log shows transactions committed, read as Org1 from the environment; a
# re-apply changes nothing; the selector of the pruning apply the evolve scenario makes selects
# the application, so that apply removes it. That adding the application leaves every other object
# of the reference network as it was is a unit test (test/application), so only its objects are applied.
# Uses run.sh's kc, log, die, timing, since and reapply_changes_nothing.

APP_DIR="${STATE_ROOT}/application"
APP_NAME=gateway-client
# Transactions the pod must log as committed.
APP_COMMITS=2
PRUNE_SELECTOR="app.kubernetes.io/part-of=test-network,hyperkube.io/retired-by!=chaincode-jobs"

# app_commits: how many transactions the application's pod has logged as committed.
app_commits() {
  kc -n "${NS}" logs "deployment/${APP_NAME}" 2>/dev/null | grep -c ' committed in block ' || true
}

rm -rf "${APP_DIR}"
t_app=$(date +%s)
( cd "${REPO}" && APPLICATION_OUTDIR="${APP_DIR}" npx --no-install ts-node --transpile-only test/e2e/application/main.ts )
kc apply -R -f "${APP_DIR}/application" >/dev/null
kc -n "${NS}" rollout status "deployment/${APP_NAME}" --timeout=120s >/dev/null \
  || die "application: deployment/${APP_NAME} not available within 120s"
for _ in $(seq 60); do
  (( $(app_commits) >= APP_COMMITS )) && break
  sleep 1
done
kc -n "${NS}" logs "deployment/${APP_NAME}" | sed -n "1,$(( APP_COMMITS + 2 ))s/^/[application] /p" >&2
(( $(app_commits) >= APP_COMMITS )) || die "application: the pod logged fewer than ${APP_COMMITS} committed transactions within 60s of being available"
# grep reads the whole log: with pipefail, grep -q on a pipe can fail the check when kubectl gets SIGPIPE.
grep -q 'Org1MSP from the environment' <<<"$(kc -n "${NS}" logs "deployment/${APP_NAME}")" \
  || die "application: the client did not read Org1 from the environment the Application sets"
timing "application: apply -> ${APP_COMMITS} transactions committed by the in-cluster client" "$(since "${t_app}")"

reapply_changes_nothing "${APP_DIR}/application"

# kubectl apply --prune deletes what its selector selects and the manifests lack: the evolve
# scenario's next version lacks the application.
kc -n "${NS}" get deployments -l "${PRUNE_SELECTOR}" -o name | grep -qx "deployment.apps/${APP_NAME}" \
  || die "application: the evolve scenario's prune selector (${PRUNE_SELECTOR}) does not select deployment/${APP_NAME}"
