#!/usr/bin/env bash
# shellcheck shell=bash
# The imported scenario, sourced by run.sh: the reference network in namespace fabric-imported with
# the identities of a crypto folder made by the kit's cryptogen (crypto-config.yaml beside this file).
# Checks: synth reads only public certificates (no key, no Secret in dist/, none in the import
# script); the import script puts the keys in; the network comes up and passes the client scenario;
# running the script again and re-applying the manifests change nothing.
# Uses run.sh's kc, log, die, timing, since, wait_for_jobs, client_scenario, export_client_objects,
# reapply_changes_nothing and drop_namespace.

IMPORTED_NS=fabric-imported
IMPORTED_DIR="${STATE_ROOT}/imported"
IMPORT_SCRIPT="${IMPORTED_DIR}/dist/test-network.import-identities.sh"

# run_import_script: the script a user runs, with the cluster's kubectl.
run_import_script() {
  KUBECONFIG="${KUBECONFIG_ADMIN}" KUBECTL="${K8S_BIN}/kubectl" bash "${IMPORT_SCRIPT}"
}

# The CA scenario's network keeps running beside this one, waiting for its renewal.
drop_namespace "${IMPORTED_NS}"
rm -rf "${IMPORTED_DIR}"
"${FABRIC_BIN}/cryptogen" generate --config "${E2E_DIR}/imported/crypto-config.yaml" --output "${IMPORTED_DIR}/crypto-config" >/dev/null \
  || die "imported: cryptogen failed"
( cd "${REPO}" && IMPORT_CRYPTO="${IMPORTED_DIR}/crypto-config" IMPORT_OUTDIR="${IMPORTED_DIR}/dist" \
    npx --no-install ts-node --transpile-only test/e2e/imported/main.ts )
! grep -l 'PRIVATE KEY' "${IMPORTED_DIR}"/dist/* || die "imported: dist/ holds a private key"
! grep -q '^kind: Secret$' "${IMPORTED_DIR}"/dist/*.yaml || die "imported: the manifests hold a Secret"
log "imported: dist/ holds no private key and no Secret ($(grep -c '^kind:' "${IMPORTED_DIR}"/dist/*.yaml) objects); the import script names $(grep -cE '^(identity|password) ' "${IMPORT_SCRIPT}") Secrets"

saved_ns=${NS}
NS=${IMPORTED_NS}
t_apply=$(date +%s)
kc apply -R -f "${IMPORTED_DIR}/dist" >/dev/null
run_import_script | sed 's/^/imported: /'
wait_for_jobs "${t_apply}"
timing "imported: apply and import -> all Jobs complete" "$(since "${t_apply}")"
signer=$(kc -n "${NS}" get secret org1-peer0-identity -o jsonpath='{.data.cert\.pem}' | base64 -d | openssl x509 -noout -subject -issuer | tr '\n' ' ')
[[ "$(kc -n "${NS}" get secret org1-peer0-identity -o jsonpath='{.data.cert\.pem}' | base64 -d)" \
   == "$(cat "${IMPORTED_DIR}"/crypto-config/peerOrganizations/org1.example.com/peers/peer0.org1.example.com/msp/signcerts/*.pem)" ]] \
  || die "imported: org1-peer0's certificate in the cluster is not the one cryptogen made"
log "imported: org1-peer0 runs cryptogen's identity: ${signer}"

export_client_objects "${IMPORTED_DIR}/cluster"
t_client=$(date +%s)
client_scenario "${IMPORTED_DIR}/cluster" "${IMPORTED_DIR}/client.log" || die "imported: client scenario failed"
timing "imported: client scenario" "$(since "${t_client}")"

again=$(run_import_script)
grep -vE ' (unchanged|kept)$' <<<"${again}" && die "imported: running the import script again changed Secrets (above)"
log "imported: the import script run again left all $(wc -l <<<"${again}") Secrets as they were"
reapply_changes_nothing "${IMPORTED_DIR}/dist"
NS=${saved_ns}
