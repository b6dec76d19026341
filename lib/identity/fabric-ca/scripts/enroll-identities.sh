#!/usr/bin/env bash
# Brings one organization's identities into the cluster from its Fabric CA, and renews them. Run by
# the org's enroll Job (once per change of the chart) and by its renew CronJob. Every key stays in
# the cluster: this pod makes it, and writes it only into the Secret the pods mount.
#
# One pass, in order, each step checked before it acts:
#   1. the CA's bootstrap admin Secret: kept when there (yours), else made with a random password;
#   2. the CA's TLS Secret: kept when there, else a pair for the CA's Service names from a root made
#      for it, so this pod trusts the endpoint it sends passwords to, not whoever answers first;
#   3. the public MSP ConfigMap (both CA certificates, NodeOU config) and, for a peer org, the
#      connection profile with its TLS CA: written when missing or different;
#   4. every identity Secret: when missing, register (or reset the password of) the identity at
#      both CAs and enroll it; when due for renewal (RUN_MODE=renew), re-enroll it with the
#      same key, which Raft and the channel config match nodes by; then restart what reads them,
#      one workload at a time, each ready before the next.
#
# Env: ORG, CA_URL, CA_HOSTS (comma-separated), CA_NAME, TLS_CA_NAME, CA_ADMIN_SECRET, CA_TLS_SECRET,
#      CA_LABELS (JSON), MSP_CONFIGMAP, NODE_OU_CONFIG, CONNECTION_PROFILE (JSON: configMapName and
#      profile without TLS CAs; null for an ordering org), CONNECTION_LABELS (JSON),
#      IDENTITIES (JSON lines: secretName, name, role, tlsHosts, restarts, labels),
#      PASSWORDS (JSON array: secretName, username, labels), CERTIFICATE_LIFETIME_SECONDS,
#      RENEWAL_WINDOW_SECONDS (an identity is due when less of its lifetime remains), RUN_MODE
#      (enroll: make what is missing; renew: renew what is due), BIN_DIR (fabric-ca-client, -server).

# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
# shellcheck source=kube-api.sh
source "$(dirname "$0")/kube-api.sh"

NAMESPACE=$(kube_namespace)
CA_CLIENT="${BIN_DIR}/fabric-ca-client"
CA_TLS_FILE="${WORK_DIR}/ca-tls.crt"
BOOT_HOME="${WORK_DIR}/bootstrap"
NOW=$(date +%s)

# ---------------------------------------------------------------- Secrets and ConfigMaps

# object_get KIND NAME: true, with the object in KUBE_OUT, when it exists; false when it does not;
# fails the pod when the API answers something else.
object_get() {
  kube_api GET "/api/v1/namespaces/${NAMESPACE}/$1/$2" && return 0
  [[ "${KUBE_STATUS}" == 404 ]] && return 1
  fail "cannot read $1/$2: ${KUBE_REASON}"
}

# object_create KIND NAME BODY_FILE: creates the object; false when another pod made it first.
object_create() {
  kube_api POST "/api/v1/namespaces/${NAMESPACE}/$1" -H 'Content-Type: application/json' --data-binary "@$3" && return 0
  [[ "${KUBE_STATUS}" == 409 ]] && return 1
  fail "cannot create $1/$2: ${KUBE_REASON}"
}

# object_write KIND NAME BODY_FILE: creates the object, or replaces it when it exists.
object_write() {
  local kind=$1 name=$2 body=$3
  if kube_api POST "/api/v1/namespaces/${NAMESPACE}/${kind}" -H 'Content-Type: application/json' --data-binary "@${body}"; then
    return 0
  fi
  [[ "${KUBE_STATUS}" == 409 ]] || fail "cannot create ${kind}/${name}: ${KUBE_REASON}"
  kube_api PUT "/api/v1/namespaces/${NAMESPACE}/${kind}/${name}" -H 'Content-Type: application/json' --data-binary "@${body}" \
    || fail "cannot replace ${kind}/${name}: ${KUBE_REASON}"
}

# secret_body NAME LABELS_JSON RENEW_AT [KEY FILE]...: a Secret's JSON, each FILE base64 under KEY.
secret_body() {
  local name=$1 labels=$2 renew_at=$3 data='{}'
  shift 3
  while (($#)); do
    data=$(jq -c --arg key "$1" --arg value "$(base64 -w0 <"$2")" '. + {($key): $value}' <<<"${data}")
    shift 2
  done
  jq -n --arg name "${name}" --argjson labels "${labels}" --arg renew "${renew_at}" --argjson data "${data}" \
    '{apiVersion: "v1", kind: "Secret", type: "Opaque", data: $data,
      metadata: {name: $name, labels: $labels, annotations: {"hyperkube.io/renew-after": $renew}}}'
}

# secret_file NAME KEY OUT: writes key KEY of the Secret read last (KUBE_OUT) to OUT.
secret_file() {
  jq -er --arg key "$2" '.data[$key] // empty' "${KUBE_OUT}" | base64 -d >"$3" || fail "Secret $1 has no key $2"
}

# ---------------------------------------------------------------- the CA

ensure_ca_admin() {
  if object_get secrets "${CA_ADMIN_SECRET}"; then
    log "CA admin: Secret ${CA_ADMIN_SECRET} is there"
  else
    local password
    password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
    printf 'admin' >"${WORK_DIR}/username"
    printf '%s' "${password}" >"${WORK_DIR}/password"
    secret_body "${CA_ADMIN_SECRET}" "${CA_LABELS}" never username "${WORK_DIR}/username" password "${WORK_DIR}/password" >"${WORK_DIR}/body.json"
    object_create secrets "${CA_ADMIN_SECRET}" "${WORK_DIR}/body.json" && log "CA admin: made Secret ${CA_ADMIN_SECRET} with a random password"
    rm -f "${WORK_DIR}/password"
    object_get secrets "${CA_ADMIN_SECRET}" || fail "Secret ${CA_ADMIN_SECRET} vanished"
  fi
  CA_USER=$(jq -r '.data.username' "${KUBE_OUT}" | base64 -d)
  CA_PASSWORD=$(jq -r '.data.password' "${KUBE_OUT}" | base64 -d)
}

ensure_ca_tls() {
  if object_get secrets "${CA_TLS_SECRET}"; then
    secret_file "${CA_TLS_SECRET}" ca.crt "${CA_TLS_FILE}"
    log "CA TLS: Secret ${CA_TLS_SECRET} is there"
    return
  fi
  make_ca_tls_pair "${WORK_DIR}/ca-tls"
  cp "${WORK_DIR}/ca-tls/root/ca-cert.pem" "${CA_TLS_FILE}"
  secret_body "${CA_TLS_SECRET}" "${CA_LABELS}" never ca.crt "${CA_TLS_FILE}" \
    tls.crt "${WORK_DIR}/ca-tls/leaf/signcerts/cert.pem" tls.key "$(ls "${WORK_DIR}"/ca-tls/leaf/keystore/*_sk)" >"${WORK_DIR}/body.json"
  rm -rf "${WORK_DIR}/ca-tls"
  if object_create secrets "${CA_TLS_SECRET}" "${WORK_DIR}/body.json"; then
    log "CA TLS: made Secret ${CA_TLS_SECRET} for ${CA_HOSTS}"
  else
    object_get secrets "${CA_TLS_SECRET}" || fail "Secret ${CA_TLS_SECRET} vanished"
    secret_file "${CA_TLS_SECRET}" ca.crt "${CA_TLS_FILE}"
  fi
}

# make_ca_tls_pair DIR: a TLS pair for the CA's Service names, from a root made for it alone: a
# throwaway fabric-ca-server on this pod's loopback issues it and is stopped, its key discarded.
# (A CA's own certificate carries no host names, so it cannot serve TLS itself.)
make_ca_tls_pair() {
  local dir=$1 password pid port=17054
  password=$(head -c 16 /dev/urandom | base64 | tr -d '/+=')
  mkdir -p "${dir}/root"
  # A settings file replaces the default one, where --boot would have registered the user: name it here.
  printf 'registry:\n  maxenrollments: -1\n  identities:\n    - {name: tls, pass: %s, type: client, affiliation: ""}\n' "${password}" \
    >"${dir}/root/fabric-ca-server-config.yaml"
  printf 'signing:\n  default:\n    usage: [digital signature, key encipherment, server auth]\n    expiry: 87600h\n' \
    >>"${dir}/root/fabric-ca-server-config.yaml"
  "${BIN_DIR}/fabric-ca-server" start -H "${dir}/root" --port "${port}" --address 127.0.0.1 \
    --csr.cn "${ORG}-ca-tls-root" >"${dir}/server.log" 2>&1 &
  pid=$!
  WAIT_SECONDS=1 wait_for "the TLS root of ${ORG}'s CA" \
    "${CA_CLIENT}" getcainfo -u "http://127.0.0.1:${port}" -H "${dir}/probe"
  "${CA_CLIENT}" enroll -u "http://tls:${password}@127.0.0.1:${port}" -H "${dir}/client" -M "${dir}/leaf" \
    --csr.cn "${ORG}-ca" --csr.hosts "${CA_HOSTS}" >"${dir}/enroll.log" 2>&1 \
    || fail "could not make the CA's TLS pair: $(last_reason "${dir}/enroll.log")"
  kill "${pid}"
  wait "${pid}" 2>/dev/null || true
}

# ca_client ARG...: fabric-ca-client against the org's CA, trusting only its TLS Secret.
ca_client() {
  "${CA_CLIENT}" "$@" --tls.certfiles "${CA_TLS_FILE}" >"${WORK_DIR}/ca.log" 2>&1
}

ca_answers() {
  ca_client getcainfo -u "${CA_URL}" --caname "${CA_NAME}" -H "${WORK_DIR}/probe" || { cat "${WORK_DIR}/ca.log" >&2; return 1; }
}

# bootstrap CANAME: enrolls the CA's bootstrap admin with CANAME, the registrar of step 4.
bootstrap() {
  ca_client enroll -u "https://${CA_USER}:${CA_PASSWORD}@${CA_URL#https://}" --caname "$1" -H "${BOOT_HOME}/$1" \
    || fail "the CA refused its bootstrap admin at $1 (is ${CA_ADMIN_SECRET} the one it started with?): $(last_reason "${WORK_DIR}/ca.log")"
}

# ---------------------------------------------------------------- the public MSP

publish_msp() {
  local dir="${WORK_DIR}/msp" changed=0
  ca_client getcainfo -u "${CA_URL}" --caname "${CA_NAME}" -H "${dir}/ca" || fail "getcainfo ${CA_NAME}: $(last_reason "${WORK_DIR}/ca.log")"
  ca_client getcainfo -u "${CA_URL}" --caname "${TLS_CA_NAME}" -H "${dir}/tlsca" || fail "getcainfo ${TLS_CA_NAME}: $(last_reason "${WORK_DIR}/ca.log")"
  local signing_ca tls_ca
  signing_ca=$(cat "${dir}"/ca/msp/cacerts/*.pem)
  tls_ca=$(cat "${dir}"/tlsca/msp/cacerts/*.pem)
  jq -n --arg name "${MSP_CONFIGMAP}" --argjson labels "${CA_LABELS}" --arg ca "${signing_ca}" --arg tlsca "${tls_ca}" --arg config "${NODE_OU_CONFIG}" \
    '{apiVersion: "v1", kind: "ConfigMap", metadata: {name: $name, labels: $labels},
      data: {"ca.pem": ($ca + "\n"), "tlsca.pem": ($tlsca + "\n"), "config.yaml": $config,
             "ccaas-builder-config.json": ({root_cert: ($tlsca + "\n")} | tojson)}}' >"${WORK_DIR}/msp.json"
  write_if_changed configmaps "${MSP_CONFIGMAP}" "${WORK_DIR}/msp.json" && changed=1
  if [[ "${CONNECTION_PROFILE}" != null ]]; then
    jq -n --argjson labels "${CONNECTION_LABELS}" --arg tlsca "${tls_ca}" --argjson connection "${CONNECTION_PROFILE}" \
      '{apiVersion: "v1", kind: "ConfigMap", metadata: {name: $connection.configMapName, labels: $labels},
        data: {"connection.json": (($connection.profile | .peers[] |= . + {tlsCACerts: {pem: ($tlsca + "\n")}}) | tojson)}}' >"${WORK_DIR}/profile.json"
    write_if_changed configmaps "$(jq -r .configMapName <<<"${CONNECTION_PROFILE}")" "${WORK_DIR}/profile.json" && changed=1
  fi
  ((changed)) || log "public MSP ${MSP_CONFIGMAP} is up to date"
}

# write_if_changed KIND NAME BODY_FILE: writes the object unless its data is already the same.
write_if_changed() {
  if object_get "$1" "$2" && [[ "$(jq -S .data "${KUBE_OUT}")" == "$(jq -S .data "$3")" ]]; then
    return 1
  fi
  object_write "$1" "$2" "$3"
  log "wrote $1/$2"
}

# ---------------------------------------------------------------- identities

# register CANAME NAME TYPE SECRET: registers NAME at CANAME, or resets its password when it is
# registered already (a pod that stopped before writing the Secret left it so).
register() {
  local home="${BOOT_HOME}/$1"
  if ca_client register -u "${CA_URL}" --caname "$1" -H "${home}" --id.name "$2" --id.secret "$4" --id.type "$3"; then
    return 0
  fi
  grep -q 'is already registered' "${WORK_DIR}/ca.log" || fail "cannot register $2 at $1: $(last_reason "${WORK_DIR}/ca.log")"
  ca_client identity modify "$2" -u "${CA_URL}" --caname "$1" -H "${home}" --secret "$4" \
    || fail "cannot reset the password of $2 at $1: $(last_reason "${WORK_DIR}/ca.log")"
}

# enroll_identity LINE: registers and enrolls the identity LINE describes into its Secret.
enroll_identity() {
  local line=$1 secret name role hosts dir password files=()
  secret=$(jq -r .secretName <<<"${line}")
  name=$(jq -r .name <<<"${line}")
  role=$(jq -r '.role // empty' <<<"${line}")
  hosts=$(jq -r '.tlsHosts // [] | join(",")' <<<"${line}")
  dir="${WORK_DIR}/identities/${secret}"
  password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
  if [[ -n "${role}" ]]; then
    register "${CA_NAME}" "${name}" "${role}" "${password}"
    ca_client enroll -u "https://${name}:${password}@${CA_URL#https://}" --caname "${CA_NAME}" -M "${dir}/msp" --csr.cn "${name}" \
      || fail "cannot enroll ${name} at ${CA_NAME}: $(last_reason "${WORK_DIR}/ca.log")"
    files+=(cert.pem "${dir}/msp/signcerts/cert.pem" key.pem "$(ls "${dir}"/msp/keystore/*_sk)")
  fi
  if [[ -n "${hosts}" ]]; then
    register "${TLS_CA_NAME}" "${name}" client "${password}"
    ca_client enroll -u "https://${name}:${password}@${CA_URL#https://}" --caname "${TLS_CA_NAME}" -M "${dir}/tls" \
      --enrollment.profile tls --csr.cn "${name}" --csr.hosts "${hosts}" \
      || fail "cannot enroll the TLS pair of ${name} at ${TLS_CA_NAME}: $(last_reason "${WORK_DIR}/ca.log")"
    files+=(tls.crt "${dir}/tls/signcerts/cert.pem" tls.key "$(ls "${dir}"/tls/keystore/*_sk)")
  fi
  secret_body "${secret}" "$(jq -c .labels <<<"${line}")" "$(renew_at)" "${files[@]}" >"${WORK_DIR}/body.json"
  rm -rf "${dir}"
  object_create secrets "${secret}" "${WORK_DIR}/body.json" || { log "kept ${secret}, made meanwhile by another pod"; return 0; }
  log "enrolled ${name} into Secret ${secret}"
}

# renew_at: when an identity enrolled now is due for renewal (seconds since the epoch).
renew_at() {
  echo $((NOW + CERTIFICATE_LIFETIME_SECONDS - RENEWAL_WINDOW_SECONDS))
}

# renew_identity LINE: re-enrolls, with the same keys, the identity LINE describes, whose Secret
# was read last, and queues the workload that reads it for a restart.
renew_identity() {
  local line=$1 secret name hosts restarts dir files=()
  secret=$(jq -r .secretName <<<"${line}")
  name=$(jq -r .name <<<"${line}")
  hosts=$(jq -r '.tlsHosts // [] | join(",")' <<<"${line}")
  restarts=$(jq -r '.restarts // empty' <<<"${line}")
  dir="${WORK_DIR}/identities/${secret}"
  mkdir -p "${dir}"/{msp,tls}/{signcerts,keystore}
  if jq -e '.data["cert.pem"]' "${KUBE_OUT}" >/dev/null; then
    secret_file "${secret}" cert.pem "${dir}/msp/signcerts/cert.pem"
    secret_file "${secret}" key.pem "${dir}/msp/keystore/key_sk"
    files+=(cert.pem "${dir}/msp/signcerts/cert.pem" key.pem "${dir}/msp/keystore/key_sk")
  fi
  if jq -e '.data["tls.crt"]' "${KUBE_OUT}" >/dev/null; then
    secret_file "${secret}" tls.crt "${dir}/tls/signcerts/cert.pem"
    secret_file "${secret}" tls.key "${dir}/tls/keystore/key_sk"
    files+=(tls.crt "${dir}/tls/signcerts/cert.pem" tls.key "${dir}/tls/keystore/key_sk")
  fi
  if [[ -s "${dir}/msp/signcerts/cert.pem" ]]; then
    ca_client reenroll -u "${CA_URL}" --caname "${CA_NAME}" -M "${dir}/msp" --csr.keyrequest.reusekey --csr.cn "${name}" \
      || fail "cannot renew ${name} at ${CA_NAME}: $(last_reason "${WORK_DIR}/ca.log")"
  fi
  if [[ -s "${dir}/tls/signcerts/cert.pem" ]]; then
    ca_client reenroll -u "${CA_URL}" --caname "${TLS_CA_NAME}" -M "${dir}/tls" --csr.keyrequest.reusekey \
      --enrollment.profile tls --csr.cn "${name}" --csr.hosts "${hosts}" \
      || fail "cannot renew the TLS pair of ${name} at ${TLS_CA_NAME}: $(last_reason "${WORK_DIR}/ca.log")"
  fi
  secret_body "${secret}" "$(jq -c .labels <<<"${line}")" "$(renew_at)" "${files[@]}" >"${WORK_DIR}/body.json"
  object_write secrets "${secret}" "${WORK_DIR}/body.json"
  rm -rf "${dir}"
  log "renewed ${name} in Secret ${secret} with the same keys"
  [[ -n "${restarts}" ]] && RESTARTS+=("${restarts}")
  return 0
}

# Workloads to restart once every due certificate is renewed: renewing first keeps the last ones
# from expiring while the first nodes restart.
RESTARTS=()

# restart KIND/NAME: rolls the pods of a StatefulSet or Deployment, as kubectl rollout restart does.
restart() {
  local kind=${1%%/*}s name=${1#*/} patch
  patch=$(jq -nc --arg at "$(date -u +%Y-%m-%dT%H:%M:%SZ)" '{spec: {template: {metadata: {annotations: {"hyperkube.io/certificates-renewed-at": $at}}}}}')
  kube_api PATCH "/apis/apps/v1/namespaces/${NAMESPACE}/${kind}/${name}" -H 'Content-Type: application/strategic-merge-patch+json' -d "${patch}" \
    || fail "cannot restart ${1} to load its renewed certificates: ${KUBE_REASON}"
  log "restarted ${1} to load its renewed certificates"
  # One node at a time: consenters renewed together must not all be down together.
  wait_for "${1} to run on its renewed certificates" rolled_out "${kind}" "${name}"
}

# rolled_out KINDS NAME: true when every replica of the workload runs its latest template and is ready.
rolled_out() {
  kube_api GET "/apis/apps/v1/namespaces/${NAMESPACE}/$1/$2" || { echo "cannot read $1/$2: ${KUBE_REASON}" >&2; return 1; }
  jq -e '.status as $s | .spec.replicas as $want
         | ($s.observedGeneration // 0) >= .metadata.generation and ($s.updatedReplicas // 0) == $want
           and ($s.readyReplicas // 0) == $want and ($s.replicas // 0) == $want' "${KUBE_OUT}" >/dev/null \
    || { jq -r '"\(.status.updatedReplicas // 0) of \(.spec.replicas) updated, \(.status.readyReplicas // 0) ready"' "${KUBE_OUT}" >&2; return 1; }
}

# ensure_identity LINE: enrolls, renews or keeps the identity LINE describes.
ensure_identity() {
  local secret renew_after
  secret=$(jq -r .secretName <<<"$1")
  if ! object_get secrets "${secret}"; then
    if [[ "${RUN_MODE}" == renew ]]; then
      log "Secret ${secret} is not there yet: the enroll Job makes it"
    else
      enroll_identity "$1"
    fi
    return
  fi
  renew_after=$(jq -r '.metadata.annotations["hyperkube.io/renew-after"] // "0"' "${KUBE_OUT}")
  if [[ "${RUN_MODE}" == renew && "${renew_after}" =~ ^[0-9]+$ ]] && ((NOW >= renew_after)); then
    renew_identity "$1"
  else
    log "kept ${secret}"
  fi
}

# ensure_password LINE: makes the password Secret LINE describes unless it is there.
ensure_password() {
  local secret
  secret=$(jq -r .secretName <<<"$1")
  object_get secrets "${secret}" && { log "kept ${secret}"; return; }
  jq -r .username <<<"$1" | tr -d '\n' >"${WORK_DIR}/username"
  head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"${WORK_DIR}/password"
  secret_body "${secret}" "$(jq -c .labels <<<"$1")" never username "${WORK_DIR}/username" password "${WORK_DIR}/password" >"${WORK_DIR}/body.json"
  rm -f "${WORK_DIR}/password"
  object_create secrets "${secret}" "${WORK_DIR}/body.json" && log "made password Secret ${secret}"
  return 0
}

# A renewal run renews what the enroll Job made, and makes nothing: it leaves a network that is
# still coming up to the enroll Job.
if [[ "${RUN_MODE}" == renew ]]; then
  for secret in "${CA_ADMIN_SECRET}" "${CA_TLS_SECRET}"; do
    object_get secrets "${secret}" || { log "Secret ${secret} is not there yet: the enroll Job makes it; nothing to renew"; exit 0; }
  done
fi
ensure_ca_admin
ensure_ca_tls
wait_for "the Fabric CA at ${CA_URL}" ca_answers
bootstrap "${CA_NAME}"
bootstrap "${TLS_CA_NAME}"
publish_msp
while IFS= read -r line; do
  [[ -n "${line}" ]] && ensure_identity "${line}"
done <<<"${IDENTITIES}"
for workload in "${RESTARTS[@]}"; do
  restart "${workload}"
done
while IFS= read -r line; do
  [[ -n "${line}" ]] && ensure_password "${line}"
done < <(jq -c '.[]' <<<"${PASSWORDS}")
log "identities of ${ORG} are in place"
