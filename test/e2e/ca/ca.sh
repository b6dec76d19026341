#!/usr/bin/env bash
# shellcheck shell=bash
# The CA scenario, sourced by run.sh: Org1's Fabric CA (FabricCa) in namespace fabric-ca. The
# bootstrap admin Secret is created with kubectl, as the README tells users; the manifests hold
# no key and no password. A client enrolls through the Service's DNS name over TLS with both the
# signing CA and the TLS CA; the CA pod is deleted and comes back with the same CA certificates,
# and the admin enrolls again.
# Uses run.sh's kc, log, die, timing, since and drop_namespace.

CA_NS=fabric-ca
CA_DIR="${STATE_ROOT}/ca"
CA_POD=org1-ca-0
CA_HOME=/var/hyperledger/fabric-ca-server
CA_URL_HOST="org1-ca.${CA_NS}.svc.${CLUSTER_DOMAIN}:7054"

# ca_enroll CANAME MSPDIR: enrolls the bootstrap admin with CANAME from inside the CA pod, through
# the Service's DNS name (so DNS, the Service and the TLS certificate's names are all on the path).
ca_enroll() {
  kc -n "${CA_NS}" exec "${CA_POD}" -- sh -c \
    "fabric-ca-client enroll -u \"https://\${BOOTSTRAP_USER}:\${BOOTSTRAP_PASSWORD}@${CA_URL_HOST}\" --caname $1 \
       --tls.certfiles ${CA_HOME}/ca-cert.pem -M $2 $3 >/dev/null 2>&1 && cat $2/signcerts/cert.pem"
}

# ca_fingerprints: the SHA-256 fingerprints of the signing and TLS CA certificates.
ca_fingerprints() {
  kc -n "${CA_NS}" exec "${CA_POD}" -- cat "${CA_HOME}/ca-cert.pem" | openssl x509 -noout -fingerprint -sha256
  kc -n "${CA_NS}" exec "${CA_POD}" -- cat "${CA_HOME}/tlsca/ca-cert.pem" | openssl x509 -noout -fingerprint -sha256
}

for old in fabric-faults fabric-multi; do drop_namespace "${old}"; done
rm -rf "${CA_DIR}"
( cd "${REPO}" && CA_OUTDIR="${CA_DIR}/dist" npx --no-install ts-node --transpile-only test/e2e/ca/main.ts )
! grep -l 'PRIVATE KEY' "${CA_DIR}"/dist/*.yaml || die "ca: the manifests hold a private key"
! grep -q '^kind: Secret$' "${CA_DIR}"/dist/*.yaml || die "ca: the manifests hold a Secret"

t=$(date +%s)
kc apply -f "${CA_DIR}/dist" >/dev/null
password=$(openssl rand -hex 16)
kc -n "${CA_NS}" create secret generic org1-ca-admin --from-literal=username=admin --from-literal="password=${password}" >/dev/null
grep -rq "${password}" "${CA_DIR}/dist" && die "ca: the password reached the manifests"
kc -n "${CA_NS}" wait --for=condition=Ready "pod/${CA_POD}" --timeout=180s >/dev/null || die "ca: ${CA_POD} not ready within 180s"
timing "ca: apply -> CA ready" "$(since "${t}")"

signing=$(ca_enroll ca /tmp/admin-msp "") || die "ca: the admin could not enroll with the signing CA"
tls=$(ca_enroll tlsca /tmp/admin-tls "--enrollment.profile tls --csr.hosts admin.org1") || die "ca: the admin could not enroll with the TLS CA"
issuer_signing=$(openssl x509 -noout -issuer <<<"${signing}")
issuer_tls=$(openssl x509 -noout -issuer <<<"${tls}")
[[ "${issuer_signing}" == *"CN = org1-ca"* ]] || die "ca: the enrolled certificate's issuer is ${issuer_signing}, not org1-ca"
[[ "${issuer_tls}" == *"CN = org1-tlsca"* ]] || die "ca: the TLS certificate's issuer is ${issuer_tls}, not org1-tlsca"
log "ca: admin enrolled over TLS at https://${CA_URL_HOST}: signing certificate ${issuer_signing}; TLS certificate ${issuer_tls}"

before=$(ca_fingerprints)
t=$(date +%s)
kc -n "${CA_NS}" delete pod "${CA_POD}" --wait=true >/dev/null
kc -n "${CA_NS}" wait --for=condition=Ready "pod/${CA_POD}" --timeout=180s >/dev/null || die "ca: ${CA_POD} not ready again within 180s"
timing "ca: pod deleted -> ready again" "$(since "${t}")"
after=$(ca_fingerprints)
[[ "${after}" == "${before}" ]] || die "ca: the CA certificates changed when the pod was replaced: ${before//$'\n'/ } -> ${after//$'\n'/ }"
ca_enroll ca /tmp/admin-msp-2 "" >/dev/null || die "ca: the admin could not enroll after the pod was replaced"
log "ca: the new pod kept both CAs (${after//$'\n'/; }) and the admin enrolls again"
