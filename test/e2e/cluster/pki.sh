#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Generates the cluster's certificates, service-account keys and kubeconfigs with openssl.
# Sourced by up.sh after lib.sh. Everything is ECDSA P-256 and valid for 30 days.
# shellcheck disable=SC2154  # variables come from lib.sh

pki_key() { openssl ecparam -name prime256v1 -genkey -noout -out "$1" 2>/dev/null; chmod 600 "$1"; }

# pki_cert NAME SUBJECT SAN_LIST|- USAGE(server|client|both)
pki_cert() {
  local name="$1" subj="$2" san="$3" usage="$4" ext="${PKI_DIR}/${1}.ext" eku
  case "${usage}" in
    server) eku=serverAuth ;;
    client) eku=clientAuth ;;
    both) eku=serverAuth,clientAuth ;;
  esac
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=${eku}"
    [[ "${san}" == - ]] || echo "subjectAltName=${san}"
  } > "${ext}"
  pki_key "${PKI_DIR}/${name}.key"
  openssl req -new -key "${PKI_DIR}/${name}.key" -subj "${subj}" -out "${PKI_DIR}/${name}.csr" 2>/dev/null
  openssl x509 -req -in "${PKI_DIR}/${name}.csr" -CA "${PKI_DIR}/ca.crt" -CAkey "${PKI_DIR}/ca.key" \
    -CAcreateserial -days 30 -sha256 -extfile "${ext}" -out "${PKI_DIR}/${name}.crt" 2>/dev/null
  rm -f "${PKI_DIR}/${name}.csr" "${ext}"
}

# kubeconfig FILE USER_CERT_NAME
kubeconfig_for() {
  local file="$1" who="$2"
  cat > "${file}" <<KCFG
apiVersion: v1
kind: Config
clusters:
- name: hyperkube-e2e
  cluster:
    server: https://${NODE_IP}:${APISERVER_PORT}
    certificate-authority-data: $(base64 -w0 "${PKI_DIR}/ca.crt")
users:
- name: ${who}
  user:
    client-certificate-data: $(base64 -w0 "${PKI_DIR}/${who}.crt")
    client-key-data: $(base64 -w0 "${PKI_DIR}/${who}.key")
contexts:
- name: hyperkube-e2e
  context:
    cluster: hyperkube-e2e
    user: ${who}
current-context: hyperkube-e2e
KCFG
  chmod 600 "${file}"
}

pki_generate() {
  if [[ -f "${PKI_DIR}/.complete" ]]; then
    log "pki: reusing ${PKI_DIR}"
    return
  fi
  rm -rf "${PKI_DIR}"
  mkdir -p "${PKI_DIR}"
  pki_key "${PKI_DIR}/ca.key"
  openssl req -x509 -new -key "${PKI_DIR}/ca.key" -subj "/CN=hyperkube-e2e-ca" -days 30 -sha256 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
    -out "${PKI_DIR}/ca.crt" 2>/dev/null

  local svc="DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.${CLUSTER_DOMAIN}"
  pki_cert apiserver "/CN=kube-apiserver" "${svc},DNS:localhost,IP:${KUBERNETES_SVC_IP},IP:${NODE_IP},IP:127.0.0.1" server
  pki_cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" - client
  pki_cert admin "/O=system:masters/CN=hyperkube-e2e-admin" - client
  pki_cert controller-manager "/CN=system:kube-controller-manager" - client
  pki_cert scheduler "/CN=system:kube-scheduler" - client
  pki_cert kube-proxy "/CN=system:kube-proxy" - client
  pki_cert kubelet "/O=system:nodes/CN=system:node:${NODE_NAME}" "DNS:${NODE_NAME},IP:${NODE_IP},IP:127.0.0.1" both
  # Service-account token signing pair.
  pki_key "${PKI_DIR}/sa.key"
  openssl ec -in "${PKI_DIR}/sa.key" -pubout -out "${PKI_DIR}/sa.pub" 2>/dev/null

  for who in admin controller-manager scheduler kube-proxy kubelet; do
    kubeconfig_for "${STATE_ROOT}/${who}.kubeconfig" "${who}"
  done
  touch "${PKI_DIR}/.complete"
  log "pki: generated in ${PKI_DIR}"
}
