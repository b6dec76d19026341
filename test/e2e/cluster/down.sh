#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Stops the cluster up.sh started and removes what it made: ends only the processes named in
# its pidfiles (and the containerd shims its containerd started, by their own pidfiles), unmounts
# everything under STATE_ROOT, deletes the pods' network namespaces, the bridge, kube-proxy's
# and the kit's iptables chains, puts back the host settings it changed, and deletes STATE_ROOT.
# Idempotent: safe to run when nothing, or only part of a cluster, is up.
# Set KEEP_STATE=1 to keep STATE_ROOT (logs, etcd data) for a post-mortem.
set -uo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

CTRD_SOCK="${RUN_DIR}/containerd.sock"

# stop NAME: TERM the pid in RUN_DIR/NAME.pid, KILL it after 15s.
stop() {
  local f="${RUN_DIR}/$1.pid" pid
  [[ -f "${f}" ]] || return 0
  pid=$(cat "${f}")
  if kill -0 "${pid}" 2>/dev/null; then
    kill -TERM "${pid}" 2>/dev/null
    for _ in $(seq 1 30); do kill -0 "${pid}" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "${pid}" 2>/dev/null; then
      kill -KILL "${pid}" 2>/dev/null
      log "$1: killed (pid ${pid})"
    else
      log "$1: stopped (pid ${pid})"
    fi
  fi
  rm -f "${f}"
}

# stop_all NAME...: stop for each, at once (each waits up to 15s on its own process).
stop_all() {
  local name
  for name in "$@"; do stop "${name}" & done
  wait
}

stop_all provisioner kubelet kube-proxy

# Containers: kill and delete every task and container our containerd runs, then stop it.
if [[ -S "${CTRD_SOCK}" ]] && ctr --address "${CTRD_SOCK}" version >/dev/null 2>&1; then
  c() { timeout 30 ctr --address "${CTRD_SOCK}" -n k8s.io "$@"; }
  # remove_container ID: kills its task, deletes it once it has exited, then the container. One
  # per container at once: a delete right after the kill waits for the exit.
  remove_container() {
    c tasks kill -s SIGKILL "$1" >/dev/null 2>&1
    for _ in $(seq 1 20); do
      c tasks delete "$1" >/dev/null 2>&1 && break
      c tasks ls -q 2>/dev/null | grep -qx "$1" || break
      sleep 0.5
    done
    c containers delete "$1" >/dev/null 2>&1
    # libcni's cached results for this sandbox (kept in /var/lib/cni whatever the config says).
    rm -f /var/lib/cni/results/hyperkube-e2e-"$1"-* /var/lib/cni/results/cni-loopback-"$1"-*
  }
  for id in $(c containers ls -q 2>/dev/null); do remove_container "${id}" & done
  wait
fi
stop containerd
# Shims outlive a containerd that died first; each left its pid in the state folder.
for f in "${STATE_ROOT}"/containerd/state/io.containerd.runtime.v2.task/*/*/shim.pid \
         "${STATE_ROOT}"/containerd/state/io.containerd.runtime.v2.task/*/*/init.pid; do
  [[ -f "${f}" ]] || continue
  pid=$(cat "${f}")
  [[ "${pid}" =~ ^[0-9]+$ ]] && kill -KILL "${pid}" 2>/dev/null && log "killed leftover pid ${pid} (${f})"
done

stop_all kube-scheduler kube-controller-manager kube-apiserver
stop etcd

# Network namespaces the runtime made for pods (those not there before up.sh ran).
if [[ -f "${STATE_ROOT}/netns-before" ]]; then
  for ns in $(ip netns list 2>/dev/null | awk '$1 ~ /^cni-/ {print $1}'); do
    grep -qx "${ns}" "${STATE_ROOT}/netns-before" || { ip netns delete "${ns}" 2>/dev/null && log "deleted netns ${ns}"; }
  done
fi

# Mounts under the kit's state folder, deepest first (pod volumes, rootfs overlays, shm).
if [[ -d "${STATE_ROOT}" ]]; then
  root_real=$(realpath "${STATE_ROOT}")
  awk -v r="${root_real}/" 'index($2, r) == 1 {print $2}' /proc/self/mounts | sort -r | while read -r m; do
    umount "${m}" 2>/dev/null || umount -l "${m}" 2>/dev/null || log "could not unmount ${m}"
  done
fi

# iptables: kube-proxy's chains (kube-proxy --cleanup removes exactly its own), then ours.
if [[ -x "${K8S_BIN}/kube-proxy" ]] && iptables -S 2>/dev/null | grep -q -- '-N KUBE-'; then
  "${K8S_BIN}/kube-proxy" --cleanup >/dev/null 2>&1 || log "kube-proxy --cleanup reported errors"
fi
# Whatever KUBE-* chains are left (the kubelet's canaries and hints) that were not there before
# up.sh ran: first the jumps into them, then the chains.
for table in filter nat mangle; do
  before="${STATE_ROOT}/iptables-chains-before.${table}"
  chains=$(iptables -t "${table}" -S 2>/dev/null | awk '$1 == "-N" && $2 ~ /^KUBE-/ {print $2}')
  for chain in ${chains}; do
    [[ -f "${before}" ]] && grep -qx "${chain}" "${before}" && continue
    iptables -t "${table}" -S | awk -v ch="${chain}" '$1 == "-A" && $0 ~ ("-j " ch "( |$)") {sub(/^-A/, "-D"); print}' |
      while read -r rule; do
        # shellcheck disable=SC2086  # the rule is a list of iptables words
        iptables -t "${table}" ${rule} 2>/dev/null
      done
  done
  for chain in ${chains}; do
    [[ -f "${before}" ]] && grep -qx "${chain}" "${before}" && continue
    iptables -t "${table}" -F "${chain}" 2>/dev/null
  done
  for chain in ${chains}; do
    [[ -f "${before}" ]] && grep -qx "${chain}" "${before}" && continue
    iptables -t "${table}" -X "${chain}" 2>/dev/null && log "deleted iptables ${table}/${chain}"
  done
done
while iptables -D FORWARD -j HYPERKUBE-E2E-GUARD 2>/dev/null; do :; done
iptables -F HYPERKUBE-E2E-GUARD 2>/dev/null
iptables -X HYPERKUBE-E2E-GUARD 2>/dev/null

# Pod veths go with their namespaces; the bridge is ours.
ip link show "${BRIDGE}" >/dev/null 2>&1 && ip link delete "${BRIDGE}" && log "deleted bridge ${BRIDGE}"

if [[ -f "${STATE_ROOT}/host-settings" ]]; then
  while IFS='=' read -r key value; do
    sysctl -qw "${key}=${value}" 2>/dev/null || log "could not restore ${key}=${value}"
  done < "${STATE_ROOT}/host-settings"
  rm -f "${STATE_ROOT}/host-settings"
fi

# /run/containerd (shim sockets, runc state) and /var/lib/cni, when up.sh found them absent.
if [[ -f "${STATE_ROOT}/created-dirs" ]]; then
  while read -r d; do
    case "${d}" in
      /run/containerd | /var/lib/cni) rm -rf "${d}" && log "removed ${d}" ;;
    esac
  done < "${STATE_ROOT}/created-dirs"
fi

if [[ "${KEEP_STATE:-0}" != 1 ]]; then
  rm -rf "${STATE_ROOT}"
fi
log "cluster down"
