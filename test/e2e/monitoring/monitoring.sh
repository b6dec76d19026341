#!/usr/bin/env bash
# shellcheck shell=bash
# The monitoring scenario, sourced by run.sh, on the reference network: its Monitoring
# (monitoring/main.ts, 2 s scrape and evaluation intervals) and a plain Prometheus built by the kit
# from the Go module proxy. run.sh synthesizes it while the cluster starts (monitoring_synth),
# applies it right after the network (monitoring_apply), so that the client's transactions are in
# Prometheus's data, and checks after the client scenario (monitoring_checks):
# every node's operations endpoint is an up target, scraped over TLS verified against its
# organization's TLS CA with the <org>-metrics client pair; every peer's ledger_blockchain_height on
# mychannel equals the channel's height (the consenters' ledger height); promtool accepts the rules
# and Prometheus evaluates them all; the dashboard is well formed and every panel's query returns
# series; stopping one consenter fires HyperkubeConsenterInactive, which clears once it is back.
# Then the monitoring objects are deleted, leaving the reference network as it was.
# Uses run.sh's kc, log, die, timing and since.

MON_DIR="${STATE_ROOT}/monitoring"
MON_CHANNEL="${E2E_CHANNEL:-mychannel}"
# The consenter the scenario stops.
MON_STOPPED=orderer-node2
# The window of the dashboard's rate() queries (Grafana's $__rate_interval): it reaches back over the
# client scenario, whose transactions Prometheus scraped.
MON_RATE_WINDOW=5m

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

# mon_poll SECONDS COMMAND...: polls COMMAND every second; fails if it has not succeeded after SECONDS.
mon_poll() {
  local limit=$1 start
  shift
  start=$(date +%s)
  until "$@"; do
    (( $(date +%s) - start < limit )) || return 1
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
# rules_evaluated_ok GROUPS: Prometheus has GROUPS rule groups, every rule evaluated without error
# (a rule's health is "unknown" until its first evaluation).
rules_evaluated_ok() {
  prom_api /api/v1/rules | jq -e --argjson groups "$1" '(.data.groups | length == $groups) and all(.data.groups[].rules[]; .health == "ok")' >/dev/null
}

alert_firing() { alert_state "$1" | grep -qx firing; }
alert_clear() { ! alert_state "$1" | grep -q .; }

# monitoring_synth: writes the scenario's manifests into ${MON_DIR}/monitoring (run in the background).
monitoring_synth() {
  rm -rf "${MON_DIR}"
  ( cd "${REPO}" && MONITORING_OUTDIR="${MON_DIR}" PROMETHEUS_IMAGE="${PROMETHEUS_IMAGE}" \
      npx --no-install ts-node --transpile-only test/e2e/monitoring/main.ts 2>/dev/null )
}

# monitoring_apply: applies the monitoring objects and Prometheus (right after the network).
monitoring_apply() {
  kc apply -f "${MON_DIR}/monitoring/monitoring.k8s.yaml" >/dev/null
}

# monitoring_checks: the checks after the client scenario, the stopped consenter, and the clean-up.
monitoring_checks() {
  local t t_checks title expr result rule_groups
  t_checks=$(date +%s)
  t=$(date +%s)
  node_count=$(kc -n "${NS}" get statefulsets -o name | grep -cE -- '-(peer|node)[0-9]+$')
  kc -n "${NS}" rollout status deployment/prometheus --timeout=60s >/dev/null || die "monitoring: Prometheus not ready within 60s"
  prometheus_ip=$(kc -n "${NS}" get service prometheus -o jsonpath='{.spec.clusterIP}')
  mon_poll 30 targets_all_up || die "monitoring: not every node is an up target within 30s: $(prom_api /api/v1/targets \
    | jq -c '[.data.activeTargets[] | select(.health != "up") | {node: .labels.fabric_node, health, lastError}]')"
  prom_api /api/v1/targets | jq -r '.data.activeTargets[] | "\(.labels.fabric_node) \(.health) \(.scrapeUrl)"' | sort | sed 's/^/[targets] /' >&2
  mon_poll 20 peers_at_channel_height || die "monitoring: the peers' ledger_blockchain_height on ${MON_CHANNEL} is not the channel's height within 20s: $(prom_query \
    "ledger_blockchain_height{namespace=\"${NS}\",channel=\"${MON_CHANNEL}\"}" | jq -c 'map({(.metric.fabric_node): .value[1]}) | add')"
  prom_query "ledger_blockchain_height{namespace=\"${NS}\",channel=\"${MON_CHANNEL}\"}" \
    | jq -r '.[] | "ledger_blockchain_height{fabric_node=\"\(.metric.fabric_node)\"} \(.value[1])"' | sort | sed 's/^/[promql] /' >&2

  kc -n "${NS}" get configmap hyperkube-prometheus -o jsonpath='{.data.rules\.yml}' >"${MON_DIR}/rules.yml"
  "${PROMETHEUS_BIN}/promtool" check rules "${MON_DIR}/rules.yml" 2>&1 | sed 's/^/[promtool] /' >&2
  [[ ${PIPESTATUS[0]} -eq 0 ]] || die "monitoring: promtool refused the generated rules"
  rule_groups=$(grep -c '^  - name: ' "${MON_DIR}/rules.yml")
  rules_evaluated_ok "${rule_groups}" || sleep 5
  rules_evaluated_ok "${rule_groups}" \
    || die "monitoring: Prometheus did not load and evaluate all ${rule_groups} rule groups: $(prom_api /api/v1/rules | jq -c '[.data.groups[] | {name, rules: [.rules[] | {name, health, lastError}]}]')"

  # The dashboard as Grafana loads it: unique panel ids, panels on the 24-column grid without overlap,
  # each query on the dashboard's data source; and each query returns series.
  jq -e '.uid and .title and (.panels | length > 0) and ([.panels[].id] | length == (unique | length))
         and all(.panels[]; .gridPos.x >= 0 and .gridPos.x + .gridPos.w <= 24 and .gridPos.h > 0)
         and ([.panels[] | .gridPos as $g | range($g.y; $g.y + $g.h) as $row | range($g.x; $g.x + $g.w) as $col | "\($row),\($col)"]
              | length == (unique | length))
         and all(.panels[] | select(.type != "row"); .datasource.uid == "${datasource}" and (.targets | length > 0))' \
    "${MON_DIR}/monitoring/dashboard.json" >/dev/null || die "monitoring: the dashboard's JSON is not a loadable Grafana dashboard"
  while IFS=$'\t' read -r title expr; do
    result=$(prom_query "${expr//\$__rate_interval/${MON_RATE_WINDOW}}")
    jq -e 'length > 0' <<<"${result}" >/dev/null || die "monitoring: dashboard panel \"${title}\" returns no series: ${expr}"
    log "dashboard panel \"${title}\": $(jq -r 'map("\(.metric.fabric_node)=\(.value[1])") | sort | join(" ")' <<<"${result}")"
  done < <(jq -r '.panels[] | select(.type != "row") | [.title, .targets[0].expr] | @tsv' "${MON_DIR}/monitoring/dashboard.json")
  timing "monitoring: targets up, heights, rules and dashboard checked" "$(since "${t}")"

  t=$(date +%s)
  kc -n "${NS}" scale statefulset "${MON_STOPPED}" --replicas=0 >/dev/null
  mon_poll 90 alert_firing HyperkubeConsenterInactive || die "monitoring: HyperkubeConsenterInactive not firing within 90s of stopping ${MON_STOPPED}: $(prom_query \
    "consensus_etcdraft_active_nodes{namespace=\"${NS}\",channel=\"${MON_CHANNEL}\"}" | jq -c 'map({(.metric.fabric_node): .value[1]}) | add')"
  prom_api /api/v1/alerts | jq -c --arg channel "${MON_CHANNEL}" '.data.alerts[] | select(.state == "firing" and (.labels.channel == $channel or .labels.fabric_node != null))
    | {alertname: .labels.alertname, channel: .labels.channel, fabric_node: .labels.fabric_node, state, value, description: .annotations.description}' \
    | sed 's/^/[alert] /' >&2
  timing "monitoring: ${MON_STOPPED} stopped -> HyperkubeConsenterInactive firing" "$(since "${t}")"

  t=$(date +%s)
  kc -n "${NS}" scale statefulset "${MON_STOPPED}" --replicas=1 >/dev/null
  kc -n "${NS}" rollout status "statefulset/${MON_STOPPED}" --timeout=120s >/dev/null || die "monitoring: ${MON_STOPPED} not back within 120s"
  mon_poll 90 alert_clear HyperkubeConsenterInactive || die "monitoring: HyperkubeConsenterInactive still $(alert_state HyperkubeConsenterInactive) 90s after ${MON_STOPPED} restarted"
  timing "monitoring: ${MON_STOPPED} restarted -> alert cleared" "$(since "${t}")"

  kc delete -f "${MON_DIR}/monitoring/monitoring.k8s.yaml" --wait=false >/dev/null
  timing "monitoring: checks after the client scenario, with the stopped consenter" "$(since "${t_checks}")"
}
