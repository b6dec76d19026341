#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Starts a single-node Kubernetes cluster on this machine from the kit's cached builds:
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler, containerd + runc, kubelet,
# kube-proxy (iptables), CoreDNS (cluster.local only, no upstream) and a hostPath provisioner
# behind the default StorageClass. Everything it creates lives under STATE_ROOT, on the bridge
# BRIDGE, and in the iptables chains kube-proxy and this kit own; down.sh removes all of it. The
# one exception is containerd's root (images and their unpacked layers), kept in the cache so the
# next cluster finds the images there instead of importing and unpacking them again.
# Idempotent: a component whose pidfile names a live process is left alone.
# UP_UNTIL=control-plane stops after etcd and the control plane (for debugging the kit).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=pki.sh
. "${KIT_DIR}/pki.sh"

[[ $(id -u) -eq 0 ]] || die "up.sh needs root (namespaces, mounts, iptables)"
UP_UNTIL="${UP_UNTIL:-all}"
# A partly built kit is enough for the control-plane stage.
if [[ "${UP_UNTIL}" == control-plane && ! -d "${K8S_BIN}" ]]; then K8S_BIN="${K8S_BIN}.partial"; fi
needed=(kube-apiserver)
[[ "${UP_UNTIL}" == control-plane ]] || needed+=(kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)
for b in "${needed[@]}"; do
  [[ -x "${K8S_BIN}/${b}" ]] || die "missing ${K8S_BIN}/${b}: run build.sh first"
done
for c in etcd containerd containerd-shim-runc-v2 runc ctr iptables conntrack ip openssl jq; do
  command -v "${c}" >/dev/null || die "missing ${c}: apt-get install ${DEBIAN_PACKAGES}"
done
[[ -x /usr/lib/cni/bridge && -x /usr/lib/cni/host-local && -x /usr/lib/cni/loopback ]] \
  || die "CNI plugins missing: apt-get install containernetworking-plugins"

for pv in "containerd ${DEBIAN_CONTAINERD}" "runc ${DEBIAN_RUNC}" "etcd-server ${DEBIAN_ETCD}" \
          "containernetworking-plugins ${DEBIAN_CNI_PLUGINS}"; do
  have=$(dpkg-query -W -f '${Version}' "${pv%% *}" 2>/dev/null || true)
  [[ "${have}" == "${pv#* }" ]] || log "warning: ${pv%% *} ${have:-not installed via dpkg}, the kit was tested with ${pv#* }"
done

t0=$(date +%s)
mkdir -p "${RUN_DIR}" "${LOG_DIR}" "${STATE_ROOT}"
export PATH="${K8S_BIN}:${PATH}"
kc() { kubectl --kubeconfig "${KUBECONFIG_ADMIN}" "$@"; }

alive() { [[ -f "${RUN_DIR}/$1.pid" ]] && kill -0 "$(cat "${RUN_DIR}/$1.pid")" 2>/dev/null; }
# start NAME COMMAND...: run COMMAND in its own session, log to LOG_DIR/NAME.log, pid to RUN_DIR.
start() {
  local name="$1"
  shift
  if alive "${name}"; then
    log "${name}: already running (pid $(cat "${RUN_DIR}/${name}.pid"))"
    return
  fi
  setsid "$@" >>"${LOG_DIR}/${name}.log" 2>&1 < /dev/null &
  echo $! > "${RUN_DIR}/${name}.pid"
  log "${name}: started (pid $!)"
}
check_alive() {
  alive "$1" || { tail -30 "${LOG_DIR}/$1.log" >&2 || true; die "$1 exited; log above (${LOG_DIR}/$1.log)"; }
}

# ---------------------------------------------------------------- host network
# Remember host settings once, so down.sh can put them back.
if [[ ! -f "${STATE_ROOT}/host-settings" ]]; then
  {
    for s in net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables vm.overcommit_memory vm.panic_on_oom \
             kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys kernel.keys.root_maxbytes; do
      echo "${s}=$(sysctl -n "${s}")"
    done
  } > "${STATE_ROOT}/host-settings"
  ip netns list | awk '{print $1}' > "${STATE_ROOT}/netns-before"
  # Folders containerd and libcni create at fixed places; down.sh removes the ones we created.
  for d in /run/containerd /var/lib/cni; do
    [[ -e "${d}" ]] || echo "${d}" >> "${STATE_ROOT}/created-dirs"
  done
  touch "${STATE_ROOT}/created-dirs"
  for table in filter nat mangle; do
    iptables -t "${table}" -S 2>/dev/null | awk '$1 == "-N" {print $2}' > "${STATE_ROOT}/iptables-chains-before.${table}"
  done
fi
if ! ip link show "${BRIDGE}" >/dev/null 2>&1; then
  ip link add "${BRIDGE}" type bridge
  ip addr add "${NODE_IP}/24" dev "${BRIDGE}"
fi
ip link set "${BRIDGE}" up
sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1
# Pod traffic may only go pod-to-pod, pod-to-service (rewritten to a pod) or to this host:
# nothing enters or leaves the bridge through any other interface.
iptables -N HYPERKUBE-E2E-GUARD 2>/dev/null || iptables -F HYPERKUBE-E2E-GUARD
iptables -A HYPERKUBE-E2E-GUARD -i "${BRIDGE}" ! -o "${BRIDGE}" -j DROP
iptables -A HYPERKUBE-E2E-GUARD ! -i "${BRIDGE}" -o "${BRIDGE}" -j DROP
iptables -C FORWARD -j HYPERKUBE-E2E-GUARD 2>/dev/null || iptables -I FORWARD 1 -j HYPERKUBE-E2E-GUARD

# ---------------------------------------------------------------- certificates
pki_generate

# ---------------------------------------------------------------- etcd
mkdir -p "${STATE_ROOT}/etcd"
chmod 700 "${STATE_ROOT}/etcd"
start etcd etcd --name hyperkube-e2e --data-dir "${STATE_ROOT}/etcd" \
  --listen-client-urls "http://127.0.0.1:${ETCD_CLIENT_PORT}" \
  --advertise-client-urls "http://127.0.0.1:${ETCD_CLIENT_PORT}" \
  --listen-peer-urls "http://127.0.0.1:${ETCD_PEER_PORT}" \
  --initial-advertise-peer-urls "http://127.0.0.1:${ETCD_PEER_PORT}" \
  --initial-cluster "hyperkube-e2e=http://127.0.0.1:${ETCD_PEER_PORT}" \
  --listen-metrics-urls "" --quota-backend-bytes 2147483648 --snapshot-count 10000
wait_for etcd 60 curl -fsS "http://127.0.0.1:${ETCD_CLIENT_PORT}/health" || check_alive etcd

# ---------------------------------------------------------------- control plane
start kube-apiserver kube-apiserver \
  --etcd-servers "http://127.0.0.1:${ETCD_CLIENT_PORT}" \
  --bind-address "${NODE_IP}" --advertise-address "${NODE_IP}" --secure-port "${APISERVER_PORT}" \
  --service-cluster-ip-range "${SERVICE_CIDR}" \
  --tls-cert-file "${PKI_DIR}/apiserver.crt" --tls-private-key-file "${PKI_DIR}/apiserver.key" \
  --client-ca-file "${PKI_DIR}/ca.crt" \
  --kubelet-client-certificate "${PKI_DIR}/apiserver-kubelet-client.crt" \
  --kubelet-client-key "${PKI_DIR}/apiserver-kubelet-client.key" \
  --kubelet-certificate-authority "${PKI_DIR}/ca.crt" \
  --kubelet-preferred-address-types InternalIP \
  --service-account-key-file "${PKI_DIR}/sa.pub" \
  --service-account-signing-key-file "${PKI_DIR}/sa.key" \
  --service-account-issuer "https://kubernetes.default.svc.${CLUSTER_DOMAIN}" \
  --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
  --allow-privileged=true --profiling=false --event-ttl 1h
apiserver_ready() {
  curl -fsS --max-time 5 --cacert "${PKI_DIR}/ca.crt" --cert "${PKI_DIR}/admin.crt" --key "${PKI_DIR}/admin.key" \
    "https://${NODE_IP}:${APISERVER_PORT}/readyz"
}
wait_for kube-apiserver 120 apiserver_ready || check_alive kube-apiserver

if [[ "${UP_UNTIL}" == control-plane ]]; then
  log "control plane up (UP_UNTIL=control-plane) in $(( $(date +%s) - t0 ))s"
  exit 0
fi
start kube-controller-manager kube-controller-manager \
  --kubeconfig "${STATE_ROOT}/controller-manager.kubeconfig" \
  --authentication-kubeconfig "${STATE_ROOT}/controller-manager.kubeconfig" \
  --authorization-kubeconfig "${STATE_ROOT}/controller-manager.kubeconfig" \
  --bind-address 127.0.0.1 --leader-elect=false --use-service-account-credentials \
  --service-account-private-key-file "${PKI_DIR}/sa.key" --root-ca-file "${PKI_DIR}/ca.crt" \
  --cluster-signing-cert-file "${PKI_DIR}/ca.crt" --cluster-signing-key-file "${PKI_DIR}/ca.key" \
  --service-cluster-ip-range "${SERVICE_CIDR}" --allocate-node-cidrs=false \
  --controllers '*,-cloud-node-lifecycle,-service,-route' --profiling=false
# A pod that found its claim unbound waits for an event that wakes it, and one that misses the
# event (the provisioner binds claims every two seconds) waited out the default 5 minutes: seen
# once for a peer added by evolve v2. With 10 s, the scheduler's leftover flush (every 30 s) takes
# such a pod back within 40 s.
start kube-scheduler kube-scheduler \
  --kubeconfig "${STATE_ROOT}/scheduler.kubeconfig" \
  --authentication-kubeconfig "${STATE_ROOT}/scheduler.kubeconfig" \
  --authorization-kubeconfig "${STATE_ROOT}/scheduler.kubeconfig" \
  --bind-address 127.0.0.1 --leader-elect=false --profiling=false \
  --pod-max-in-unschedulable-pods-duration 10s

# ---------------------------------------------------------------- containerd
CTRD_ROOT="${STATE_ROOT}/containerd"
CTRD_IMAGES_ROOT="${CACHE_ROOT}/containerd-root"
CTRD_SOCK="${RUN_DIR}/containerd.sock"
CNI_CONF_DIR="${STATE_ROOT}/cni/net.d"
mkdir -p "${CTRD_IMAGES_ROOT}" "${CTRD_ROOT}/state" "${CNI_CONF_DIR}" "${STATE_ROOT}/cni/ipam"
cat > "${CTRD_ROOT}/config.toml" <<TOML
version = 2
root = "${CTRD_IMAGES_ROOT}"
state = "${CTRD_ROOT}/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp"]

[grpc]
  address = "${CTRD_SOCK}"

[ttrpc]
  address = "${CTRD_SOCK}.ttrpc"

[debug]
  level = "info"

[plugins."io.containerd.internal.v1.opt"]
  path = "${CTRD_ROOT}/opt"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${PAUSE_IMAGE}"
  enable_unprivileged_ports = true
  enable_unprivileged_icmp = true
  netns_mounts_under_state_dir = true
  # This sandbox's bounding set lacks CAP_SYS_RESOURCE, so no process may lower its OOM score
  # below containerd's own: without this the pause container dies in runc's nsexec
  # ("failed to update /proc/self/oom_score_adj: Permission denied").
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        BinaryName = "$(command -v runc)"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "${CNI_CONF_DIR}"
    max_conf_num = 1
TOML
cat > "${CNI_CONF_DIR}/10-hyperkube-e2e.conflist" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "hyperkube-e2e",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "${BRIDGE}",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "${STATE_ROOT}/cni/ipam",
        "ranges": [[{"subnet": "${POD_CIDR}", "rangeStart": "10.244.0.10", "gateway": "${NODE_IP}"}]],
        "routes": [{"dst": "${SERVICE_CIDR}"}]
      }
    }
  ]
}
JSON
start containerd containerd --config "${CTRD_ROOT}/config.toml"
wait_for containerd 60 ctr --address "${CTRD_SOCK}" version || check_alive containerd

# ---------------------------------------------------------------- images
ctr_() { ctr --address "${CTRD_SOCK}" -n k8s.io "$@"; }
# Containers a cluster that was not taken down left in the kept root: the new kubelet knows none.
for id in $(ctr_ containers ls -q 2>/dev/null); do
  ctr_ containers delete "${id}" >/dev/null 2>&1 && log "deleted container ${id}, left by an earlier cluster"
done
import_start=$(date +%s)
for archive in "${IMAGES_DIR}"/*.oci.tar; do
  [[ -e "${archive}" ]] || die "no images in ${IMAGES_DIR}: run build.sh first"
  name=$(tar -xOf "${archive}" index.json | jq -r '.manifests[0].annotations["io.containerd.image.name"]')
  digest=$(tar -xOf "${archive}" index.json | jq -r '.manifests[0].digest')
  if ctr_ images ls -q "name==${name}" 2>/dev/null | grep -qx "${name}" \
     && [[ "$(ctr_ images ls "name==${name}" | awk 'NR==2{print $3}')" == "${digest}" ]]; then
    continue
  fi
  ctr_ images import --no-unpack=false "${archive}" >/dev/null
  log "image imported: ${name}"
done
log "images ready in $(( $(date +%s) - import_start ))s"

# ---------------------------------------------------------------- node
KUBELET_DIR="${STATE_ROOT}/kubelet"
mkdir -p "${KUBELET_DIR}"
printf 'nameserver %s\n' "${DNS_SVC_IP}" > "${STATE_ROOT}/resolv.conf"
cat > "${STATE_ROOT}/kubelet-config.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: ${NODE_IP}
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
  x509:
    clientCAFile: ${PKI_DIR}/ca.crt
authorization:
  mode: Webhook
tlsCertFile: ${PKI_DIR}/kubelet.crt
tlsPrivateKeyFile: ${PKI_DIR}/kubelet.key
cgroupDriver: cgroupfs
containerRuntimeEndpoint: unix://${CTRD_SOCK}
clusterDomain: ${CLUSTER_DOMAIN}
clusterDNS: [${DNS_SVC_IP}]
resolvConf: ${STATE_ROOT}/resolv.conf
podCIDR: ${POD_CIDR}
failSwapOn: false
maxPods: 60
serializeImagePulls: false
imageGCHighThresholdPercent: 100
evictionHard:
  memory.available: 200Mi
  nodefs.available: 2%
  imagefs.available: 2%
  nodefs.inodesFree: 2%
rotateCertificates: false
serverTLSBootstrap: false
YAML
start kubelet kubelet --config "${STATE_ROOT}/kubelet-config.yaml" \
  --kubeconfig "${STATE_ROOT}/kubelet.kubeconfig" --root-dir "${KUBELET_DIR}" \
  --hostname-override "${NODE_NAME}" --node-ip "${NODE_IP}" --v 1
start kube-proxy kube-proxy --kubeconfig "${STATE_ROOT}/kube-proxy.kubeconfig" \
  --proxy-mode iptables --hostname-override "${NODE_NAME}" --cluster-cidr "${POD_CIDR}" \
  --conntrack-max-per-core 0 --nodeport-addresses "${NODE_IP}/32" \
  --metrics-bind-address 127.0.0.1:10249 --healthz-bind-address 127.0.0.1:10256
node_ready() {
  [[ "$(kc get node "${NODE_NAME}" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" == True ]]
}
wait_for "node ${NODE_NAME} Ready" 180 node_ready || { check_alive kubelet; check_alive containerd; die "node not Ready"; }

# ---------------------------------------------------------------- cluster add-ons
kc apply -f "${KIT_DIR}/addons.yaml" >/dev/null
start provisioner "${KIT_DIR}/provisioner.sh"
coredns_ready() { [[ "$(kc -n kube-system get deploy coredns -o jsonpath='{.status.readyReplicas}')" == 1 ]]; }
wait_for "CoreDNS ready" 180 coredns_ready || { kc -n kube-system get pods -o wide >&2; die "CoreDNS not ready"; }

echo "$(( $(date +%s) - t0 ))" > "${STATE_ROOT}/up-seconds"
log "cluster up in $(( $(date +%s) - t0 ))s; kubeconfig: ${KUBECONFIG_ADMIN}"
