#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# End-to-end test of Hyperkube on a real single-node Kubernetes cluster built on this machine
# (see cluster/README.md). Scenarios, in this order, all in the same cluster:
#   reference  build or reuse the cluster kit's cache -> cluster up -> cdk8s synth -> kubectl apply
#              dist/ -> wait for every Job -> Fabric Gateway client scenario -> apply again and check
#              nothing changed and no Job ran again.
#   application (application/application.sh) an Application of Org1 added to the reference network: its
#              pod runs the Gateway client's load from the mounted identity and the environment alone;
#              transactions committed, re-applied without effect, selected by evolve's pruning apply.
#   monitoring (monitoring/monitoring.sh) the reference network's Monitoring and a plain Prometheus
#              built by the kit, applied right after the network; after the client scenario, every node an up target over verified TLS, every peer's
#              ledger_blockchain_height at the channel's height, promtool and Prometheus accept the
#              rules, every dashboard query returns series, a stopped consenter fires its alert.
#   backup     (backup/backup.sh) MinIO as the S3 target; the reference network backed up, node by
#              node, while a client submits; a restore into volumes with data refused; the namespace
#              and its volumes deleted, the network restored from the backup: heights equal the
#              manifest's, the assets read back, a new transaction commits; reference manifests again.
#   evolve     (evolve/evolve.sh) v2 and v3 of one app applied over the reference network, each
#              checked on the running network and re-applied without effect.
#   multi-org  (multi-org/multi-org.sh) namespace fabric deleted; apps/multi-org (3 peer orgs x 2
#              peers, 2 ordering orgs, channels trade and claims) applied in fabric-multi; a private
#              data write by Bank read by Shipper and refused to Insurer; a transaction on claims;
#              re-applied without effect.
#   exposure   (exposure/exposure.sh) around multi-org: Traefik as the cluster's Gateway API ingress;
#              the multi-org network exposed through it from its first apply; from the host, only
#              through the ingress by SNI: the Gateway client's transaction on claims, osnadmin and
#              the ordering endpoints' certificates.
#   faults     (faults/faults.sh) fabric-multi deleted; the multi-org app brought up afresh in
#              fabric-faults while an orderer pod is deleted during the creation of channel trade and
#              a peer pod right after it endorsed its org's chaincode approval; every Job must
#              complete within 2 minutes of the apply, a transaction still commits, and no peer may
#              count an invalid transaction (ledger_transaction_count on the operations endpoints).
#   ca         (ca/ca.sh) fabric-faults deleted; the reference network in Fabric CA mode in
#              fabric-ca: no key in dist/, the client scenario with identities read from the
#              cluster, re-apply, a CA pod replaced. It keeps running while the next scenario runs.
#   imported   (imported/imported.sh) the reference network in fabric-imported with identities
#              from a folder cryptogen made: no key in dist/, keys put in by the import script, the
#              client scenario, the script and the manifests applied again without effect.
#   ca renewal (ca/ca-renewal.sh) back in fabric-ca: every certificate renewed with the same key by
#              the CronJobs, every node restarted on it, and the client scenario again.
# Then timings. The cluster is always torn down at the end (E2E_KEEP_CLUSTER=1 keeps it, with its
# kubeconfig printed).
#
# Environment:
#   E2E_DIST            manifests folder of the reference network (default: <repo>/dist)
#   E2E_SKIP_SYNTH=1    apply E2E_DIST as it is, without running cdk8s synth
#   E2E_NAMESPACE       namespace of the reference network (default: fabric)
#   E2E_JOB_TIMEOUT     seconds to wait for the Jobs of a bring-up (default: 1500)
#   E2E_CHANNEL, E2E_CHAINCODE  passed to the client (defaults: mychannel, basic)
#   E2E_JOIN_JOB_PATTERN, E2E_COMMIT_JOB_PATTERN  extended regexes naming the Jobs whose
#                       completion marks "channel joined" / "chaincode committed" (join / commit)
#   E2E_SKIP_CLIENT=1   stop the reference scenario after the Jobs (for manifests without a chaincode)
#   E2E_SKIP_APPLICATION=1  leave out the application scenario (and the client image)
#   E2E_SKIP_MONITORING=1  leave out the monitoring scenario (and the Prometheus build)
#   E2E_SKIP_BACKUP=1   leave out the backup scenario (and MinIO's build and image)
#   E2E_SKIP_EVOLVE=1   leave out the evolve scenario
#   E2E_SKIP_MULTI_ORG=1  leave out the multi-org scenario
#   E2E_SKIP_EXPOSURE=1 leave out the exposure scenario (and the ingress image)
#   E2E_SKIP_FAULTS=1   leave out the faults scenario
#   E2E_SKIP_CA=1       leave out the CA scenario
#   E2E_SKIP_IMPORTED=1 leave out the imported scenario
#   E2E_FAULT_DEADLINE  seconds from the faults scenario's apply by which every Job must be complete
#                       (default: 120)
#   E2E_FAULT_ORDERER   when the faults scenario deletes an orderer during the creation of trade:
#                       after-join (default) or before-join (see faults/faults.sh)
#   E2E_KEEP_CLUSTER=1  leave the cluster running
#   E2E_ALLOW_NOOP_PATCH=1  accept "configured" on re-apply when no object's resourceVersion moved
set -euo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "${E2E_DIR}/../.." && pwd)"
KIT="${E2E_DIR}/cluster"
# shellcheck source=cluster/lib.sh
. "${KIT}/lib.sh"
# shellcheck source=breakdown.sh
. "${E2E_DIR}/breakdown.sh"

DIST="${E2E_DIST:-${REPO}/dist}"
NS="${E2E_NAMESPACE:-fabric}"
JOB_TIMEOUT="${E2E_JOB_TIMEOUT:-1500}"
JOIN_RE="${E2E_JOIN_JOB_PATTERN:-join}"
COMMIT_RE="${E2E_COMMIT_JOB_PATTERN:-commit}"

declare -A T=()
order=()
timing() { T[$1]="$2"; order+=("$1"); log "timing: $1 = $2"; }
since() { echo "$(( $(date +%s) - $1 ))s"; }
kc() { "${K8S_BIN}/kubectl" --kubeconfig "${KUBECONFIG_ADMIN}" --request-timeout=60s "$@"; }

print_timings() {
  local k
  echo "==== e2e timings ===="
  for k in "${order[@]}"; do printf '  %-56s %s\n' "${k}" "${T[${k}]}"; done
}

diagnostics() {
  echo "==== diagnostics ===="
  [[ -f "${KUBECONFIG_ADMIN}" ]] || { echo "(no cluster)"; return; }
  kc get nodes -o wide || true
  kc get all,pvc,configmaps -A -o wide || true
  kc get pv || true
  echo "---- Jobs in ${NS}"
  kc -n "${NS}" get jobs -o wide || true
  local pod
  for pod in $(kc -n "${NS}" get pods -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.status.phase}{"\n"}{end}' 2>/dev/null \
               | awk '$2 != "Succeeded" {print $1}'); do
    echo "---- pod ${NS}/${pod}"
    kc -n "${NS}" describe pod "${pod}" | sed -n '/^Containers:/,$p' | tail -40 || true
    kc -n "${NS}" logs "${pod}" --all-containers --tail 60 --prefix || true
    kc -n "${NS}" logs "${pod}" --all-containers --tail 30 --prefix --previous 2>/dev/null || true
  done
  # The last attempt of each Job, whatever its outcome.
  local job
  for job in $(kc -n "${NS}" get jobs -o jsonpath='{.items[*].metadata.name}' 2>/dev/null); do
    echo "---- job ${job} (last pod log)"
    kc -n "${NS}" logs "job/${job}" --tail 40 || true
  done
  echo "---- events"
  kc get events -A --sort-by=.lastTimestamp | tail -50 || true
  echo "---- kit logs: ${LOG_DIR}"
  local f
  for f in kubelet containerd kube-apiserver; do
    echo "-- ${f} (last error lines)"
    grep -E '^E[0-9]{4}|level=error' "${LOG_DIR}/${f}.log" 2>/dev/null | tail -15 || true
  done
}

# stop_dev_server: ends the evolve scenario's chaincode process on the host, if it runs.
stop_dev_server() {
  if [[ -n "${dev_server_pid:-}" ]]; then
    kill "${dev_server_pid}" 2>/dev/null || true
    wait "${dev_server_pid}" 2>/dev/null || true
    dev_server_pid=""
  fi
}

on_exit() {
  local rc=$?
  trap - EXIT
  stop_dev_server
  if (( rc != 0 )); then
    echo "E2E FAILED (exit ${rc})" >&2
    diagnostics >&2 || true
  fi
  if [[ "${E2E_KEEP_CLUSTER:-0}" == 1 ]]; then
    log "cluster kept; kubectl --kubeconfig ${KUBECONFIG_ADMIN} ...; stop it with ${KIT}/down.sh"
  else
    local t
    t=$(date +%s)
    KEEP_STATE=0 "${KIT}/down.sh" || echo "down.sh reported errors" >&2
    timing "cluster down" "$(since "${t}")"
  fi
  print_timings
  if (( rc == 0 )); then echo "E2E PASSED"; fi
  exit "${rc}"
}
trap on_exit EXIT
# A stopped run is a failed one, whatever the last command returned.
trap 'exit 143' TERM
trap 'exit 130' INT

[[ $(id -u) -eq 0 ]] || die "run.sh needs root (it starts a Kubernetes node)"

# ---------------------------------------------------------------- host packages
missing=()
for c in etcd containerd runc ctr iptables conntrack debootstrap openssl jq curl socat; do
  command -v "${c}" >/dev/null || missing+=("${c}")
done
[[ -x /usr/lib/cni/bridge ]] || missing+=(cni-plugins)
if (( ${#missing[@]} )); then
  log "installing Debian packages (missing: ${missing[*]})"
  apt-get update -qq
  # shellcheck disable=SC2086  # a list of package names
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${DEBIAN_PACKAGES} >/dev/null
fi

# ---------------------------------------------------------------- builds
t=$(date +%s)
# build_part PART: installs and compiles test/e2e/PART; the two build side by side, one per core.
build_part() {
  local dir="${E2E_DIR}/$1"
  if [[ ! -d "${dir}/node_modules" ]]; then
    ( cd "${dir}" && npm ci --no-audit --no-fund --loglevel=error )
  fi
  log "building test/e2e/$1"
  ( cd "${dir}" && npm run --silent build )
}
build_part chaincode & chaincode_build=$!
build_part client & client_build=$!
wait "${chaincode_build}" || die "test/e2e/chaincode did not build"
wait "${client_build}" || die "test/e2e/client did not build"
timing "build chaincode+client" "$(since "${t}")"

# The package's CLI, compiled with the options of tsconfig.json, from its entry point alone (the
# library's constructs are not in its imports): each call then costs a node start, not a compile.
t=$(date +%s)
CLI_BUILD=$(mktemp -d)
( cd "${REPO}" && npx --no-install tsc --outDir "${CLI_BUILD}" --rootDir . --target ES2022 --module commonjs --esModuleInterop \
    --skipLibCheck --strict --types node lib/cli/main.ts ) || die "the CLI does not compile"
timing "build hyperkube CLI" "$(since "${t}")"

t=$(date +%s)
mkdir -p "${CACHE_ROOT}/logs"
"${KIT}/build.sh" 2>&1 | tee "${CACHE_ROOT}/logs/build.log" >&2 || die "cluster kit build failed"
kind=cached
sed -n '/build summary:/,$p' "${CACHE_ROOT}/logs/build.log" | grep -q ' built' && kind=fresh
timing "build kit (${kind})" "$(since "${t}")"

# ---------------------------------------------------------------- cluster
"${KIT}/down.sh" >/dev/null 2>&1 || true   # leftovers of an aborted run
# The monitoring scenario's manifests (monitoring/monitoring.sh) are synthesized while the cluster starts.
monitoring=0
if [[ "${E2E_SKIP_CLIENT:-0}" != 1 && "${E2E_SKIP_MONITORING:-0}" != 1 ]]; then
  monitoring=1
  # shellcheck source=monitoring/monitoring.sh
  . "${E2E_DIR}/monitoring/monitoring.sh"
  monitoring_synth & monitoring_synth_pid=$!
fi
t=$(date +%s)
"${KIT}/up.sh"
timing "cluster up" "$(since "${t}")"

# ---------------------------------------------------------------- manifests
if [[ "${E2E_SKIP_SYNTH:-0}" != 1 ]]; then
  t=$(date +%s)
  ( cd "${REPO}" && npx --no-install cdk8s synth --check-upgrade=false >/dev/null )
  timing "cdk8s synth" "$(since "${t}")"
fi
compgen -G "${DIST}/*.yaml" >/dev/null || die "no manifests in ${DIST}"

t_apply=$(date +%s)
kc apply -R -f "${DIST}" >/dev/null
timing "kubectl apply" "$(since "${t_apply}")"

# Prometheus comes up beside the reference network, so that the client's transactions are in its data.
if (( monitoring )); then
  wait "${monitoring_synth_pid}" || die "monitoring: test/e2e/monitoring/main.ts did not synthesize"
  monitoring_apply
fi

# ---------------------------------------------------------------- Jobs
# Seconds from the apply to the last completion among the Jobs whose names match $1.
milestone() {
  jq -r --arg re "$1" '[.items[] | select(.metadata.name | test($re)) | .status.completionTime // empty]
                       | if length == 0 then "" else max end' <<<"$2"
}

# hyperkube ARG...: the package's CLI against this cluster.
hyperkube() {
  KUBECONFIG="${KUBECONFIG_ADMIN}" NODE_PATH="${REPO}/node_modules" node "${CLI_BUILD}/lib/cli/main.js" "$@"
}

# wait_for_jobs T_APPLY: waits with `hyperkube wait` until every Job of the network in ${NS} is
# complete; dies, with the CLI's explanation, on a failed or stuck one. Leaves the Job list in $jobs_json.
wait_for_jobs() {
  local t_apply=$1 left
  left=$(( t_apply + JOB_TIMEOUT - $(date +%s) ))
  hyperkube wait -n "${NS}" --timeout "$(( left > 0 ? left : 1 ))" 2>&1 | sed 's/^/[hyperkube] /' \
    || die "Jobs in ${NS} not complete (hyperkube wait above)"
  jobs_json=$(kc -n "${NS}" get jobs -o json)
}

wait_for_jobs "${t_apply}"
timing "apply -> all Jobs complete" "$(since "${t_apply}")"
for m in "channel joined:${JOIN_RE}" "chaincode committed:${COMMIT_RE}"; do
  at=$(milestone "${m#*:}" "${jobs_json}")
  if [[ -n "${at}" ]]; then
    timing "apply -> ${m%%:*}" "$(( $(date -d "${at}" +%s) - t_apply ))s"
  else
    timing "apply -> ${m%%:*}" "n/a (no Job matches /${m#*:}/)"
  fi
done

# ---------------------------------------------------------------- client
# peer_addresses: "host=clusterIP:7051,..." for every peer Service, so the host can dial them.
peer_addresses() {
  local addrs=() name ip
  while read -r name ip; do
    addrs+=("${name}.${NS}.svc.${CLUSTER_DOMAIN}=${ip}:7051")
  done < <(kc -n "${NS}" get svc -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.spec.clusterIP}{"\n"}{end}' \
           | awk '$1 ~ /-peer[0-9]+$/')
  (( ${#addrs[@]} )) || die "no peer Services (<org>-peerN) in ${NS}"
  (IFS=,; echo "${addrs[*]}")
}

# client_run COMMAND DIST LOG [CLIENT FLAGS...]: runs a command of the Gateway client against the
# peers of ${NS}, its output also in LOG. It retries a failed submit for up to CLIENT_RETRY_SECONDS
# (default 300).
client_run() {
  local command=$1 dist=$2 client_log=$3
  shift 3
  PEER_ADDRESSES="$(peer_addresses)" node "${E2E_DIR}/client/dist/main.js" "${command}" \
    --dist "${dist}" --namespace "${NS}" --retry-seconds "${CLIENT_RETRY_SECONDS:-300}" "$@" 2>&1 | tee "${client_log}"
}

# client_scenario DIST LOG [CLIENT FLAGS...]: the Gateway client's create, transfer and read scenario.
client_scenario() {
  local dist=$1 client_log=$2
  shift 2
  client_run scenario "${dist}" "${client_log}" --channel "${E2E_CHANNEL:-mychannel}" --chaincode "${E2E_CHAINCODE:-basic}" "$@"
}

# export_client_objects DIR: what an application of Org1 and Org2 needs, read from ${NS} (connection
# profiles and user Secrets), for networks whose manifests do not hold them (CA and imported modes).
export_client_objects() {
  mkdir -p "$1"
  kc -n "${NS}" get configmap/org1-connection-profile configmap/org2-connection-profile secret/org1-user1 secret/org2-user1 -o json \
    | jq -c '.items[]' | sed 's/^/---\n/' >"$1/cluster-objects.yaml"
}

# first_tx_after T_APPLY T_CLIENT LOG [WHAT]: seconds from the apply to the moment the client logged
# "WHAT <seconds>s after the scenario started" (default WHAT: first committed transaction).
first_tx_after() {
  local first what=${4:-first committed transaction}
  first=$(grep -oE "${what} (committed )?[0-9.]+s" "$3" | head -1 | grep -oE '[0-9.]+s$' | tr -d s || true)
  [[ -n "${first}" ]] && awk -v a="$(( $2 - $1 ))" -v b="${first}" 'BEGIN{printf "%.0fs", a + b}'
}

if [[ "${E2E_SKIP_CLIENT:-0}" != 1 ]]; then
  t_client=$(date +%s)
  # Ready means ready: once every Job is complete, an application's first submit succeeds, with no retry.
  CLIENT_RETRY_SECONDS=0 client_scenario "${DIST}" "${STATE_ROOT}/client.log" \
    || die "client scenario failed: its first submit, with no retry, right after every Job completed"
  timing "client scenario" "$(since "${t_client}")"
  timing "apply -> first committed tx" "$(first_tx_after "${t_apply}" "${t_client}" "${STATE_ROOT}/client.log")"
fi
bringup_breakdown "${t_apply}" "reference"

# ---------------------------------------------------------------- the CLI on the reference network
# cli_checks DIR: `hyperkube status` must find every node ready, every node of mychannel at one height
# and basic committed with every org's approval; `hyperkube export` must write the user's own key.
cli_checks() {
  local dir=$1 status t
  t=$(date +%s)
  for _ in $(seq 15); do
    status=$(hyperkube status -n "${NS}" -o json)
    jq -e '(.nodes | all(.ready)) and (.channels[] | select(.name == "mychannel") | [.heights[].height] | all(. != null) and (unique | length == 1))
           and (.chaincodes[] | select(.name == "basic") | .committed.approvals | length > 0 and all)' <<<"${status}" >/dev/null && break
    sleep 2
  done
  jq -e '.channels | length > 0' <<<"${status}" >/dev/null || die "hyperkube status reports no channel: ${status}"
  jq -e '(.nodes | all(.ready)) and (.channels[] | select(.name == "mychannel") | [.heights[].height] | all(. != null) and (unique | length == 1))' <<<"${status}" >/dev/null \
    || die "hyperkube status: a node is not ready or mychannel's heights differ: $(jq -c '[.nodes[] | {name, ready}], .channels' <<<"${status}")"
  jq -e '.chaincodes[] | select(.name == "basic") | .committed.approvals | length > 0 and all' <<<"${status}" >/dev/null \
    || die "hyperkube status: basic is not committed with every org's approval: $(jq -c .chaincodes <<<"${status}")"
  hyperkube status -n "${NS}" | sed 's/^/[hyperkube status] /'
  hyperkube export org1 -n "${NS}" --out "${dir}/org1" >/dev/null
  [[ "$(cat "${dir}/org1/msp/keystore/key.pem")" == "$(kc -n "${NS}" get secret org1-user1 -o jsonpath='{.data.key\.pem}' | base64 -d)" ]] \
    || die "hyperkube export org1 wrote a key that is not org1-user1's"
  timing "hyperkube status and export checked" "$(since "${t}")"
}

if [[ "${E2E_SKIP_CLIENT:-0}" != 1 ]]; then
  cli_checks "${STATE_ROOT}/export"
fi

# ---------------------------------------------------------------- idempotence
# Applying the same manifests again must change nothing: kubectl must say "unchanged" for every
# object, no object's resourceVersion may move, and no Job may be created (a Job runs again only as
# a new Job: apply creates it before it returns, so the check needs no wait).
reapply_changes_nothing() {
  local dist=$1 t rv_before reapply rv_after moved changed jobs_before jobs_after
  versions() { kc get -R -f "${dist}" -o json | jq -r '(.items // [.])[] | "\(.kind)/\(.metadata.namespace // "-")/\(.metadata.name) \(.metadata.resourceVersion)"' | sort; }
  # The apply's own Jobs and their pods; a CronJob's runs (CA mode's renewals) come and go on their own.
  applied_jobs() { kc -n "${NS}" get jobs -o json | jq -r '.items[] | select(all(.metadata.ownerReferences[]?; .kind != "CronJob")) | "\(.metadata.name) \(.metadata.uid)"' | sort; }
  t=$(date +%s)
  jobs_before=$(applied_jobs)
  rv_before=$(versions)
  # Validation is the first apply's business, and kubectl computes the same patches from the API's
  # OpenAPI v2 document as from v3 with a fraction of the CPU: 0.5 s instead of 8 s for 46 objects.
  reapply=$(KUBECTL_OPENAPIV3_PATCH=false kc apply --validate=false -R -f "${dist}")
  rv_after=$(versions)
  moved=$(comm -13 <(echo "${rv_before}") <(echo "${rv_after}") | awk '{print $1}')
  changed=$(grep -v ' unchanged$' <<<"${reapply}" || true)
  if [[ -n "${moved}" ]]; then
    echo "objects whose resourceVersion moved on re-apply:" >&2
    echo "${moved}" >&2
    die "re-applying ${dist} changed objects"
  fi
  if [[ -n "${changed}" ]]; then
    echo "${changed}" >&2
    echo "(no resourceVersion moved: kubectl sent a patch that changed nothing. For StatefulSets this is" \
         "volumeClaimTemplates, which client-side apply replaces whole: write each template with the" \
         "server's defaults - apiVersion: v1, kind: PersistentVolumeClaim, metadata.creationTimestamp: null," \
         "spec.volumeMode: Filesystem, status.phase: Pending.)" >&2
    [[ "${E2E_ALLOW_NOOP_PATCH:-0}" == 1 ]] || die "re-applying ${dist} did not report every object unchanged (above)"
  fi
  jobs_after=$(applied_jobs)
  [[ "${jobs_after}" == "${jobs_before}" ]] || die "Jobs changed after re-apply: $(diff <(echo "${jobs_before}") <(echo "${jobs_after}") | tr '\n' ' ')"
  timing "re-apply $(basename "${dist}"): $(wc -l <<<"${reapply}") objects unchanged, no Job re-run" "$(since "${t}")"
}

reapply_changes_nothing "${DIST}"

# ---------------------------------------------------------------- application
if [[ "${E2E_SKIP_CLIENT:-0}" != 1 && "${E2E_SKIP_APPLICATION:-0}" != 1 ]]; then
  # shellcheck source=application/application.sh
  . "${E2E_DIR}/application/application.sh"
fi

# ---------------------------------------------------------------- monitoring: checks
if (( monitoring )); then
  monitoring_checks
fi

# ---------------------------------------------------------------- helpers of the later scenarios
# drop_namespace NS: deletes a namespace of an earlier scenario, if there, and waits until it is gone,
# so that its pods stop competing for the CPU.
drop_namespace() {
  local t
  kc get namespace "$1" >/dev/null 2>&1 || return 0
  t=$(date +%s)
  log "deleting namespace $1 (an earlier scenario's network) to free the CPU"
  # Its pods stop at once: how they shut down gracefully is not what the next scenario tests. The
  # namespace goes first, so that no controller can replace them (a terminating namespace takes no
  # new object).
  kc delete namespace "$1" --wait=false >/dev/null
  kc -n "$1" delete pods --all --grace-period=1 --wait=false >/dev/null
  kc wait --for=delete "namespace/$1" --timeout=300s >/dev/null || die "namespace $1 not deleted within 300s"
  timing "delete namespace $1" "$(since "${t}")"
}

# operations_metrics SERVICE: the /metrics text of a node of ${NS} (peer or orderer), fetched over
# mutual TLS: checked against the org's TLS CA (ConfigMap <org>-msp, tlsca.pem), as the org admin's
# TLS identity (Secret <org>-admin). SERVICE is <org>-<node>.
operations_metrics() {
  local service=$1 org=${1%-*} ip host pki="${STATE_ROOT}/ops-tls/${NS}/${1%-*}"
  ip=$(kc -n "${NS}" get svc "${service}" -o jsonpath='{.spec.clusterIP}')
  host="${service}.${NS}.svc.${CLUSTER_DOMAIN}"
  if [[ ! -s "${pki}/tls.key" ]]; then
    mkdir -p "${pki}"
    kc -n "${NS}" get configmap "${org}-msp" -o jsonpath='{.data.tlsca\.pem}' >"${pki}/ca.pem"
    kc -n "${NS}" get secret "${org}-admin" -o jsonpath='{.data.tls\.crt}' | base64 -d >"${pki}/tls.crt"
    kc -n "${NS}" get secret "${org}-admin" -o jsonpath='{.data.tls\.key}' | base64 -d >"${pki}/tls.key"
  fi
  curl -sS --max-time 5 --cacert "${pki}/ca.pem" --cert "${pki}/tls.crt" --key "${pki}/tls.key" \
    --resolve "${host}:9443:${ip}" "https://${host}:9443/metrics"
}

# ---------------------------------------------------------------- backup and restore
if [[ "${E2E_SKIP_CLIENT:-0}" != 1 && "${E2E_SKIP_BACKUP:-0}" != 1 ]]; then
  # shellcheck source=backup/backup.sh
  . "${E2E_DIR}/backup/backup.sh"
fi

# ---------------------------------------------------------------- evolve
if [[ "${E2E_SKIP_EVOLVE:-0}" != 1 ]]; then
  # shellcheck source=evolve/evolve.sh
  . "${E2E_DIR}/evolve/evolve.sh"
fi

# ---------------------------------------------------------------- multi-org, exposed
exposure=0
[[ "${E2E_SKIP_MULTI_ORG:-0}" != 1 && "${E2E_SKIP_EXPOSURE:-0}" != 1 ]] && exposure=1
if (( exposure )); then
  # shellcheck source=exposure/exposure.sh
  . "${E2E_DIR}/exposure/exposure.sh"
  exposure_ingress_up
fi
if [[ "${E2E_SKIP_MULTI_ORG:-0}" != 1 ]]; then
  # shellcheck source=multi-org/multi-org.sh
  . "${E2E_DIR}/multi-org/multi-org.sh"
fi
if (( exposure )); then
  exposure_checks
fi

# ---------------------------------------------------------------- faults
if [[ "${E2E_SKIP_FAULTS:-0}" != 1 ]]; then
  # shellcheck source=faults/faults.sh
  . "${E2E_DIR}/faults/faults.sh"
fi

# ---------------------------------------------------------------- ca
if [[ "${E2E_SKIP_CA:-0}" != 1 ]]; then
  # shellcheck source=ca/ca.sh
  . "${E2E_DIR}/ca/ca.sh"
fi

# ---------------------------------------------------------------- imported
# While the CA scenario's network waits for its renewal.
if [[ "${E2E_SKIP_IMPORTED:-0}" != 1 ]]; then
  # shellcheck source=imported/imported.sh
  . "${E2E_DIR}/imported/imported.sh"
fi

# ---------------------------------------------------------------- ca: renewal
if [[ "${E2E_SKIP_CA:-0}" != 1 ]]; then
  # shellcheck source=ca/ca-renewal.sh
  . "${E2E_DIR}/ca/ca-renewal.sh"
fi
