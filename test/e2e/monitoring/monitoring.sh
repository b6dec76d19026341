#!/usr/bin/env bash
# shellcheck shell=bash
# The monitoring scenario, sourced by run.sh right after the reference network's client scenario:
# the reference network's Monitoring (monitoring/main.ts, 2 s scrape and evaluation intervals) and a
# plain Prometheus built by the kit from the Go module proxy, applied to the running network.
# Checks: every node's operations endpoint is an up target, scraped over TLS verified against its
# organization's TLS CA with the <org>-metrics client pair; every peer's ledger_blockchain_height on
# mychannel equals the channel's height (the consenters' ledger height); promtool accepts the rules
# and Prometheus loaded them all; every dashboard panel is well placed and its query returns series;
# stopping one consenter fires HyperkubeConsenterInactive, which clears once it is back. Then the
# monitoring objects are deleted, leaving the reference network as it was for the next scenarios.
# Uses run.sh's kc, log, die, timing and since.

MON_DIR="${STATE_ROOT}/monitoring"
MON_CHANNEL="${E2E_CHANNEL:-mychannel}"
# The consenter the scenario stops.
MON_STOPPED=orderer-node2

# prom_api PATH [CURL ARGS...]: a GET of Prometheus's HTTP API through its Service.
prom_api() {
  local path=$1
  shift
  curl -sS --max-time 5 "http://${prometheus_ip}:9090${path}" "$@"
}

# prom_query EXPR: the result of an instant query, as JSON; dies if Prometheus refuses it.
prom_query() {
  local reply
  reply=$(prom_api /api/v1/query --get --data-urlencode "query=$1")
  jq -e '.status == "success"' <<<"${reply}" >/dev/null || die "monitoring: Prometheus refused the query $1: ${reply}"
  jq -c '.data.result' <<<"${reply}"
}

# mon_wait WHAT SECONDS COMMAND...: polls COMMAND every second; dies naming WHAT after SECONDS.
mon_wait() {
  local what=$1 limit=$2 start
  shift 2
  start=$(date +%s)
  until "$@"; do
    (( $(date +%s) - start < limit )) || die "monitoring: ${what} not within ${limit}s"
    sleep 1
  done
}

targets_all_up() {
  prom_api /api/v1/targets | jq -e --argjson n "${node_count}" \
    '.data.activeTargets | length == $n and all(.health == "up")' >/dev/null
}

peers_at_channel_height() {
  prom_query "ledger_blockchain_height{namespace=\"${NS}\",channel=\"${MON_CHANNEL}\"}" \
    | jq -e '(map(select(.metric.fabric_role == "orderer") | .value[1] | tonumber) | max) as $height
             | map(select(.metric.fabric_role == "peer")) | length > 0 and all(.value[1] | tonumber == $height)' >/dev/null
}

# alert_state NAME: the states (pending, firing) of alert NAME on ${MON_CHANNEL}, one a line.
alert_state() {
  prom_api /api/v1/alerts | jq -r --arg name "$1" --arg channel "${MON_CHANNEL}" \
    '.data.alerts[] | select(.labels.alertname == $name and .labels.channel == $channel) | .state'
}
alert_firing() { alert_state "$1" | grep -qx firing; }
alert_clear() { ! alert_state "$1" | grep -q .; }

rm -rf "${MON_DIR}"
t_mon=$(date +%s)
( cd "${REPO}" && MONITORING_OUTDIR="${MON_DIR}" PROMETHEUS_IMAGE="${PROMETHEUS_IMAGE}" \
    npx --no-install ts-node --transpile-only test/e2e/monitoring/main.ts 2>/dev/null )
node_count=$(kc -n "${NS}" get statefulsets -o name | grep -cE -- '-(peer|node)[0-9]+$')
kc apply -f "${MON_DIR}/monitoring/monitoring.k8s.yaml" >/dev/null
timing "monitoring: synth and apply" "$(since "${t_mon}")"

t=$(date +%s)
kc -n "${NS}" rollout status deployment/prometheus --timeout=60s >/dev/null || die "monitoring: Prometheus not ready within 60s"
prometheus_ip=$(kc -n "${NS}" get service prometheus -o jsonpath='{.spec.clusterIP}')
mon_wait "every target up" 30 targets_all_up
prom_api /api/v1/targets | jq -r '.data.activeTargets[] | "\(.labels.fabric_node) \(.health) \(.scrapeUrl)"' | sort | sed 's/^/[targets] /' >&2
timing "monitoring: Prometheus ready -> ${node_count} targets up" "$(since "${t}")"

t=$(date +%s)
mon_wait "every peer's ledger_blockchain_height at the height of ${MON_CHANNEL}" 20 peers_at_channel_height
prom_query "ledger_blockchain_height{namespace=\"${NS}\",channel=\"${MON_CHANNEL}\"}" \
  | jq -r '.[] | "ledger_blockchain_height{fabric_node=\"\(.metric.fabric_node)\"} \(.value[1])"' | sort | sed 's/^/[promql] /' >&2

kc -n "${NS}" get configmap hyperkube-prometheus -o jsonpath='{.data.rules\.yml}' >"${MON_DIR}/rules.yml"
"${PROMETHEUS_BIN}/promtool" check rules "${MON_DIR}/rules.yml" 2>&1 | sed 's/^/[promtool] /' >&2
[[ ${PIPESTATUS[0]} -eq 0 ]] || die "monitoring: promtool refused the generated rules"
prom_api /api/v1/rules | jq -e --argjson groups "$(grep -c '^  - name: ' "${MON_DIR}/rules.yml")" \
  '.data.groups | length == $groups and all(.rules[]; .health == "ok")' >/dev/null \
  || die "monitoring: Prometheus did not load every rule group in health: $(prom_api /api/v1/rules | jq -c '[.data.groups[] | {name, rules: [.rules[] | {name, health, lastError}]}]')"

# The dashboard as Grafana loads it: unique panel ids, panels on the 24-column grid without overlap,
# each query on the dashboard's data source; and each query, with Grafana's rate window, returns series.
jq -e '.uid and .title and (.panels | length > 0) and ([.panels[].id] | length == (unique | length))
       and all(.panels[]; .gridPos.x >= 0 and .gridPos.x + .gridPos.w <= 24 and .gridPos.h > 0)
       and ([.panels[] | .gridPos as $g | range($g.y; $g.y + $g.h) as $row | range($g.x; $g.x + $g.w) as $col | "\($row),\($col)"]
            | length == (unique | length))
       and all(.panels[] | select(.type != "row"); .datasource.uid == "${datasource}" and (.targets | length > 0))' \
  "${MON_DIR}/monitoring/dashboard.json" >/dev/null || die "monitoring: the dashboard's JSON is not a loadable Grafana dashboard"
while IFS=$'\t' read -r title expr; do
  series=$(prom_query "${expr//\$__rate_interval/20s}" | jq length)
  (( series > 0 )) || die "monitoring: dashboard panel \"${title}\" returns no series: ${expr}"
  log "dashboard panel \"${title}\": ${series} series"
done < <(jq -r '.panels[] | select(.type != "row") | [.title, .targets[0].expr] | @tsv' "${MON_DIR}/monitoring/dashboard.json")
timing "monitoring: heights, rules and dashboard checked" "$(since "${t}")"

t=$(date +%s)
kc -n "${NS}" scale statefulset "${MON_STOPPED}" --replicas=0 >/dev/null
mon_wait "HyperkubeConsenterInactive firing after ${MON_STOPPED} stopped" 90 alert_firing HyperkubeConsenterInactive
prom_api /api/v1/alerts | jq -c --arg channel "${MON_CHANNEL}" '.data.alerts[] | select(.state == "firing" and (.labels.channel == $channel or .labels.fabric_node != null))
  | {alertname: .labels.alertname, channel: .labels.channel, fabric_node: .labels.fabric_node, state, value, description: .annotations.description}' \
  | sed 's/^/[alert] /' >&2
timing "monitoring: ${MON_STOPPED} stopped -> HyperkubeConsenterInactive firing" "$(since "${t}")"

t=$(date +%s)
kc -n "${NS}" scale statefulset "${MON_STOPPED}" --replicas=1 >/dev/null
kc -n "${NS}" rollout status "statefulset/${MON_STOPPED}" --timeout=120s >/dev/null || die "monitoring: ${MON_STOPPED} not back within 120s"
mon_wait "HyperkubeConsenterInactive cleared after ${MON_STOPPED} restarted" 90 alert_clear HyperkubeConsenterInactive
timing "monitoring: ${MON_STOPPED} restarted -> alert cleared" "$(since "${t}")"

kc delete -f "${MON_DIR}/monitoring/monitoring.k8s.yaml" --wait=false >/dev/null
timing "monitoring: whole scenario" "$(since "${t_mon}")"
