#!/usr/bin/env bash
# shellcheck shell=bash
# The exposure scenario, sourced by run.sh around the multi-org scenario (E2E_SKIP_EXPOSURE=1 leaves
# it out). It needs no network of its own: the multi-org network is brought up exposed.
#   exposure_ingress_up, before multi-org: the Gateway API CRDs (experimental channel, which serves
#     TLSRoute v1alpha2, Traefik's, beside v1, the library's; from the Go module
#     sigs.k8s.io/gateway-api), Traefik built by the kit as the cluster's Gateway API
#     implementation, its GatewayClass and a Gateway whose TLS listener passes through, routed by
#     SNI, on NodePort 30443 of the node address; multi-org.sh then synthesizes
#     test/e2e/exposure/main.ts, the multi-org app with Exposure.gatewayApi from its first apply.
#   exposure_checks, after multi-org: from the host, only through the ingress address and by the
#     external host names:
#     - the Gateway client, given the external connection profiles, submits on claims as Bank
#       and reads back as Insurer;
#     - osnadmin's REST API on a consenter of each ordering org lists its channels (mutual TLS as
#       the org's admin);
#     - every consenter's ordering endpoint presents a certificate for its external name, verified
#       against its org's TLS CA;
#     - a host name without a route gets no certificate from an org's TLS CA.
# Uses run.sh's kc, log, die, timing, since, NS, REPO, E2E_DIR and the kit's NODE_IP and versions.

EXPOSURE_DIR="${STATE_ROOT}/exposure"
EXPOSURE_DOMAIN=e2e.hyperkube.test
EXPOSURE_PORT=30443
INGRESS_ADDRESS="${NODE_IP}:${EXPOSURE_PORT}"

# exposure_ingress_up: installs the ingress; has multi-org.sh synthesize the exposed app.
exposure_ingress_up() {
  local t crds file files=()
  t=$(date +%s)
  crds="$( (go_env && go mod download -json "sigs.k8s.io/gateway-api@${GATEWAY_API_VERSION}") | jq -r .Dir)/config/crd/experimental"
  [[ -d "${crds}" ]] || die "exposure: no CRDs in sigs.k8s.io/gateway-api@${GATEWAY_API_VERSION} (${crds})"
  # Server-side: the largest CRDs exceed the annotation a client-side apply would write. The
  # folder's kustomization.yaml is no Kubernetes object.
  for file in "${crds}"/gateway.networking*.yaml; do files+=(-f "${file}"); done
  kc apply --server-side "${files[@]}" >/dev/null
  kc wait --for condition=Established --timeout=60s crd/gatewayclasses.gateway.networking.k8s.io \
    crd/gateways.gateway.networking.k8s.io crd/tlsroutes.gateway.networking.k8s.io >/dev/null
  sed "s|TRAEFIK_IMAGE|${TRAEFIK_IMAGE}|" "${E2E_DIR}/exposure/ingress.yaml" | kc apply -f - >/dev/null
  timing "exposure: Gateway API ${GATEWAY_API_VERSION} CRDs and Traefik ${TRAEFIK_VERSION} applied" "$(since "${t}")"
  export EXPOSURE_DOMAIN EXPOSURE_PORT
  MULTI_ORG_APP=test/e2e/exposure/main.ts
}

# route_accepted ROUTE: whether the Gateway has accepted TLSRoute ROUTE of ${NS}.
route_accepted() {
  [[ "$(kc -n "${NS}" get tlsroute "$1" -o jsonpath='{.status.parents[0].conditions[?(@.type=="Accepted")].status}')" == True ]]
}

# tls_verified HOST [OPENSSL ARGS...]: whether a TLS handshake with the ingress, sending HOST as SNI,
# gets a certificate for HOST that verifies.
tls_verified() {
  local host=$1 out
  shift
  out=$(openssl s_client -connect "${INGRESS_ADDRESS}" -servername "${host}" -verify_hostname "${host}" "$@" </dev/null 2>&1 | tr -d '\000' || true)
  grep -q 'Verify return code: 0 (ok)' <<<"${out}"
}

# external_client_objects DIR ORG...: each org's external connection profile, under the name the
# client reads (<org>-connection-profile), and its user1 Secret, as a laptop user fetches them.
external_client_objects() {
  local dir=$1 org
  shift
  mkdir -p "${dir}"
  : >"${dir}/objects.yaml"
  for org in "$@"; do
    kc -n "${NS}" get configmap "${org}-connection-profile-external" -o json \
      | jq -c '{apiVersion, kind, metadata: {name: (.metadata.name | sub("-external$"; "")), namespace: .metadata.namespace}, data}' \
      | sed 's/^/---\n/' >>"${dir}/objects.yaml"
    kc -n "${NS}" get secret "${org}-user1" -o json | jq -c . | sed 's/^/---\n/' >>"${dir}/objects.yaml"
  done
}

# exposure_checks: the scenario's checks, on the multi-org network in ${NS}.
exposure_checks() {
  local t pki host peers org route node ordering
  t=$(date +%s)
  kc -n hyperkube-ingress rollout status deployment/traefik --timeout=120s >/dev/null || die "exposure: Traefik is not ready"
  for route in bank-peer0 insurer-peer0; do
    wait_for "the Gateway to accept TLSRoute ${route}" 60 route_accepted "${route}" \
      || die "exposure: the Gateway did not accept TLSRoute ${route}: $(kc -n "${NS}" get tlsroute "${route}" -o jsonpath='{.status}')"
  done
  timing "exposure: ingress ready, routes accepted" "$(since "${t}")"

  # The Gateway client on the host, with the external profiles: every peer it dials is an external
  # name, which resolves nowhere, mapped to the ingress address alone.
  t=$(date +%s)
  external_client_objects "${EXPOSURE_DIR}/client" bank insurer
  mapfile -t peers < <(for org in bank insurer; do
    kc -n "${NS}" get configmap "${org}-connection-profile-external" -o jsonpath='{.data.connection\.json}' \
      | jq -r --arg to "${INGRESS_ADDRESS}" '.peers[].url | sub("^grpcs://"; "") | sub(":[0-9]+$"; "") + "=" + $to'
  done)
  PEER_ADDRESSES=$(IFS=,; echo "${peers[*]}") node "${E2E_DIR}/client/dist/main.js" scenario \
    --dist "${EXPOSURE_DIR}/client" --namespace "${NS}" --channel claims --chaincode policies --org1 bank --org2 insurer \
    --retry-seconds 60 2>&1 | tee "${EXPOSURE_DIR}/client.log" \
    || die "exposure: the Gateway client through the ingress (Bank submits on claims, Insurer reads) failed"
  grep -q "dialling ${INGRESS_ADDRESS}, TLS server name peer0.bank.${EXPOSURE_DOMAIN}" "${EXPOSURE_DIR}/client.log" \
    || die "exposure: the client did not dial Bank's gateway peer through the ingress by its external name"
  timing "exposure: client scenario through the ingress (SNI)" "$(since "${t}")"

  # The orderers: osnadmin on one consenter of each ordering org, and every ordering endpoint's
  # certificate for its external name.
  t=$(date +%s)
  for ordering in ord-a ord-b; do
    pki="${EXPOSURE_DIR}/pki/${ordering}"
    mkdir -p "${pki}"
    kc -n "${NS}" get configmap "${ordering}-msp" -o jsonpath='{.data.tlsca\.pem}' >"${pki}/ca.pem"
    kc -n "${NS}" get secret "${ordering}-admin" -o jsonpath='{.data.tls\.crt}' | base64 -d >"${pki}/tls.crt"
    kc -n "${NS}" get secret "${ordering}-admin" -o jsonpath='{.data.tls\.key}' | base64 -d >"${pki}/tls.key"
    host="node0-admin.${ordering}.${EXPOSURE_DOMAIN}"
    curl -sS --max-time 10 --cacert "${pki}/ca.pem" --cert "${pki}/tls.crt" --key "${pki}/tls.key" \
      --resolve "${host}:${EXPOSURE_PORT}:${NODE_IP}" "https://${host}:${EXPOSURE_PORT}/participation/v1/channels" >"${pki}/channels.json" \
      || die "exposure: osnadmin of ${ordering}-node0 through the ingress (${host}) failed"
    jq -e '.channels | length > 0' "${pki}/channels.json" >/dev/null || die "exposure: osnadmin of ${ordering}-node0 lists no channel: $(cat "${pki}/channels.json")"
    log "exposure: osnadmin at ${host} through ${INGRESS_ADDRESS}: $(jq -c '[.channels[].name]' "${pki}/channels.json")"
    for node in $(kc -n "${NS}" get tlsroute -l hyperkube.io/organization="${ordering}" -o jsonpath='{.items[*].spec.hostnames[0]}'); do
      tls_verified "${node}" -CAfile "${pki}/ca.pem" -cert "${pki}/tls.crt" -key "${pki}/tls.key" -verify_return_error \
        || die "exposure: ${node} through the ingress did not present a certificate for its name from ${ordering}'s TLS CA"
    done
  done
  # A name without a route reaches no node: no certificate for it from an org's TLS CA comes back.
  host="nowhere.ord-a.${EXPOSURE_DOMAIN}"
  ! tls_verified "${host}" -CAfile "${EXPOSURE_DIR}/pki/ord-a/ca.pem" \
    || die "exposure: ${host}, which has no TLSRoute, reached a node through the ingress"
  timing "exposure: osnadmin and ordering endpoints through the ingress" "$(since "${t}")"
}
