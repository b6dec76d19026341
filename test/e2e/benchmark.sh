#!/usr/bin/env bash
# Bring-up benchmark: runs the e2e's reference network and the multi-org network (3 peer orgs x 2
# peers, 2 ordering orgs, 2 channels) RUNS times on the kit's cluster, each run on a new cluster,
# and prints the median, minimum and maximum of each phase of their bring-ups, as seconds from
# `kubectl apply`. Not part of `npm run e2e`: a run takes 3 to 4 minutes.
#
#   bash test/e2e/benchmark.sh [RUNS]     (default 3; needs what `npm run e2e` needs)
#
# The logs of the runs stay in ${STATE_ROOT:-/var/lib/hyperkube-e2e}/benchmark/.
set -euo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUNS="${1:-3}"
[[ "${RUNS}" =~ ^[1-9][0-9]*$ ]] || { echo "benchmark: RUNS must be a whole number above 0, not '${RUNS}'" >&2; exit 2; }
LOGS="${STATE_ROOT:-/var/lib/hyperkube-e2e}/benchmark"
mkdir -p "${LOGS}"

# Only the two bring-ups: every later scenario is left out.
skip_all_but_bringups() {
  env E2E_SKIP_APPLICATION=1 E2E_SKIP_EVOLVE=1 E2E_SKIP_EXPOSURE=1 E2E_SKIP_FAULTS=1 E2E_SKIP_CA=1 \
    E2E_SKIP_IMPORTED=1 E2E_SKIP_MONITORING=1 E2E_SKIP_TWO_PARTY=1 E2E_SKIP_BACKUP=1 "$@"
}

for ((run = 1; run <= RUNS; run++)); do
  echo "benchmark: run ${run}/${RUNS} (log: ${LOGS}/run-${run}.log)"
  skip_all_but_bringups bash "${E2E_DIR}/run.sh" >"${LOGS}/run-${run}.log" 2>&1 \
    || { tail -n 30 "${LOGS}/run-${run}.log" >&2; echo "benchmark: run ${run} failed" >&2; exit 1; }
done

# The phases every run printed as "timing: <network>: apply -> <phase> = <N>s", or "apply -> ..."
# for the reference network, in the order of the first run.
echo
echo "bring-up phases over ${RUNS} run(s), seconds from kubectl apply:"
for ((run = 1; run <= RUNS; run++)); do
  sed -nE 's/^\[[0-9:]+\] timing: (.*apply -> [^=]*) = ([0-9]+)s$/\1\t\2/p' "${LOGS}/run-${run}.log" \
    | awk -F'\t' -v run="${run}" '{ print run "\t" NR "\t" $1 "\t" $2 }'
done | awk -F'\t' '
  { key = $3; if (!(key in order)) { order[key] = $2; keys[++n] = key } values[key] = values[key] " " $4 }
  END {
    printf "%-50s %7s %7s %7s\n", "PHASE", "MEDIAN", "MIN", "MAX"
    for (i = 1; i <= n; i++) {
      count = split(substr(values[keys[i]], 2), v, " ")
      for (a = 1; a <= count; a++) for (b = a + 1; b <= count; b++) if (v[b] < v[a]) { t = v[a]; v[a] = v[b]; v[b] = t }
      median = count % 2 ? v[(count + 1) / 2] : (v[count / 2] + v[count / 2 + 1]) / 2
      printf "%-50s %6ss %6ss %6ss\n", keys[i], median, v[1], v[count]
    }
  }'
