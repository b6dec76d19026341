#!/usr/bin/env bash
# Helpers shared by the Hyperkube Job scripts: logging, bounded waits, orderer access.
# Sourced, never run on its own.
set -euo pipefail

# A wait looks again after 1 s, then 2, 3 and 4 s, then every WAIT_SECONDS: a Job notices within a
# second or two what comes soon, and the many Jobs of a large network, waiting at once on a small
# node, do not take its CPU from the pods they wait for. The bound: 1 + 2 + 3 + 4 + 86 x 5 = 440 s.
WAIT_ATTEMPTS="${WAIT_ATTEMPTS:-90}"
WAIT_SECONDS="${WAIT_SECONDS:-5}"
WORK_DIR="${WORK_DIR:-/tmp}"

log() {
  printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2
}

fail() {
  log "ERROR: $*"
  exit 1
}

# refuse MESSAGE: ends the Job for good. Exit code 3 matches the Job's pod failure policy, so
# Kubernetes fails the Job at once instead of retrying a change no retry can make.
REFUSED_EXIT_CODE=3
refuse() {
  log "REFUSED: $*"
  exit "${REFUSED_EXIT_CODE}"
}

# wait_delay ATTEMPT: the seconds to wait after failed attempt ATTEMPT.
wait_delay() {
  echo $(($1 < WAIT_SECONDS ? $1 : WAIT_SECONDS))
}

# wait_for DESCRIPTION COMMAND [ARG...]
# Runs COMMAND until it succeeds, at most WAIT_ATTEMPTS times. Each wait logs one line with the
# last line COMMAND wrote to stderr, so the log shows the reason Fabric gave, not a guess.
wait_for() {
  local what=$1
  shift
  local attempt reason delay
  for ((attempt = 1; attempt <= WAIT_ATTEMPTS; attempt++)); do
    if "$@" 2>"${WORK_DIR}/wait.err"; then
      return 0
    fi
    reason=$(last_reason "${WORK_DIR}/wait.err")
    delay=$(wait_delay "${attempt}")
    log "waiting for ${what} (attempt ${attempt}/${WAIT_ATTEMPTS}, next in ${delay}s)${reason:+: ${reason}}"
    sleep "${delay}"
  done
  fail "gave up waiting for ${what} after ${WAIT_ATTEMPTS} attempts"
}

# last_reason FILE: the last error line of a CLI's stderr in FILE, else its last line.
last_reason() {
  { grep -iE 'error|denied|forbidden|refused|unavailable' "$1" || grep -v '^[[:space:]]*$' "$1" || true; } | tail -n 1
}

# use_peer ADDRESS: points the peer CLI at the peer listening on ADDRESS (host:port).
use_peer() {
  export CORE_PEER_ADDRESS="$1"
}

# peer_has_joined: true when the current peer lists $CHANNEL.
peer_has_joined() {
  peer channel list 2>/dev/null | grep -qxF "${CHANNEL}"
}

# peer_reachable: true when the current peer answers.
peer_reachable() {
  peer channel list >/dev/null 2>&1
}

# with_any_orderer COMMAND [ARG...]
# Runs COMMAND with "-o ADDRESS --tls --cafile FILE" appended, trying each entry of
# ORDERERS ("address=tlsCaFile ...") until one succeeds.
with_any_orderer() {
  local entry
  for entry in ${ORDERERS}; do
    if "$@" -o "${entry%%=*}" --tls --cafile "${entry#*=}"; then
      return 0
    fi
    log "orderer ${entry%%=*} did not serve the request; trying the next one"
  done
  return 1
}

# fetch_genesis FILE: writes block 0 of $CHANNEL to FILE, from any orderer.
fetch_genesis() {
  with_any_orderer peer channel fetch 0 "$1" -c "${CHANNEL}"
}
