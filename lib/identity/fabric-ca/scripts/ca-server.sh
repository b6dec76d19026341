#!/bin/sh
# Starts the Fabric CA server of one organization with two CAs: the default CA (CA_NAME), which
# issues signing identities, and TLS_CA_NAME, which issues TLS certificates. Keys, certificates
# and registrations live under FABRIC_CA_HOME on the pod's volume, so a new pod keeps them. The
# endpoint serves TLS with a certificate the server issues from its own CA for CA_HOSTS.
#
# Env: FABRIC_CA_HOME, CA_NAME and CA_CN, TLS_CA_NAME and TLS_CA_CN, CA_HOSTS (comma-separated), CA_PORT,
#      BOOTSTRAP_USER and BOOTSTRAP_PASSWORD (from the admin Secret, never from the manifests).
set -eu

tls_home="${FABRIC_CA_HOME}/${TLS_CA_NAME}"
mkdir -p "${tls_home}"
# The TLS CA's own settings; everything else it takes from the server's.
cat >"${tls_home}/fabric-ca-server-config.yaml" <<CONFIG
ca:
  name: ${TLS_CA_NAME}
csr:
  cn: ${TLS_CA_CN}
CONFIG

exec fabric-ca-server start \
  --boot "${BOOTSTRAP_USER}:${BOOTSTRAP_PASSWORD}" \
  --port "${CA_PORT}" \
  --ca.name "${CA_NAME}" \
  --csr.cn "${CA_CN}" \
  --csr.hosts "${CA_HOSTS}" \
  --tls.enabled \
  --cafiles "${tls_home}/fabric-ca-server-config.yaml"
