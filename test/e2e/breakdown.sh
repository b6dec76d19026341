#!/usr/bin/env bash
# Where the time of a bring-up goes: each phase as seconds from the apply, read after the fact from
# what the cluster recorded (pod conditions, the orderers' Raft log, the Jobs' timestamped logs).
# Sourced by run.sh, never run on its own. Uses run.sh's kc and timing.

# phase_at WHEN: seconds from T_APPLY to WHEN (a date(1) time), or "n/a" when WHEN is empty.
phase_at() {
  if [[ -z "$1" ]]; then
    echo "n/a"
  else
    echo "$(( $(date -d "$1" +%s) - BREAKDOWN_APPLY ))s"
  fi
}

# last_job_line STEP PATTERN: the time of the last line matching PATTERN in the logs of the Jobs of
# STEP (hyperkube.io/step), whose lines start with an ISO time.
last_job_line() {
  kc -n "${NS}" logs -l "hyperkube.io/step=$1" --tail=-1 --max-log-requests=50 2>/dev/null \
    | grep -E "$2" | awk '{print $1}' | sort | tail -n 1
}

# ready_at COMPONENT: when the last pod of COMPONENT (app.kubernetes.io/component) became ready.
ready_at() {
  kc -n "${NS}" get pods -l "app.kubernetes.io/component=$1" -o json \
    | jq -r '[.items[].status.conditions[]? | select(.type == "Ready" and .status == "True") | .lastTransitionTime] | max // empty'
}

# raft_leader_at: when the first consenter logged a Raft leader for an application channel. Fabric
# colours its log lines even into a file: the colour codes go first.
raft_leader_at() {
  kc -n "${NS}" logs -l app.kubernetes.io/component=orderer --tail=-1 --max-log-requests=50 2>/dev/null \
    | grep -F 'Raft leader changed: 0 -> ' | sed 's/\x1b\[[0-9;]*m//g' \
    | grep -oE '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]+ UTC' | sort | head -n 1
}

# bringup_breakdown T_APPLY LABEL: prints "LABEL: apply -> PHASE" for each phase of the bring-up
# of the network in ${NS}, after every Job completed.
bringup_breakdown() {
  BREAKDOWN_APPLY=$1
  local label=$2
  timing "${label}: apply -> orderers ready" "$(phase_at "$(ready_at orderer)")"
  timing "${label}: apply -> peers ready" "$(phase_at "$(ready_at peer)")"
  timing "${label}: apply -> Raft leader" "$(phase_at "$(raft_leader_at)")"
  timing "${label}: apply -> channels created" "$(phase_at "$(last_job_line reconcile-channel 'created channel|matches the model on every consenter')")"
  timing "${label}: apply -> peers joined" "$(phase_at "$(last_job_line join-channel 'every peer of .* is on ')")"
  timing "${label}: apply -> chaincode installed" "$(phase_at "$(last_job_line approve-chaincode 'installed .* on |is installed on ')")"
  timing "${label}: apply -> chaincode approved" "$(phase_at "$(last_job_line approve-chaincode ' approved .* sequence [0-9]+ with ')")"
  timing "${label}: apply -> chaincode committed" "$(phase_at "$(last_job_line commit-chaincode 'is committed on .* with the chart.s definition')")"
  timing "${label}: apply -> endorsers discoverable" "$(phase_at "$(last_job_line commit-chaincode 'applications can submit')")"
}
