#!/usr/bin/env bash
# shellcheck shell=bash
# The CA scenario, sourced by run.sh: the reference network in Fabric CA mode (FabricCaIdentities)
# in namespace fabric-ca. Each organization's CA runs in the cluster and its enroll Job writes every
# identity into the Secrets the pods mount; the manifests hold no key, no password and no Secret.
# Checks: the network comes up and passes the client scenario with identities read from the
# cluster; a re-apply changes nothing; deleting a CA pod keeps its CAs. The network keeps running:
# ca-renewal.sh, sourced later so that the wait for a renewal overlaps other work, checks that the
# short-lived certificates are renewed with the same keys, the nodes restart, and the channel commits.
# Uses run.sh's kc, log, die, timing, since, wait_for_jobs, client_scenario, export_client_objects,
# reapply_changes_nothing and drop_namespace.

CA_NS=fabric-ca
CA_DIR="${STATE_ROOT}/ca"
CA_HOME=/var/hyperledger/fabric-ca-server
# Certificates of 10 minutes, due for renewal 90 s after they are issued: the scenario sees a renewal
# soon, and the restarts have minutes to finish before anything expires.
CA_LIFETIME_SECONDS=600
CA_RENEW_BEFORE_SECONDS=510

# ca_fingerprints ORG: the SHA-256 fingerprints of ORG's signing and TLS CA certificates.
ca_fingerprints() {
  kc -n "${CA_NS}" exec "$1-ca-0" -- cat "${CA_HOME}/ca-cert.pem" | openssl x509 -noout -fingerprint -sha256
  kc -n "${CA_NS}" exec "$1-ca-0" -- cat "${CA_HOME}/tlsca/ca-cert.pem" | openssl x509 -noout -fingerprint -sha256
}

# secret_field SECRET KEY: a key of a Secret of the CA namespace, decoded.
secret_field() {
  kc -n "${CA_NS}" get secret "$1" -o json | jq -r --arg key "$2" '.data[$key]' | base64 -d
}

# public_key_of PEM_CERT: the certificate's public key, to compare keys across renewals.
public_key_of() {
  openssl x509 -noout -pubkey <<<"$1"
}

# The earlier scenarios' networks go (the reference one too, when the others were left out): this
# network and the imported one run side by side, and the node has two CPUs.
for old in "${NS}" fabric-faults fabric-multi "${CA_NS}"; do drop_namespace "${old}"; done
rm -rf "${CA_DIR}"
( cd "${REPO}" && CA_OUTDIR="${CA_DIR}/dist" CA_LIFETIME_SECONDS="${CA_LIFETIME_SECONDS}" CA_RENEW_BEFORE_SECONDS="${CA_RENEW_BEFORE_SECONDS}" CA_RENEWAL_SCHEDULE='* * * * *' \
    npx --no-install ts-node --transpile-only test/e2e/ca/main.ts )
! grep -l 'PRIVATE KEY' "${CA_DIR}"/dist/*.yaml || die "ca: the manifests hold a private key"
! grep -q '^kind: Secret$' "${CA_DIR}"/dist/*.yaml || die "ca: the manifests hold a Secret"
log "ca: dist/ holds no private key and no Secret ($(grep -c '^kind:' "${CA_DIR}"/dist/*.yaml) objects)"

saved_ns=${NS}
NS=${CA_NS}
t_apply=$(date +%s)
t_apply_ca=${t_apply}
kc apply -R -f "${CA_DIR}/dist" >/dev/null
wait_for_jobs "${t_apply}"
timing "ca: apply -> all Jobs complete (CAs up, identities enrolled, channel, chaincode)" "$(since "${t_apply}")"
grep -rq "$(secret_field org1-ca-admin password)" "${CA_DIR}/dist" && die "ca: the CA admin's password reached the manifests"
issuer=$(secret_field org1-peer0-identity cert.pem | openssl x509 -noout -issuer)
tls_issuer=$(secret_field org1-peer0-identity tls.crt | openssl x509 -noout -issuer)
[[ "${issuer}" == *"CN = org1-ca"* && "${tls_issuer}" == *"CN = org1-tlsca"* ]] \
  || die "ca: org1-peer0's certificates come from ${issuer} and ${tls_issuer}, not org1-ca and org1-tlsca"
log "ca: org1-peer0 enrolled in the cluster: signing certificate ${issuer}, TLS certificate ${tls_issuer}"
# What ca-renewal.sh compares with: orderer-node0's TLS certificate as enrolled.
enrolled_orderer_cert=$(secret_field orderer-node0-identity tls.crt)

export_client_objects "${CA_DIR}/cluster"
t_client=$(date +%s)
client_scenario "${CA_DIR}/cluster" "${CA_DIR}/client.log" || die "ca: client scenario failed"
timing "ca: client scenario" "$(since "${t_client}")"
# The re-apply check waits for ca-renewal.sh: a renewal due meanwhile restarts the nodes, which moves
# their resourceVersions, so it runs once the renew CronJobs are suspended.

before=$(ca_fingerprints org1)
t=$(date +%s)
kc -n "${CA_NS}" delete pod org1-ca-0 --wait=true >/dev/null
kc -n "${CA_NS}" wait --for=condition=Ready pod/org1-ca-0 --timeout=180s >/dev/null || die "ca: org1-ca-0 not ready again within 180s"
timing "ca: CA pod deleted -> ready again" "$(since "${t}")"
after=$(ca_fingerprints org1)
[[ "${after}" == "${before}" ]] || die "ca: the CA certificates changed when the pod was replaced: ${before//$'\n'/ } -> ${after//$'\n'/ }"
log "ca: the new CA pod kept both CAs (${after//$'\n'/; })"

NS=${saved_ns}
