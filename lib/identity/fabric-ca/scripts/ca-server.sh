#!/bin/sh
# Starts the Fabric CA server of one organization with two CAs: the default CA (CA_NAME), which
# issues signing identities, and TLS_CA_NAME, which issues TLS certificates. Keys, certificates
# and registrations live under FABRIC_CA_HOME on the pod's volume, so a new pod keeps them. The
# endpoint serves TLS with the pair in CA_TLS_DIR (a Secret), which enrolling clients trust.
#
# Env: FABRIC_CA_HOME, CA_NAME and CA_CN, TLS_CA_NAME and TLS_CA_CN, CA_PORT, CA_TLS_DIR,
#      CERTIFICATE_LIFETIME (a Go duration such as 8760h: how long issued certificates are valid),
#      BOOTSTRAP_USER and BOOTSTRAP_PASSWORD (from the admin Secret, never from the manifests).
set -eu

# signing_section USAGE...: the signing policy of a CA: issued certificates live CERTIFICATE_LIFETIME;
# the `tls` profile adds what TLS servers and clients need.
signing_section() {
  cat <<SIGNING
signing:
  default:
    usage: [$*]
    expiry: ${CERTIFICATE_LIFETIME}
  profiles:
    tls:
      usage: [digital signature, key encipherment, key agreement, server auth, client auth]
      expiry: ${CERTIFICATE_LIFETIME}
SIGNING
}

# registry_section: the bootstrap admin, with every registrar right. A settings file replaces the
# default one, which is the only place --boot would have put it, so each CA's file names it; a CA
# reads it only into an empty database. YAML single quotes keep any password literal.
registry_section() {
  quoted_password=$(printf '%s' "${BOOTSTRAP_PASSWORD}" | sed "s/'/''/g")
  cat <<REGISTRY
registry:
  maxenrollments: -1
  identities:
    - name: '${BOOTSTRAP_USER}'
      pass: '${quoted_password}'
      type: client
      affiliation: ""
      attrs:
        hf.Registrar.Roles: "*"
        hf.Registrar.DelegateRoles: "*"
        hf.Registrar.Attributes: "*"
        hf.Revoker: true
        hf.GenCRL: true
        hf.IntermediateCA: true
        hf.AffiliationMgr: true
REGISTRY
}

# The server's own settings file, rewritten at each start: flags below give the rest. It holds the
# bootstrap password, so only the server's user reads it (the CA's keys are beside it anyway).
umask 077
{
  registry_section
  signing_section 'digital signature'
} >"${FABRIC_CA_HOME}/fabric-ca-server-config.yaml"

tls_home="${FABRIC_CA_HOME}/${TLS_CA_NAME}"
mkdir -p "${tls_home}"
# The TLS CA's own settings; everything else it takes from the server's.
{
  printf 'ca:\n  name: %s\ncsr:\n  cn: %s\n' "${TLS_CA_NAME}" "${TLS_CA_CN}"
  registry_section
  signing_section 'digital signature, key encipherment, key agreement, server auth, client auth'
} >"${tls_home}/fabric-ca-server-config.yaml"

exec fabric-ca-server start \
  --port "${CA_PORT}" \
  --ca.name "${CA_NAME}" \
  --csr.cn "${CA_CN}" \
  --tls.enabled \
  --tls.certfile "${CA_TLS_DIR}/tls.crt" \
  --tls.keyfile "${CA_TLS_DIR}/tls.key" \
  --cafiles "${tls_home}/fabric-ca-server-config.yaml"
